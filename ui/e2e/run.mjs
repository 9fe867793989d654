// End-to-end test of the real app window: Xvfb + tauri-driver +
// WebKitWebDriver, the app in demo mode with its embedded register.
// Everything started here is stopped by pid. Screenshots: target/e2e/.
//
//   node ui/e2e/run.mjs            (make e2e builds the app first)
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, logs, root, start, startUntil, stop, stopAll, until } from './harness.mjs';
import { Key } from './webdriver.mjs';

const shots = join(root, 'target/e2e');
const virtualCard = join(root, 'target/debug/virtual-card');
const PCSCD_SOCKET = '/run/pcscd/pcscd.comm';
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
  if (existsSync(PCSCD_SOCKET)) throw new Error(`another pcscd is running (${PCSCD_SOCKET}): the chip check needs its own`);
  // A test PKI; the app trusts its CSCA (the data directory's csca/).
  execFileSync(virtualCard, ['pki', '--out', join(data, 'pki')]);
  mkdirSync(join(data, 'csca'));
  copyFileSync(join(data, 'pki/trust/csca.pem'), join(data, 'csca/csca.pem'));
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
    // No pcscd yet: the card service is a calm state in the status bar.
    await s.waitFor('[data-testid="cards"][data-running="false"]', 'the card service shown as not running');
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
    // The chip check through the real pcscd, with the project's virtual
    // passport personalised from the MRZ the register sent.
    const mrz = (await s.text(await s.find('[data-testid="document"] code'))).replace(/\s+/g, '');
    if (mrz.length !== 88) throw new Error(`MRZ on screen: ${mrz}`);
    start('pcscd', ['--foreground'], process.env, 'pcscd');
    await s.waitFor('[data-testid="cards"][data-running="true"]', 'the card service picked up');
    const passport = (variant) =>
      startUntil(virtualCard, ['passport', '--pki', join(data, 'pki'), '--mrz', mrz, '--variant', variant], `virtual passport (${variant})`, 'inserted');
    // A passport whose DG1 was altered: the check says so, the hand-over is refused.
    let card = await passport('tampered-dg1');
    await s.waitFor('[data-testid="cards"][data-card="true"]', 'the passport on the reader');
    await s.keys(Key.Alt + 'c');
    await s.waitFor('[data-testid="chip-verdict"][data-outcome="hash_mismatch"]', 'the altered chip detected');
    await s.waitFor('[data-check="hashes"][data-passed="false"]', 'the hash check failed');
    await s.type('[data-path="identity_document"]', 'dowód osobisty ABC123456');
    await s.keys(Key.Control + Key.Enter);
    await s.waitFor('[data-testid="handover-error"]', 'the hand-over refused', { pred: async (el) => (await s.text(el)).includes('chip') || (await s.text(el)).includes('układ') });
    await shot(s, 'chip-altered');
    await stop(card);
    // The genuine passport: every check passes, the chip's face is shown.
    await s.waitFor('[data-testid="cards"][data-card="false"]', 'the altered passport taken away');
    card = await passport('valid');
    // Checked at once: the check waits for the passport to be laid down.
    await s.keys(Key.Alt + 'c');
    await s.waitFor('[data-testid="chip-verdict"][data-outcome="passed"]', 'the chip check passed');
    await s.waitFor('[data-testid="chip-face"]', 'the chip face image', { pred: async (el) => Number(await s.prop(el, 'naturalWidth')) > 0 });
    await shot(s, 'chip-passed');
    await s.keys(Key.Control + Key.Enter);
    await s.waitFor('[data-testid="handover-saved"]', 'the hand-over saved');
    await s.click('[data-testid="handover-saved"] [data-testid="preview-button"]');
    await s.waitFor('img.preview', 'the hand-over protocol preview');
    await until('the hand-over acknowledged', async () => (await registerStats(s)).handovers === 1);
    await shot(s, 'handed-over');
    await stop(card);

    // The clerk card in the second reader: tie it to the account, lock,
    // a wrong PIN says the tries left, the right one unlocks.
    card = await startUntil(virtualCard, ['clerk', '--card-id', 'CLK-0042', '--pin', '2468', '--port', '35964'], 'virtual clerk card', 'inserted');
    await s.click('[data-testid="card-bind-open"]');
    await s.type('#bind-password', 'demo');
    await s.type('#bind-pin', '2468' + Key.Enter);
    await s.waitFor('[data-testid="card-bound"]', 'the card tied', { pred: async (el) => (await s.text(el)).includes('CLK-0042') });
    await s.keys(Key.Alt + 'k');
    await s.waitFor('#login-pin', 'the lock screen');
    await s.type('#login-pin', '1111' + Key.Enter);
    await s.waitFor('[data-testid="login-error"]', 'the wrong PIN refused', { pred: async (el) => (await s.text(el)).includes('2 próby') });
    await shot(s, 'card-wrong-pin');
    await s.type('#login-pin', '2468' + Key.Enter);
    await s.waitFor('[data-testid="screen-handover"]', 'unlocked with the card');
    await stop(card);

    await s.keys(Key.Alt + '4');
    await s.waitFor('[data-testid="screen-outbox"]', 'the outbox');
    await shot(s, 'outbox');
    console.log(`e2e: passed (${step} screenshots in ${shots})`);
  } catch (e) {
    await shot(s, 'FAILURE').catch(() => {});
    throw e;
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
