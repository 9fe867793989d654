// Starts the real app under Xvfb with tauri-driver + WebKitWebDriver and
// opens a WebDriver session on it. Everything started is stopped by pid.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Session, sleep } from './webdriver.mjs';

export const root = resolve(import.meta.dirname, '../..');
const app = process.env.PASSPORT_COUNTER_APP ?? join(root, 'target/debug/passport-counter');
const children = [];

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

export function start(cmd, args, env, name) {
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  children.push({ child, name, log: () => log });
  return child;
}

/** Stops everything started here, newest first, by pid. */
export function stopAll() {
  for (const { child } of children.reverse()) {
    if (child.exitCode === null) child.kill('SIGTERM');
  }
}

/** Starts a program and waits until its output contains `ready`. */
export async function startUntil(cmd, args, name, ready, timeout = 15000) {
  const child = start(cmd, args, process.env, name);
  const entry = children.find((c) => c.child === child);
  await until(`${name} (${ready})`, async () => {
    if (child.exitCode !== null) throw new Error(`${name} exited: ${entry.log()}`);
    return entry.log().includes(ready);
  }, timeout);
  return child;
}

/** Stops one program started here, by pid, and waits for it. */
export async function stop(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((res) => child.once('exit', res));
  child.kill('SIGTERM');
  await exited;
}

/** The output of what was started, for a failure report. */
export function logs() {
  return children.map((c) => `--- ${c.name} ---\n${c.log().slice(-4000)}`).join('\n');
}

export async function until(what, f, timeout = 30000) {
  const start = Date.now();
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() - start > timeout) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

async function waitPort(port, what) {
  const start = Date.now();
  for (;;) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/status`);
      if (r.ok || r.status < 500) return;
    } catch {}
    if (Date.now() - start > 20000) throw new Error(`${what} did not start on port ${port}`);
    await sleep(100);
  }
}

/** Starts Xvfb on a free display (stopped by stopAll); returns its number. */
export async function startXvfb() {
  let display = 90;
  while (existsSync(`/tmp/.X11-unix/X${display}`) || existsSync(`/tmp/.X${display}-lock`)) display += 1;
  start('Xvfb', [`:${display}`, '-screen', '0', '1400x950x24', '-nolisten', 'tcp'], process.env, 'Xvfb');
  await until('Xvfb', async () => existsSync(`/tmp/.X11-unix/X${display}`), 10000);
  return display;
}

/** Starts Xvfb, tauri-driver and the app in demo mode on `dataDir`. */
export async function launch(dataDir) {
  if (!existsSync(app)) throw new Error(`${app} is missing: build it first (make e2e does)`);
  const display = await startXvfb();

  const port = await freePort();
  const nativePort = await freePort();
  const env = { ...process.env, DISPLAY: `:${display}`, PASSPORT_COUNTER_DATA: dataDir };
  for (const k of ['PASSPORT_COUNTER_REGISTER', 'PASSPORT_COUNTER_OFFICE', 'PASSPORT_COUNTER_WORKSTATION']) delete env[k];
  const driver = process.env.TAURI_DRIVER ?? join(process.env.HOME ?? '', '.cargo/bin/tauri-driver');
  start(driver, ['--port', String(port), '--native-port', String(nativePort), '--native-driver', '/usr/bin/WebKitWebDriver'], env, 'tauri-driver');
  await waitPort(port, 'tauri-driver');
  driverUrl = `http://127.0.0.1:${port}`;
  return Session.create(driverUrl, capabilities());
}

let driverUrl = null;
const capabilities = () => ({ alwaysMatch: { 'tauri:options': { application: app } } });

/** The pids of this app running on `dataDir` (its executable, and the
 *  data directory in its environment). */
function appPids(dataDir) {
  const pids = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      // Both sides resolved: a target/ reached through a symbolic link is the same executable.
      if (readlinkSync(`/proc/${d}/exe`) !== realpathSync(app)) continue;
      const env = readFileSync(`/proc/${d}/environ`, 'utf8').split('\0');
      if (env.includes(`PASSPORT_COUNTER_DATA=${dataDir}`)) pids.push(Number(d));
    } catch {}
  }
  return pids;
}

/** Kills the app as a crash would (SIGKILL: nothing is closed cleanly)
 *  and starts it again on the same data directory; returns the new session. */
export async function crashAndRestart(session, dataDir) {
  if (!driverUrl) throw new Error('restart before launch');
  const pids = appPids(dataDir);
  if (pids.length === 0) throw new Error(`the app on ${dataDir} is not running`);
  for (const pid of pids) process.kill(pid, 'SIGKILL');
  await until('the app gone', async () => appPids(dataDir).length === 0, 10000);
  await session.delete().catch(() => {});
  return Session.create(driverUrl, capabilities());
}
