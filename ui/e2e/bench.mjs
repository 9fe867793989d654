// Start-up time and idle memory of the app against a minimal Tauri 2 window,
// measured in the same run under the same Xvfb (make bench-app).
//
//   node ui/e2e/bench.mjs APP BASELINE [ROUNDS]
//
// Start-up: from spawn to the first screen reporting itself interactive
// (both binaries print `interactive-after-ms` from the same probe), with
// the page cache dropped before each launch when this user may do so (a
// cold start). Memory: PSS summed over the process and all its descendants
// (the WebKit web and network processes) after 5 s idle on the first screen.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { startXvfb, stopAll } from './harness.mjs';
import { sleep } from './webdriver.mjs';

const [app, baseline, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 5);

function dropCaches() {
  try {
    spawn('sync').on('exit', () => {});
    writeFileSync('/proc/sys/vm/drop_caches', '3');
    return true;
  } catch {
    return false;
  }
}

function descendants(pid) {
  const children = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(d));
    } catch {}
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) out.push(...(children.get(out[i]) ?? []));
  return out;
}

function pssKiB(pids) {
  let total = 0;
  for (const p of pids) {
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'));
      if (m) total += Number(m[1]);
    } catch {}
  }
  return total;
}

async function launch(bin, display) {
  const data = mkdtempSync(join(tmpdir(), 'passport-bench-'));
  const env = { ...process.env, DISPLAY: display, PASSPORT_COUNTER_DATA: data, PASSPORT_COUNTER_STARTUP_PROBE: 'stay' };
  for (const k of ['PASSPORT_COUNTER_REGISTER', 'PASSPORT_COUNTER_OFFICE', 'PASSPORT_COUNTER_WORKSTATION']) delete env[k];
  const cold = dropCaches();
  const t0 = performance.now();
  const child = spawn(bin, [], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const startMs = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${bin} did not become interactive in 60 s: ${out}`)), 60000);
    child.stdout.on('data', (d) => {
      out += d;
      if (/interactive-after-ms \d+/.test(out)) {
        clearTimeout(timer);
        resolve(performance.now() - t0);
      }
    });
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => reject(new Error(`${bin} exited (${code}): ${out}`)));
  });
  await sleep(5000);
  const pids = descendants(child.pid);
  const pss = pssKiB(pids);
  child.removeAllListeners('exit');
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([gone, sleep(5000)]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(data, { recursive: true, force: true });
  return { startMs, pssKiB: pss, processes: pids.length, cold };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  for (const b of [app, baseline]) if (!existsSync(b)) throw new Error(`${b} is missing (make bench-app builds it)`);
  const n = await startXvfb();
  try {
    const results = { app: [], baseline: [] };
    await launch(baseline, `:${n}`); // warm-up, discarded
    for (let r = 0; r < rounds; r++) {
      results.baseline.push(await launch(baseline, `:${n}`));
      results.app.push(await launch(app, `:${n}`));
    }
    const summary = (xs) => ({
      start_ms_median: Math.round(median(xs.map((x) => x.startMs))),
      pss_mib_median: Math.round(median(xs.map((x) => x.pssKiB)) / 102.4) / 10,
      processes: xs[0].processes,
    });
    const a = summary(results.app);
    const b = summary(results.baseline);
    const report = {
      machine: `${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB`,
      rounds,
      cold_start: results.app[0].cold,
      app: a,
      baseline: b,
      start_ratio: Math.round((a.start_ms_median / b.start_ms_median) * 100) / 100,
      memory_ratio: Math.round((a.pss_mib_median / b.pss_mib_median) * 100) / 100,
      runs: results,
    };
    console.log(JSON.stringify(report, null, 2));
  } finally {
    stopAll();
  }
}

main().catch((e) => {
  console.error(`bench: ${e.message}`);
  process.exit(1);
});
