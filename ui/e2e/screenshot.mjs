// `make run` without a display: starts the app in demo mode under Xvfb,
// logs in as the demo clerk, saves a screenshot and says where.
//
//   node ui/e2e/screenshot.mjs DATA_DIR OUT.png
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { launch, logs, stopAll, until } from './harness.mjs';
import { Key } from './webdriver.mjs';

const [dataDir, out] = process.argv.slice(2).map((p) => resolve(p));

async function main() {
  mkdirSync(dataDir, { recursive: true });
  const s = await launch(dataDir);
  try {
    await s.waitFor('#login-clerk', 'the log-in form');
    await s.type('#login-clerk', 'demo-clerk');
    await s.type('#login-password', 'demo' + Key.Enter);
    await s.waitFor('[data-testid="screen-intake"]', 'the new-application screen');
    await until('the status bar', async () => (await s.attr(await s.find('[data-testid="connection"]'), 'data-state')) === 'online');
    await s.type('[data-path="applicant.pesel"]', '85022812343');
    await s.type('[data-path="applicant.surname"]', 'Żółkiewska-Łęcka');
    await s.type('[data-path="applicant.given_names"]', 'Zofia Małgorzata');
    await s.type('[data-path="applicant.birth_place"]', 'Łódź');
    await s.click('[data-testid="demo-photo"]');
    await s.waitFor('[data-testid="fee"]', 'the fee', { pred: async (el) => (await s.text(el)).includes('zł') });
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, await s.screenshot());
  } finally {
    await s.delete().catch(() => {});
  }
}

main()
  .then(() => {
    stopAll();
    console.log(`No display here: the app ran under Xvfb in demo mode. Screenshot: ${out}`);
    console.log('On a desktop, `make run` opens the window instead.');
    process.exit(0);
  })
  .catch((e) => {
    console.error(`make run (headless): ${e.message}\n${logs()}`);
    stopAll();
    process.exit(1);
  });
