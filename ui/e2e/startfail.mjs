// The window when the counter cannot start: a configuration refused (an
// http:// register outside the demo office) opens the window with the
// reason in Polish and English and what to do, logs it in counter.log, and
// no journal is created; a journal whose key is gone (a fresh account
// configuration) says how to recover it. Run after `make e2e` built the app:
//
//   XDG_CONFIG_HOME=target/test-config node ui/e2e/startfail.mjs
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, logs, stopAll } from './harness.mjs';
import { sleep } from './webdriver.mjs';

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'counter-startfail-'));
  writeFileSync(join(dataDir, 'config.toml'), 'office = "WAW1"\nworkstation = "03"\nregister = "http://127.0.0.1:8457"\n', { mode: 0o600 });
  const s = await launch(dataDir);
  try {
    const el = await s.waitFor('[data-testid="start-failure"]', 'the start failure said in the window');
    const text = await s.text(el);
    for (const words of ['Stanowisko nie może się uruchomić', 'The counter cannot start', 'http://', 'counterctl logs']) {
      if (!text.includes(words)) throw new Error(`the window does not say "${words}": ${text}`);
    }
    if ((await s.attr(el, 'data-code')) !== 'config') throw new Error(`code ${await s.attr(el, 'data-code')}`);
    const shot = join(import.meta.dirname, '../../target/e2e/start-failure.png');
    writeFileSync(shot, await s.screenshot());
    const logDir = join(dataDir, 'logs');
    const log = existsSync(logDir) ? readdirSync(logDir).map((f) => readFileSync(join(logDir, f), 'utf8')).join('') : '';
    if (!log.includes('the counter could not start')) throw new Error(`counter.log holds no start failure: ${log.slice(-500)}`);
    if (readdirSync(dataDir).some((f) => f.endsWith('.db'))) throw new Error('a journal was created');
    console.log(`  ✓ the window says why it cannot start (pl + en), logged; ${shot}`);
  } finally {
    await s.delete().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function lostKey() {
  const dataDir = mkdtempSync(join(tmpdir(), 'counter-lostkey-'));
  const configs = [mkdtempSync(join(tmpdir(), 'counter-xdg-')), mkdtempSync(join(tmpdir(), 'counter-xdg-'))];
  const before = process.env.XDG_CONFIG_HOME;
  try {
    // The demo journal and its key, under the first account configuration.
    process.env.XDG_CONFIG_HOME = configs[0];
    let s = await launch(dataDir);
    await s.waitFor('#login-clerk', 'the log-in form');
    await s.delete().catch(() => {});
    stopAll();
    await sleep(1500);
    // The same data directory, the key not there.
    process.env.XDG_CONFIG_HOME = configs[1];
    s = await launch(dataDir);
    try {
      const el = await s.waitFor('[data-testid="start-failure"]', 'the lost key said in the window');
      const text = await s.text(el);
      for (const words of ['Brak klucza dziennika', 'The journal key is missing', 'counterctl key recover']) {
        if (!text.includes(words)) throw new Error(`the window does not say "${words}": ${text}`);
      }
      writeFileSync(join(import.meta.dirname, '../../target/e2e/start-failure-key.png'), await s.screenshot());
      console.log('  ✓ a lost journal key: the window says how to recover it (pl + en)');
    } finally {
      await s.delete().catch(() => {});
    }
  } finally {
    process.env.XDG_CONFIG_HOME = before;
    for (const d of [dataDir, ...configs]) rmSync(d, { recursive: true, force: true });
  }
}

main()
  .then(async () => {
    stopAll();
    await sleep(1000);
    await lostKey();
  })
  .then(() => {
    stopAll();
    process.exit(0);
  })
  .catch((e) => {
    console.error(`startfail: FAILED: ${e.message}`);
    console.error(logs());
    stopAll();
    process.exit(1);
  });
