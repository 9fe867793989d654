// End-to-end test of the real app window: Xvfb + tauri-driver +
// WebKitWebDriver, the app in demo mode with its embedded register.
// Everything started here is stopped by pid. Screenshots: target/e2e/.
//
//   node ui/e2e/run.mjs            (make e2e builds the app first)
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, logs, root, stopAll, until } from './harness.mjs';
import { Key } from './webdriver.mjs';

const shots = join(root, 'target/e2e');
let step = 0;

async function shot(s, name) {
  step += 1;
  const file = join(shots, `${String(step).padStart(2, '0')}-${name}.png`);
  writeFileSync(file, await s.screenshot());
  console.log(`  ✓ ${name}  (${file})`);
}

async function registerStats(s) {
  const url = await s.attr(await s.find('[data-testid="demo"]'), 'data-register-url');
  return (await fetch(`${url}/admin/stats`)).json();
}

const depth = async (s) => Number(await s.attr(await s.find('[data-testid="queue-depth"]'), 'data-depth'));
const connection = async (s) => s.attr(await s.find('[data-testid="connection"]'), 'data-state');

async function fillApplication(s, { pesel, surname, given, place }) {
  await s.waitFor('[data-testid="application-form"]', 'the application form');
  await s.type('[data-path="applicant.pesel"]', pesel);
  await s.type('[data-path="applicant.surname"]', surname);
  await s.type('[data-path="applicant.given_names"]', given);
  await s.type('[data-path="applicant.birth_place"]', place);
  await s.click('[data-testid="demo-photo"]');
  await s.waitFor('[data-testid="fee"]', 'the fee', { pred: async (el) => (await s.text(el)).includes('zł') });
}

async function submitApplication(s, person) {
  await fillApplication(s, person);
  await s.keys(Key.Control + Key.Enter); // to the review
  await s.waitFor('[data-testid="review"]', 'the review');
  await s.keys(Key.Control + Key.Enter); // confirm and save
  const el = await s.waitFor('[data-testid="saved-number"]', 'the application number');
  return s.text(el);
}

async function main() {
  rmSync(shots, { recursive: true, force: true });
  mkdirSync(shots, { recursive: true });
  const data = mkdtempSync(join(tmpdir(), 'passport-e2e-'));
  const s = await launch(data);
  try {
    console.log('e2e: the app in demo mode');
    // Log in.
    await s.waitFor('#login-clerk', 'the log-in form');
    await shot(s, 'login');
    await s.type('#login-clerk', 'demo-clerk');
    await s.type('#login-password', 'demo' + Key.Enter);
    await s.waitFor('[data-testid="screen-intake"]', 'the new-application screen');
    await until('the register online', async () => (await connection(s)) === 'online');
    // No pcscd here: the card service is a calm state in the status bar.
    if (!existsSync('/run/pcscd/pcscd.comm')) {
      await s.waitFor('[data-testid="cards"][data-running="false"]', 'the card service shown as not running');
    }
    await shot(s, 'logged-in');

    // One application online, acknowledged.
    const first = await submitApplication(s, { pesel: '85022812343', surname: 'Żółkiewska-Łęcka', given: 'Zofia Małgorzata', place: 'Łódź' });
    if (!/^DEMO-01-/.test(first)) throw new Error(`unexpected number ${first}`);
    await shot(s, 'saved-online');
    // The receipt: saved as PDF with a preview of its first page.
    await s.click('[data-testid="preview-button"]');
    await s.waitFor('[data-testid="print-result"]', 'the receipt saved');
    await s.waitFor('img.preview', 'the receipt preview');
    await shot(s, 'receipt-preview');
    await s.keys(Key.Alt + '2');
    await s.waitFor(`tr[data-number="${first}"][data-sync="acknowledged"]`, 'the first application acknowledged');
    await shot(s, 'acknowledged');

    // Cut the register; two more saved offline.
    await s.keys(Key.Alt + Key.Shift + 'o');
    await until('the register offline', async () => (await connection(s)) === 'offline');
    await s.waitFor('[data-testid="offline-banner"]', 'the offline banner');
    await s.keys(Key.Alt + '1');
    const second = await submitApplication(s, { pesel: '92071314764', surname: 'Wiśniewska', given: 'Janina', place: 'Kraków' });
    const note = await s.text(await s.find('[data-testid="saved-note"]'));
    if (!/automatycznie/.test(note)) throw new Error(`the offline note is missing: ${note}`);
    await shot(s, 'saved-offline');
    await s.keys(Key.Enter); // next application
    const third = await submitApplication(s, { pesel: '75120512348', surname: 'Dąbrowska', given: 'Ewa', place: 'Gdańsk' });
    await until('a queue of 2', async () => (await depth(s)) === 2);
    await s.waitFor('[data-testid="offline-banner"]', 'the offline banner');
    await shot(s, 'offline-queue-2');

    // An invalid PESEL: the error at its field, in Polish.
    await s.keys(Key.Enter);
    await s.waitFor('[data-testid="application-form"]', 'the application form');
    await s.type('[data-path="applicant.pesel"]', '85022812344' + Key.Tab);
    const err = await s.waitFor('[data-error-for="applicant.pesel"]', 'the PESEL field error');
    const errText = await s.text(err);
    if (!/PESEL/i.test(errText)) throw new Error(`unexpected PESEL error: ${errText}`);
    await shot(s, 'invalid-pesel');

    // Restore: the queue drains to 0, each application stored once.
    await s.keys(Key.Alt + Key.Shift + 'r');
    await until('the queue drained', async () => (await depth(s)) === 0, 60000);
    await until('the register online', async () => (await connection(s)) === 'online');
    const stats = await registerStats(s);
    if (stats.applications !== 3 || stats.duplicate_attempts !== 0) throw new Error(`register stats: ${JSON.stringify(stats)}`);
    await s.keys(Key.Alt + '2');
    for (const n of [first, second, third]) {
      await s.waitFor(`tr[data-number="${n}"][data-sync="acknowledged"]`, `${n} acknowledged`);
    }
    await shot(s, 'drained');

    // Hand over a ready document, typed like a scanner would.
    await s.keys(Key.Alt + '3');
    await s.waitFor('[data-testid="ready-list"]', 'the ready list');
    await s.type('#scan', 'DA0000001' + Key.Enter);
    await s.waitFor('[data-testid="document"]', 'the document');
    await s.type('[data-path="identity_document"]', 'dowód osobisty ABC123456');
    await s.keys(Key.Control + Key.Enter);
    await s.waitFor('[data-testid="handover-saved"]', 'the hand-over saved');
    await s.click('[data-testid="handover-saved"] [data-testid="preview-button"]');
    await s.waitFor('img.preview', 'the hand-over protocol preview');
    await until('the hand-over acknowledged', async () => (await registerStats(s)).handovers === 1);
    await shot(s, 'handed-over');

    await s.keys(Key.Alt + '4');
    await s.waitFor('[data-testid="screen-outbox"]', 'the outbox');
    await shot(s, 'outbox');
    console.log(`e2e: passed (${step} screenshots in ${shots})`);
  } finally {
    await s.delete().catch(() => {});
  }
  rmSync(data, { recursive: true, force: true });
}

main()
  .then(() => {
    stopAll();
    process.exit(0);
  })
  .catch((e) => {
    console.error(`e2e: FAILED: ${e.message}`);
    console.error(logs());
    stopAll();
    process.exit(1);
  });
