// End-to-end test of the real app window: Xvfb + tauri-driver +
// WebKitWebDriver, the app in demo mode with its embedded register.
// Everything started here is stopped by pid. Screenshots: target/e2e/.
//
// It walks through a clerk's day and the "Done when": a draft that
// survives the lock and a crash with a restart; an online hand-over the
// register refuses shown as refused before anything says "issued", raised
// in the status bar; a parent chosen from the application and sent to the
// register as the collector; the status bar's connecting / online /
// offline with the age of the last successful contact in correct Polish;
// axe-core on every screen (serious or critical violations fail).
//
//   node ui/e2e/run.mjs            (make e2e builds the app first)
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkA11y } from './a11y.mjs';
import { crashAndRestart, launch, logs, root, start, startUntil, stop, stopAll, until } from './harness.mjs';
import { chord, Key, sleep } from './webdriver.mjs';

const shots = join(root, 'target/e2e');
const virtualCard = join(root, 'target/debug/virtual-card');
const PCSCD_SOCKET = '/run/pcscd/pcscd.comm';
let step = 0;

async function shot(s, name) {
  step += 1;
  const file = join(shots, `${String(step).padStart(2, '0')}-${name}.png`);
  writeFileSync(file, await s.screenshot());
  console.log(`  ✓ ${name}  (${file})`);
  return file;
}

const registerUrl = async (s) => s.attr(await s.find('[data-testid="demo"]'), 'data-register-url');

async function registerStats(s) {
  return (await fetch(`${await registerUrl(s)}/admin/stats`)).json();
}

async function setFaults(s, faults) {
  const r = await fetch(`${await registerUrl(s)}/admin/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  if (!r.ok) throw new Error(`faults ${JSON.stringify(faults)}: ${r.status} ${await r.text()}`);
}

const depth = async (s) => Number(await s.attr(await s.find('[data-testid="queue-depth"]'), 'data-depth'));
const connection = async (s) => s.attr(await s.find('[data-testid="connection"]'), 'data-state');
const value = async (s, css) => s.prop(await s.find(css), 'value');
const exists = async (s, css) => (await s.findAll(css)).length > 0;

/** A valid PESEL for a birth date, a serial and a sex. */
function pesel(year, month, day, serial, female) {
  const offset = year >= 2000 ? 20 : 0;
  const two = (n) => String(n).padStart(2, '0');
  const sexDigit = (serial % 5) * 2 + (female ? 0 : 1);
  const body = `${two(year % 100)}${two(month + offset)}${two(day)}${String(serial).padStart(3, '0')}${sexDigit}`;
  const w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
  const sum = [...body].reduce((acc, d, i) => acc + Number(d) * w[i], 0);
  return body + String((10 - (sum % 10)) % 10);
}

/** Which Polish form a number takes: 0 one, 1 few, 2 many (written out,
 *  not with Intl, so the app's use of Intl.PluralRules is checked). */
function polishForm(n) {
  if (n === 1) return 0;
  const d = n % 10;
  const h = n % 100;
  return d >= 2 && d <= 4 && !(h >= 12 && h <= 14) ? 1 : 2;
}
const AGO_UNITS = [['sekundę', 'sekundy', 'sekund'], ['minutę', 'minuty', 'minut'], ['godzinę', 'godziny', 'godzin'], ['dzień', 'dni', 'dni']];

/** The status bar's age of the last successful contact, checked for its
 *  Polish form; returns the seconds it stands for. */
async function lastSuccess(s) {
  const el = await s.find('[data-testid="last-success"]');
  const text = (await s.text(el)).trim();
  const secs = Number(await s.attr(el, 'data-secs'));
  if (text === 'ostatni udany kontakt przed chwilą') return secs;
  const m = /^ostatni udany kontakt (\d+) (\S+) temu$/.exec(text);
  if (!m) throw new Error(`the last successful contact reads "${text}"`);
  const n = Number(m[1]);
  const unit = AGO_UNITS.find((forms) => forms.includes(m[2]));
  if (!unit || unit[polishForm(n)] !== m[2]) throw new Error(`wrong Polish form: "${text}" (${n} takes "${unit?.[polishForm(n)]}")`);
  return secs;
}

/** Polls the connection state every 100 ms until `final`; returns every
 *  state seen, in order. */
async function connectionStates(s, final, timeout = 60000) {
  const seen = [];
  const started = Date.now();
  for (;;) {
    const c = await connection(s);
    if (seen[seen.length - 1] !== c) seen.push(c);
    if (c === final) return seen;
    if (Date.now() - started > timeout) throw new Error(`timed out waiting for ${final}: ${seen.join(' → ')}`);
    await sleep(100);
  }
}

async function logIn(s, clerk) {
  await s.waitFor('#login-clerk', 'the log-in form');
  await s.type('#login-clerk', clerk);
  await s.type('#login-password', 'demo' + Key.Enter);
}

async function fillApplication(s, { pesel, surname, given, place }) {
  await s.waitFor('[data-testid="application-form"]', 'the application form');
  await s.type('[data-path="applicant.pesel"]', pesel);
  await s.type('[data-path="applicant.surname"]', surname);
  await s.type('[data-path="applicant.given_names"]', given);
  await s.type('[data-path="applicant.birth_place"]', place);
  await s.click('[data-testid="demo-photo"]');
  await s.waitFor('[data-testid="fee"]', 'the fee', { pred: async (el) => (await s.text(el)).includes('zł') });
}

/** Focuses `css` (as Tab would reach it) for the next keys. */
async function focusOn(s, css) {
  await s.find(css);
  await s.execute('document.querySelector(arguments[0]).focus();', [css]);
  await until(`the focus on ${css}`, () => s.focused(css), 5000);
}

/** A wavy signature across the pad, offsets from its centre in CSS px. */
function signatureStrokes() {
  const wave = [];
  for (let i = 0; i <= 40; i++) wave.push([-220 + i * 11, Math.round(35 * Math.sin(i / 3))]);
  return [wave, [[120, -50], [140, -20], [150, -45]]];
}

/** The index finger of `hand` bandaged today: E opens the exception,
 *  "temporarily impossible", the supervisor's id and password typed at
 *  the counter. A wrong password is refused at the field and nothing is
 *  recorded; the right one records the exception as confirmed, and the
 *  focus comes back to the hand, now waiting for its middle finger. */
async function confirmBandaged(s, hand) {
  const side = hand === 'left' ? 'Left' : 'Right';
  // Esc from the form goes back to the hand, nothing recorded.
  await s.keyboard('e');
  await until('the focus on the exception reason', () => s.focused('[data-testid="exception-reason"]'), 5000);
  await s.keyboard(Key.Escape);
  await until('the exception form closed by Esc', async () => !(await exists(s, '[data-testid="exception-form"]')), 5000);
  await until(`the focus back on the ${hand} hand after Esc`, () => s.focused(`[data-testid="capture-${hand}"]`), 5000);
  await s.keyboard('e');
  await until('the focus on the exception reason', () => s.focused('[data-testid="exception-reason"]'), 5000);
  await s.click('[data-testid="exception-reason"] option[value="temporarily_impossible"]');
  await s.type('[data-testid="exception-supervisor"]', 'demo-supervisor');
  await s.type('[data-testid="exception-password"]', 'nie-to-haslo' + Key.Enter);
  await s.waitFor('[data-error-for="biometrics.finger_exceptions.supervisor"]', 'the wrong supervisor password refused', {
    pred: async (el) => (await s.text(el)).includes('Nieprawidłowy identyfikator lub hasło'),
  });
  await until('the focus back on the password', () => s.focused('[data-testid="exception-password"]'), 5000);
  if (await exists(s, `[data-testid="exception-${hand}-index"]`)) throw new Error('an exception recorded with a wrong password');
  await s.type('[data-testid="exception-password"]', 'demo' + Key.Enter);
  await s.waitFor(`[data-testid="exception-${hand}-index"]`, 'the exception confirmed', {
    pred: async (el) => /potwierdzenie kierownika demo-supervisor, godz\. \d{2}:\d{2}/.test(await s.text(el)),
  });
  await until(`the focus back on the ${hand} hand`, () => s.focused(`[data-testid="capture-${hand}"]`), 5000);
  const waiting = await s.text(await s.find(`[data-testid="hand-${hand}"]`));
  if (!waiting.includes('środkowy')) throw new Error(`after the exception the ${hand} hand waits for: ${waiting.slice(0, 200)}`);
  console.log(`  ✓ ${side} index finger temporarily impossible: a wrong supervisor password refused, the right one confirms it`);
}

/** The biometrics step as the rules ask (none for a child): both index
 *  fingers captured from the keyboard (Space on each hand's button), the
 *  signature drawn with the pointer and accepted from the keyboard
 *  (Enter on "Zatwierdź podpis"); the image shown is the one Rust drew. */
async function takeBiometrics(s, { lockMidSignature = null, bandaged = null } = {}) {
  await until('the rules known', async () => (await s.text(await s.find('[data-testid="fee"]'))).includes('zł') || (await exists(s, '[data-testid="biometrics-step"]')), 10000);
  if (!(await exists(s, '[data-testid="biometrics-step"]'))) return false;
  /** Each hand's "retakes left" after its capture. */
  const retakes = {};
  if (await exists(s, '[data-testid="fingerprints"]')) {
    await s.waitFor('[data-testid="fp-device"][data-state="ready"]', 'the fingerprint scanner ready');
    let movedOn = false;
    for (const hand of ['left', 'right']) {
      const state = await s.attr(await s.find(`[data-testid="hand-${hand}"]`), 'data-state');
      if (state === 'captured') continue;
      // A good capture of the left finger moves the focus on to the right
      // hand (the button keeps the focus while it captures).
      if (movedOn) await until('the focus moved on to the right hand', () => s.focused(`[data-testid="capture-${hand}"]`), 5000);
      else await focusOn(s, `[data-testid="capture-${hand}"]`);
      if (hand === bandaged) await confirmBandaged(s, hand);
      await s.keyboard(' '); // Space captures
      await s.waitFor(`[data-testid="hand-${hand}"][data-state="captured"]`, `the ${hand} finger captured`, { timeout: 30000 });
      const q = await s.text(await s.find(`[data-testid="quality-${hand}"]`));
      if (!/jakość \d+/.test(q)) throw new Error(`the ${hand} quality reads "${q}"`);
      const [, quality, threshold] = /jakość (\d+)(?: \/ próg (\d+))?/.exec(q) ?? [];
      movedOn = hand === 'left' && Number(quality) >= Number(threshold ?? 0);
      // The retakes left, in their Polish plural form, kept with the form.
      retakes[hand] = (await s.text(await s.find(`[data-testid="retakes-left-${hand}"]`))).trim();
      if (!/^Do wykorzystania: (1 ponowne pobranie|[234] ponowne pobrania|[05] ponownych pobrań)$/.test(retakes[hand])) throw new Error(`the ${hand} retakes left read "${retakes[hand]}"`);
    }
  }
  if (await exists(s, '[data-testid="signature-pad"]')) {
    await s.draw('[data-testid="signature-pad"]', signatureStrokes());
    if (lockMidSignature) {
      // Drawn, not yet accepted: the strokes survive a lock like the form.
      await sleep(1500);
      await s.keyboard(Key.Alt + 'k');
      await s.waitFor('#login-pin', 'the lock screen');
      await s.type('#login-password', 'demo' + Key.Enter);
      await s.waitFor('[data-testid="screen-intake"]', 'back after unlocking');
      await restoreDraft(s, lockMidSignature);
      await s.waitFor('[data-testid="signature-accept"]', 'the drawn signature kept over the lock', { pred: async (el) => !(await s.prop(el, 'disabled')) });
      console.log('  ✓ a signature drawn and not yet accepted survived the lock');
      // The captures made are counted on over the lock: no fresh retakes.
      for (const [hand, before] of Object.entries(retakes)) {
        const after = (await s.text(await s.find(`[data-testid="retakes-left-${hand}"]`))).trim();
        if (after !== before) throw new Error(`the ${hand} retakes left were "${before}" before the lock, "${after}" after it`);
      }
      if (Object.keys(retakes).length > 0) console.log(`  ✓ the retakes left survived the lock (${Object.values(retakes).join('; ')})`);
    }
    await focusOn(s, '[data-testid="signature-accept"]');
    await s.keyboard(Key.Enter);
    await s.waitFor('[data-testid="signature-image"]', 'the signature as Rust drew it');
    // The image Rust drew has ink (the strokes, kept over a lock too).
    const inked = await s.executeAsync(`
      const done = arguments[arguments.length - 1];
      const img = document.querySelector('[data-testid="signature-image"]');
      img.decode().then(() => {
        const c = document.createElement('canvas');
        c.width = img.naturalWidth; c.height = img.naturalHeight;
        const g = c.getContext('2d');
        g.drawImage(img, 0, 0);
        const d = g.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && d[i] < 128) n++;
        done(n);
      }).catch((e) => done(-1));
    `);
    if (!(inked > 100)) throw new Error(`the accepted signature has ${inked} inked pixels`);
  }
  return true;
}

/** From a filled form: review, confirm; the application number. */
async function reviewAndSave(s, { a11y = false } = {}) {
  await takeBiometrics(s);
  await s.keyboard(Key.Control + Key.Enter); // to the review
  await s.waitFor('[data-testid="review"]', 'the review').catch(async (e) => {
    const errors = await s.findAll('[data-error-for]');
    const texts = await Promise.all(errors.map(async (el) => `${await s.attr(el, 'data-error-for')}: ${await s.prop(el, 'textContent')}`));
    throw new Error(`${e.message}; the form says: ${texts.join('; ') || 'nothing'}`);
  });
  if (a11y) await checkA11y(s, 'the review');
  const citizenship = (await s.text(await s.find('[data-review="citizenship"]'))).trim();
  if (!['polskie', 'Polish'].includes(citizenship)) throw new Error(`the review shows the citizenship as "${citizenship}"`);
  await s.keyboard(Key.Control + Key.Enter); // confirm and save
  const el = await s.waitFor('[data-testid="saved-number"]', 'the application number');
  return s.text(el);
}

async function submitApplication(s, person) {
  await fillApplication(s, person);
  return reviewAndSave(s);
}

/** A draft offered back after a return: restored by keyboard when the
 *  offer has focus. Accepts a form that kept the draft without asking. */
async function restoreDraft(s, expectPesel, { a11y = false } = {}) {
  await until('the draft offered back or kept', async () =>
    (await exists(s, '[data-testid="draft-offer"]')) ||
    ((await exists(s, '[data-path="applicant.pesel"]')) && (await value(s, '[data-path="applicant.pesel"]')) === expectPesel), 20000);
  if (await exists(s, '[data-testid="draft-offer"]')) {
    if (a11y) await checkA11y(s, 'the draft offered back');
    if (await s.focused('[data-testid="draft-restore"]')) await s.keyboard(Key.Enter);
    else await s.click('[data-testid="draft-restore"]');
  }
  await until('the draft restored', async () =>
    (await exists(s, '[data-path="applicant.pesel"]')) && (await value(s, '[data-path="applicant.pesel"]')) === expectPesel, 10000);
}

/** The journal's entry id (the register's idempotency key) of the
 *  hand-over of `document`, as the app's outbox lists it (asked through
 *  the window's own IPC: the journal file is sealed with SQLCipher, so
 *  sqlite3 cannot read it). */
async function handoverKey(s, document) {
  const outbox = await s.executeAsync('window.__TAURI_INTERNALS__.invoke("outbox").then(arguments[0], (e) => arguments[0]({ error: e }));');
  if (outbox?.error) throw new Error(`outbox: ${JSON.stringify(outbox.error)}`);
  const key = document.replace(/[^A-Z0-9]/g, '');
  const entry = [...outbox.recent, ...outbox.queued, ...outbox.refused]
    .filter((e) => e.kind === 'record_handover' && e.record_key === key)
    .sort((a, b) => b.seq - a.seq)[0];
  if (!entry) throw new Error(`no hand-over of ${document} in the outbox`);
  return entry.id;
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
  let s = await launch(data);
  try {
    console.log('e2e: the app in demo mode');
    // Log in.
    await s.waitFor('#login-clerk', 'the log-in form');
    await shot(s, 'login');
    await checkA11y(s, 'the log-in screen');
    // The demo's register keys work before anyone logs in, as its buttons do.
    await s.keyboard(Key.Alt + Key.Shift + 'o');
    await s.waitFor('[data-testid="demo-restore"]', 'the register cut from the log-in screen (Alt+Shift+O)');
    await s.keyboard(Key.Alt + Key.Shift + 'r');
    await s.waitFor('[data-testid="demo-cut"]', 'the register restored from the log-in screen (Alt+Shift+R)');
    if ((await value(s, '#login-clerk')) !== '') throw new Error(`the demo keys typed into the clerk field: "${await value(s, '#login-clerk')}"`);
    await logIn(s, 'demo-clerk');
    await s.waitFor('[data-testid="screen-intake"]', 'the new-application screen');
    await until('the register online', async () => (await connection(s)) === 'online');
    await lastSuccess(s);
    // No pcscd yet: the card service is a calm state in the status bar.
    await s.waitFor('[data-testid="cards"][data-running="false"]', 'the card service shown as not running');
    await shot(s, 'logged-in');
    await checkA11y(s, 'the new-application form');

    // A half-typed application survives the lock (Alt+K) and comes back.
    const zofia = { pesel: '85022812343', surname: 'Żółkiewska-Łęcka', given: 'Zofia Małgorzata', place: 'Łódź' };
    await s.type('[data-path="applicant.pesel"]', zofia.pesel);
    await s.type('[data-path="applicant.surname"]', zofia.surname);
    await sleep(1500); // the draft is saved as the clerk types
    await s.keyboard(Key.Alt + 'k');
    await s.waitFor('#login-pin', 'the lock screen');
    await checkA11y(s, 'the lock screen');
    await s.type('#login-password', 'demo' + Key.Enter);
    await s.waitFor('[data-testid="screen-intake"]', 'back after unlocking');
    await restoreDraft(s, zofia.pesel);
    if ((await value(s, '[data-path="applicant.surname"]')) !== zofia.surname) throw new Error('the surname was lost over the lock');
    console.log('  ✓ the draft survived the lock');

    // One application online, acknowledged: the restored draft, finished.
    await s.type('[data-path="applicant.given_names"]', zofia.given);
    await s.type('[data-path="applicant.birth_place"]', zofia.place);
    // The photo from the scanner (SANE's test backend in demo mode), from
    // the keyboard: Alt+S scans, the arrows move the 35×45 frame, + scales
    // it, Enter takes the photo; Rust cuts and checks it.
    await s.keyboard(Key.Alt + 's');
    await s.waitFor('[data-testid="scan-preview"]', 'the scan preview', { timeout: 30000 });
    await until('the focus on the scan preview', () => s.focused('[data-testid="scan-preview"]'), 5000);
    const frameLabel = async () => s.attr(await s.find('[data-testid="scan-preview"]'), 'aria-label');
    await s.keyboard('\uE014\uE014\uE015'); // → → ↓
    if (!/: 2 × 1 mm, szerokość 35 mm/.test(await frameLabel())) throw new Error(`the frame after the arrows: ${await frameLabel()}`);
    await s.keyboard('+');
    if (!/szerokość 35,5 mm/.test(await frameLabel())) throw new Error(`the frame after +: ${await frameLabel()}`);
    await shot(s, 'scanner-frame');
    await s.keyboard(Key.Enter);
    await s.waitFor('[data-testid="photo-name"]', 'the scanned photo taken', { pred: async (el) => (await s.text(el)).includes('skanera') });
    await s.waitFor('[data-testid="fee"]', 'the fee', { pred: async (el) => (await s.text(el)).includes('zł') });
    if (!(await takeBiometrics(s, { lockMidSignature: zofia.pesel, bandaged: 'right' }))) throw new Error('no biometrics step for an adult');
    await shot(s, 'biometrics');
    await checkA11y(s, 'the biometrics step');
    // The step survives the lock like the rest of the form.
    await sleep(1500);
    await s.keyboard(Key.Alt + 'k');
    await s.waitFor('#login-pin', 'the lock screen');
    await s.type('#login-password', 'demo' + Key.Enter);
    await s.waitFor('[data-testid="screen-intake"]', 'back after unlocking');
    await restoreDraft(s, zofia.pesel);
    await s.waitFor('[data-testid="signature-image"]', 'the signature kept over the lock');
    await s.waitFor('[data-testid="hand-right"][data-state="captured"]', 'the fingerprints kept over the lock');
    await s.waitFor('[data-testid="exception-right-index"]', 'the confirmed exception kept over the lock', {
      pred: async (el) => /potwierdzenie kierownika demo-supervisor/.test(await s.text(el)),
    });
    console.log('  ✓ fingerprints (Space), signature (pen, Enter) and a scanned photo (Alt+S, arrows, Enter) taken; kept over the lock');
    const first = await reviewAndSave(s, { a11y: true });
    const firstKey = await s.attr(await s.find('[data-testid="saved-number"]'), 'data-journal-id');
    if (!/^DEMO-01-/.test(first)) throw new Error(`unexpected number ${first}`);
    // The saved screen follows the register: "przyjęty przez rejestr" once
    // it accepted the application, without leaving the screen.
    await s.waitFor('[data-testid="saved-note"][data-sync="acknowledged"]', 'the saved screen saying the register accepted it', {
      pred: async (el) => (await s.text(el)).includes('przyjęty przez rejestr'),
    });
    await shot(s, 'saved-online');
    // What the register stored: the left index and the right middle finger
    // with their quality and PNG, the right index as an exception the
    // supervisor confirmed, the signature image Rust drew, the scanned
    // 35×45 photo.
    const stored = (await (await fetch(`${await registerUrl(s)}/admin/received/${firstKey}`)).json()).body;
    const fp = stored?.biometrics?.fingerprints;
    const positions = (fp?.captures ?? []).map((c) => c.position).sort().join(', ');
    if (positions !== 'Left IndexFinger, Right MiddleFinger' || !fp.captures.every((c) => c.quality > 0 && c.image.base64.length > 100)) {
      throw new Error(`the register stored the fingerprints ${JSON.stringify(fp)?.slice(0, 300)}`);
    }
    const exceptions = JSON.stringify(fp.exceptions);
    if (exceptions !== JSON.stringify([{ position: 'Right IndexFinger', reason: 'temporarily_impossible', supervisor_id: 'demo-supervisor' }])) {
      throw new Error(`the register stored the exceptions ${exceptions}`);
    }
    const sig = stored.biometrics.signature;
    if (sig?.kind !== 'signed' || sig.image.width !== 1000 || sig.image.height !== 300) throw new Error(`the register stored the signature ${JSON.stringify(sig)?.slice(0, 200)}`);
    const photoPng = Buffer.from(stored.photo.base64, 'base64');
    const [pw, ph] = [photoPng.readUInt32BE(16), photoPng.readUInt32BE(20)];
    if (Math.abs(pw / ph - 35 / 45) > 0.01 || pw < 492) throw new Error(`the register stored a ${pw}×${ph} photo`);
    console.log(`  ✓ the register stored the left index and right middle fingers, the confirmed exception, the signature (1000×300) and the scanned photo (${pw}×${ph})`);
    await checkA11y(s, 'the saved application');
    // The receipt: saved as PDF with a preview of its first page.
    await s.click('[data-testid="preview-button"]');
    await s.waitFor('[data-testid="print-result"]', 'the receipt saved');
    await s.waitFor('img.preview', 'the receipt preview');
    await shot(s, 'receipt-preview');
    await s.keyboard(Key.Alt + '2');
    await s.waitFor(`tr[data-number="${first}"][data-sync="acknowledged"]`, 'the first application acknowledged');
    await shot(s, 'acknowledged');
    const listed = await s.text(await s.find('[data-testid="applications"]'));
    if (!/\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}/.test(listed)) throw new Error(`no dd.mm.rrrr date in the applications list: ${listed.slice(0, 200)}`);
    await checkA11y(s, 'the applications list');

    // A minor's application naming the mother; the register personalises
    // its passport, which later comes back in the ready list.
    await s.keyboard(Key.Alt + '1');
    await s.keyboard(Key.Enter); // next application
    const child = { pesel: pesel(2016, 5, 10, 12, true), surname: 'Nowak', given: 'Lena', place: 'Poznań' };
    const mother = { pesel: pesel(1988, 3, 4, 123, true), surname: 'Nowak', given: 'Anna' };
    await s.waitFor('[data-testid="application-form"]', 'the application form');
    await s.type('[data-path="applicant.pesel"]', child.pesel);
    await s.type('[data-path="applicant.surname"]', child.surname);
    await s.type('[data-path="applicant.given_names"]', child.given);
    await s.type('[data-path="applicant.birth_place"]', child.place);
    await s.waitFor('[data-testid="minor-section"]', 'the minor section');
    await s.click('[data-testid="add-guardian"]');
    await s.waitFor('[data-path="guardians[0].pesel"]', 'the mother row');
    await s.type('[data-path="guardians[0].pesel"]', mother.pesel);
    await s.type('[data-path="guardians[0].surname"]', mother.surname);
    await s.type('[data-path="guardians[0].given_names"]', mother.given);
    // Enter after the parent's given names passes over "Usuń" to "Dodaj
    // rodzica/opiekuna" (a second Enter once deleted the row just typed).
    await s.keyboard(Key.Enter);
    await until('Enter past "Usuń" to "Dodaj rodzica/opiekuna"', () => s.focused('[data-testid="add-guardian"]'), 5000);
    await s.keyboard(Key.Enter);
    await until('the focus on the new row', () => s.focused('[data-path="guardians[1].pesel"]'), 5000);
    // A father with a woman's PESEL: a warning at his PESEL, not a refusal.
    await s.keyboard(pesel(1987, 7, 7, 321, true) + Key.Enter);
    await s.waitFor('[data-warning-for="guardians[1].pesel"]', 'the warning of a father with a woman\'s PESEL', {
      pred: async (el) => /PESEL wskazuje kobietę/.test(await s.text(el)),
    });
    // The mother's PESEL a second time: an error.
    await s.click('[data-path="guardians[1].pesel"]');
    await s.keyboard(Key.Control + 'a');
    await s.keyboard('\uE003' + mother.pesel + Key.Enter);
    await s.waitFor('[data-error-for="guardians[1].pesel"]', 'the same PESEL twice refused', {
      pred: async (el) => /już/.test(await s.text(el)),
    });
    // A removed row comes back with Ctrl+Z; removed again, on we go.
    await s.click('[data-testid="remove-guardian-1"]');
    await s.waitFor('[data-testid="restore-guardian"]', 'the offer to restore the removed row');
    await s.keyboard(Key.Control + 'z');
    await until('the removed row back', async () => (await exists(s, '[data-path="guardians[1].pesel"]')) && (await value(s, '[data-path="guardians[1].pesel"]')) === mother.pesel, 5000);
    await s.click('[data-testid="remove-guardian-1"]');
    await until('the row removed again', async () => !(await exists(s, '[data-path="guardians[1].pesel"]')), 5000);
    console.log('  ✓ Enter passes over "Usuń"; a father with a woman\'s PESEL warned; the same PESEL twice refused; a removal undone');
    await s.click('[data-path="consent.basis"] option[value="father_unknown"]');
    await s.click('[data-testid="demo-photo"]');
    await s.waitFor('[data-testid="fee"]', 'the fee', { pred: async (el) => (await s.text(el)).includes('zł') });
    await checkA11y(s, 'the form with a minor and a parent');
    const minorNumber = await reviewAndSave(s);
    await s.keyboard(Key.Alt + '2');
    await s.waitFor(`tr[data-number="${minorNumber}"][data-sync="acknowledged"]`, 'the minor\'s application acknowledged');
    const personalised = await fetch(`${await registerUrl(s)}/admin/personalise`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ application_number: minorNumber }),
    });
    if (personalised.status !== 201) throw new Error(`personalise: ${personalised.status} ${await personalised.text()}`);
    const minorDocument = (await personalised.json()).document_number;

    // Cut the register; two more saved offline. The age of the last
    // successful contact keeps growing through the register's 503s.
    await s.keyboard(Key.Alt + Key.Shift + 'o');
    await until('the register offline', async () => (await connection(s)) === 'offline');
    await s.waitFor('[data-testid="offline-banner"]', 'the offline banner');
    const before = await lastSuccess(s);
    await sleep(4000);
    const after = await lastSuccess(s);
    if (!(after >= before + 3)) throw new Error(`offline, the last successful contact went from ${before} s to ${after} s ago`);
    await s.keyboard(Key.Alt + '1');
    const second = await submitApplication(s, { pesel: '92071314764', surname: 'Wiśniewska', given: 'Janina', place: 'Kraków' });
    const note = await s.text(await s.find('[data-testid="saved-note"]'));
    if (!/automatycznie/.test(note)) throw new Error(`the offline note is missing: ${note}`);
    await shot(s, 'saved-offline');
    await s.keyboard(Key.Enter); // next application
    const third = await submitApplication(s, { pesel: '75120512348', surname: 'Dąbrowska', given: 'Ewa', place: 'Gdańsk' });
    await until('a queue of 2', async () => (await depth(s)) === 2);
    await s.waitFor('[data-testid="offline-banner"]', 'the offline banner');
    await lastSuccess(s);
    await shot(s, 'offline-queue-2');
    // The queued rows say whose applications wait, by number and name.
    await s.keyboard(Key.Alt + '4');
    const queued = await s.waitFor('[data-testid="outbox-queued"]', 'the queued rows', {
      pred: async (el) => (await s.findAll('[data-testid="outbox-queued"] [data-testid="outbox-person"]')).length === 2,
    });
    const queuedText = await s.text(queued);
    for (const want of [second, 'Wiśniewska', third, 'Dąbrowska']) {
      if (!queuedText.includes(want)) throw new Error(`the queued rows do not name ${want}: ${queuedText}`);
    }
    await checkA11y(s, 'the outbox with a queue');
    await s.keyboard(Key.Alt + '1');
    await s.waitFor('[data-testid="screen-intake"]', 'the new-application screen again');

    // By keyboard alone, as the tester did: Enter after a whole PESEL goes
    // to the surname (the PESEL no longer moves on by itself), then each
    // Enter to the next field.
    if (await exists(s, '[data-testid="saved"]')) await s.keyboard(Key.Enter); // next application
    await s.click('[data-path="applicant.pesel"]');
    await s.keyboard('85022812343' + Key.Enter);
    await s.keyboard('Kowalski' + Key.Enter);
    await s.keyboard('Jan' + Key.Enter);
    await s.keyboard('Łódź');
    for (const [path, want] of [['applicant.surname', 'Kowalski'], ['applicant.given_names', 'Jan'], ['applicant.birth_place', 'Łódź']]) {
      const got = await value(s, `[data-path="${path}"]`);
      if (got !== want) throw new Error(`typed by Enter: ${path} holds "${got}", not "${want}"`);
    }
    // Esc from the review and a lock give the focus back where the clerk
    // was (not to the full PESEL, where the next keys would be dropped).
    await s.keyboard(Key.Alt + 'd');
    await s.waitFor('[data-testid="fee"]', 'the fee', { pred: async (el) => (await s.text(el)).includes('zł') });
    await takeBiometrics(s);
    await focusOn(s, '[data-path="applicant.birth_place"]');
    await s.keyboard(Key.Control + Key.Enter);
    await s.waitFor('[data-testid="review"]', 'the review');
    await s.keyboard(Key.Escape);
    await s.waitFor('[data-testid="application-form"]', 'the form after Esc');
    await until('the focus back on the place of birth after Esc', () => s.focused('[data-path="applicant.birth_place"]'), 5000);
    await sleep(1000); // the draft is saved as the clerk types
    await s.keyboard(Key.Alt + 'k');
    await s.waitFor('#login-pin', 'the lock screen');
    await s.type('#login-password', 'demo' + Key.Enter);
    await s.waitFor('[data-testid="screen-intake"]', 'back after unlocking');
    await restoreDraft(s, '85022812343');
    await until('the focus back on the place of birth after unlocking', () => s.focused('[data-path="applicant.birth_place"]'), 5000);
    // Money in the UI's language.
    await s.keyboard(Key.Alt + 'l');
    await s.waitFor('[data-testid="fee"]', 'the fee in English', { pred: async (el) => /^PLN\s?\d+\.\d{2}$/.test((await s.text(el)).trim()) });
    await s.keyboard(Key.Alt + 'l');
    await s.waitFor('[data-testid="fee"]', 'the fee in Polish', { pred: async (el) => /^\d+,\d{2}\s?zł$/.test((await s.text(el)).trim()) });
    console.log('  ✓ Enter moves field by field from the PESEL on; the focus comes back where the clerk was');
    // Cleared for the next step.
    await s.click('[data-path="applicant.pesel"]');
    await s.keyboard(Key.Control + 'a');
    await s.keyboard('\uE003');
    // An invalid PESEL: the error at its field, in Polish.
    if (await exists(s, '[data-testid="saved"]')) await s.keyboard(Key.Enter); // next application
    await s.waitFor('[data-testid="application-form"]', 'the application form');
    // Measured from the form's own corner: the error must not move the
    // fields within the form (the status bar above may change height as
    // its texts change; that is not this check's business).
    const boxes = () => s.execute(`const f = document.querySelector('[data-testid="application-form"]').getBoundingClientRect();
      return ['[data-path="applicant.pesel"]', '[data-path="applicant.surname"]', 'fieldset:nth-of-type(3) legend']
      .map((c) => { const r = document.querySelector(c)?.getBoundingClientRect(); return r ? [r.x - f.x, r.y - f.y, r.width, r.height].map(Math.round).join(',') : c; }).join(' ');`);
    const boxesBefore = await boxes();
    await s.type('[data-path="applicant.pesel"]', '85022812344' + Key.Tab);
    // Its words from the DOM: WebDriver's rendered text of a bubble laid
    // over the next row (absolutely positioned) comes back empty.
    // The error of the PESEL typed, not the "Podaj numer PESEL." the
    // cleared field showed a moment before (the check is debounced).
    const err = await s.waitFor('[data-error-for="applicant.pesel"]', 'the PESEL field error', {
      pred: async (el) => /dokument/.test(await s.prop(el, 'textContent')),
    });
    const errText = await s.prop(err, 'textContent');
    if (!/PESEL/i.test(errText)) throw new Error(`unexpected PESEL error: ${errText}`);
    // The message is read whole by WebDriver's element text, and advises
    // the document; the fields and the next legend have not moved.
    const seen = await s.text(err);
    if (!/dokument/.test(seen)) throw new Error(`the PESEL error as WebDriver reads it: "${seen}"`);
    const boxesAfter = await boxes();
    if (boxesAfter !== boxesBefore) throw new Error(`the form moved when the error appeared: ${boxesBefore} → ${boxesAfter}`);
    await shot(s, 'invalid-pesel');
    await checkA11y(s, 'the form with a field error');

    // Restore: "connecting" until the first successful exchange, then
    // online; the queue drains to 0, each application stored once.
    // The register answers slowly at first (1.5 s a request), so the
    // attempt under way is on screen long enough to be seen every run.
    await setFaults(s, { latency_ms: 1500 });
    await s.keyboard(Key.Alt + Key.Shift + 'r');
    const states = await connectionStates(s, 'online');
    await setFaults(s, { latency_ms: 0 });
    if (!states.includes('connecting')) throw new Error(`no "connecting" on the way back: ${states.join(' → ')}`);
    console.log(`  ✓ the register back: ${states.join(' → ')}`);
    await until('the queue drained', async () => (await depth(s)) === 0, 60000);
    const stats = await registerStats(s);
    if (stats.applications !== 4 || stats.duplicate_attempts !== 0) throw new Error(`register stats: ${JSON.stringify(stats)}`);
    await s.keyboard(Key.Alt + '2');
    for (const n of [first, second, third]) {
      await s.waitFor(`tr[data-number="${n}"][data-sync="acknowledged"]`, `${n} acknowledged`);
    }
    await shot(s, 'drained');

    // A passport the register already has as handed over at another
    // counter: the screen waits for the register and says "refused",
    // never "issued"; the refusal is raised in the status bar.
    // (It happens while this clerk has the document open: opened later,
    // the register's word is shown before any form, checked below.)
    const otherCounterHandsOver = async () => {
    const other = await fetch(`${await registerUrl(s)}/v1/handovers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'Idempotency-Key': randomUUID() },
      body: JSON.stringify({
        document_number: 'DA0000003', office: 'DEMO', workstation: '02', clerk_id: 'demo-clerk',
        device_time: new Date().toISOString(), collected_by: { role: 'holder' },
        identity_check: 'dowód osobisty XYZ987654', chip_check: 'not_checked', previous_passport: null, provisional: false,
      }),
    });
    if (other.status !== 201) throw new Error(`the other counter's hand-over: ${other.status} ${await other.text()}`);
    };
    await s.keyboard(Key.Alt + '3');
    await s.waitFor('[data-testid="ready-list"]', 'the ready list');
    await checkA11y(s, 'the hand-over screen');
    await s.type('#scan', 'DA0000003' + Key.Enter);
    await s.waitFor('[data-testid="document"]', 'the document');
    await checkA11y(s, 'the hand-over of a document');
    await otherCounterHandsOver();
    await s.type('[data-path="identity_document"]', 'dowód osobisty ABC523456');
    await s.keyboard(Key.Control + Key.Enter);
    const handoverStates = [];
    await until('the hand-over refused', async () => {
      const els = await s.findAll('[data-testid="handover-state"]');
      const st = els.length ? await s.attr(els[0], 'data-state') : null;
      if (st && handoverStates[handoverStates.length - 1] !== st) handoverStates.push(st);
      if (st === 'issued' || (await exists(s, '[data-testid="handover-saved"]'))) {
        throw new Error(`the conflict was shown as issued: ${handoverStates.join(' → ')}`);
      }
      return st === 'refused';
    }, 30000);
    console.log(`  ✓ the conflict shown before any "wydany": ${handoverStates.join(' → ')}`);
    await shot(s, 'handover-conflict');
    await checkA11y(s, 'the refused hand-over');
    const notices = await s.waitFor('[data-testid="notices"]', 'the refusal raised in the status bar');
    const noticeText = await s.text(notices);
    if (!/\b1 odmowa rejestru\b/.test(noticeText)) throw new Error(`the notice reads "${noticeText}"`);
    await s.keyboard(Key.Alt + 'n');
    await s.waitFor('[data-testid="notice"][data-number="DA0000003"]', 'the notice of DA0000003');
    if (!(await s.focused('[data-testid="notice-list"]'))) throw new Error('Alt+N did not bring the focus to the notices');
    await shot(s, 'notices');
    await checkA11y(s, 'the notices');
    await s.keyboard(Key.Escape);
    await until('the notices closed', async () => !(await exists(s, '[data-testid="notice-list"]')), 5000);
    // Opened again: the register's word on the document comes first, and
    // no form to fill.
    await s.keyboard(Key.Alt + '2');
    await s.keyboard(Key.Alt + '3');
    await s.type('#scan', 'DA0000003' + Key.Enter);
    await s.waitFor('[data-testid="register-check"][data-state="handed_over"]', 'the register says DA0000003 was handed over elsewhere');
    if (await exists(s, '[data-testid="handover-form"]')) throw new Error('a hand-over form for a document the register has as handed over');
    console.log('  ✓ a document handed over elsewhere is said on opening, before any form');
    await s.keyboard(Key.Escape);

    // The minor's passport, collected by the mother chosen from the
    // application; the register receives her as the collector.
    await until(`${minorDocument} in the ready list`, async () => {
      await s.keyboard(Key.Alt + '2');
      await s.keyboard(Key.Alt + '3');
      await s.waitFor('[data-testid="screen-handover"]', 'the hand-over screen');
      return (await exists(s, '[data-testid="ready-list"]')) && (await s.text(await s.find('[data-testid="ready-list"]'))).includes(minorDocument);
    }, 120000);
    await s.type('#scan', minorDocument + Key.Enter);
    await s.waitFor('[data-testid="document"]', 'the minor\'s document');
    // One key, as the choice shows it (the focus is on the choices).
    const motherChoice = `[data-testid="collector-choice"][data-pesel="${mother.pesel}"]`;
    const choice = await s.waitFor(motherChoice, 'the mother offered as the collector');
    const choiceKey = await s.attr(choice, 'aria-keyshortcuts');
    if (!choiceKey) throw new Error('the mother\'s choice has no key');
    await s.keyboard(chord(choiceKey));
    await s.waitFor(`${motherChoice}[aria-checked="true"]`, `the mother chosen with ${choiceKey}`);
    await shot(s, 'collector-chosen');
    await checkA11y(s, 'the collector chosen');
    // Enter moves on and never hands over; typed at full speed, every
    // character lands where it was typed.
    if (!(await s.focused('[data-path="identity_document.kind"]'))) throw new Error('after the choice the focus is not on the document kind');
    await s.keyboard(Key.Enter);
    await until('Enter moved on to the number', () => s.focused('[data-path="identity_document"]'), 3000);
    await s.keys('DEF554321' + Key.Enter);
    await until('Enter moved on to the previous passport', () => s.focused('[data-path="previous_passport"]'), 3000);
    await s.keyboard(Key.Enter);
    await s.waitFor('[data-testid="last-field-hint"]', 'the reminder that Ctrl+Enter hands over');
    if (await exists(s, '[data-testid="handover-state"]')) throw new Error('Enter handed the document over');
    // The hand-over in progress survives Alt+K: back as it was, focus
    // included, no offer.
    await sleep(800);
    await s.keyboard(Key.Alt + 'k');
    await s.waitFor('#login-pin', 'the lock screen');
    await s.type('#login-password', 'demo' + Key.Enter);
    await s.waitFor('[data-testid="screen-handover"]', 'back on the hand-over after unlocking');
    if (await exists(s, '[data-testid="draft-offer"]')) throw new Error('an offer instead of the hand-over kept in memory');
    await until('the focus back on the previous passport after unlocking', () => s.focused('[data-path="previous_passport"]'), 5000);
    const idValue = await s.prop(await s.find('[data-path="identity_document"]'), 'value');
    if (idValue !== 'DEF554321') throw new Error(`the identity number after unlocking: "${idValue}"`);
    console.log('  ✓ Enter moves on without handing over; the hand-over survives Alt+K with the focus where it was');
    await s.keyboard(Key.Control + Key.Enter);
    await s.waitFor('[data-testid="handover-state"][data-state="issued"]', 'the minor\'s passport issued');
    const received = await (await fetch(`${await registerUrl(s)}/admin/received/${await handoverKey(s, minorDocument)}`)).json();
    const collector = received.body?.collected_by ?? received.collected_by;
    if (collector?.role !== 'parent' || collector.pesel !== mother.pesel) throw new Error(`the register received the collector ${JSON.stringify(received)}`);
    console.log(`  ✓ the mother chosen from the application reached the register as the collector`);

    // Hand over a ready document, typed like a scanner would.
    await s.keyboard(Key.Alt + '2');
    await s.keyboard(Key.Alt + '3');
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
    await s.keyboard(Key.Alt + 'c');
    await s.waitFor('[data-testid="chip-verdict"][data-outcome="hash_mismatch"]', 'the altered chip detected');
    await s.waitFor('[data-check="hashes"][data-passed="false"]', 'the hash check failed');
    await s.type('[data-path="identity_document"]', 'dowód osobisty ABC523456');
    await s.keyboard(Key.Control + Key.Enter);
    await s.waitFor('[data-testid="handover-error"]', 'the hand-over refused', { pred: async (el) => (await s.text(el)).includes('chip') || (await s.text(el)).includes('układ') });
    await shot(s, 'chip-altered');
    await stop(card);
    // The genuine passport: every check passes, the chip's face is shown.
    await s.waitFor('[data-testid="cards"][data-card="false"]', 'the altered passport taken away');
    card = await passport('valid');
    // Checked at once: the check waits for the passport to be laid down.
    await s.keyboard(Key.Alt + 'c');
    await s.waitFor('[data-testid="chip-verdict"][data-outcome="passed"]', 'the chip check passed');
    await s.waitFor('[data-testid="chip-face"]', 'the chip face image', { pred: async (el) => Number(await s.prop(el, 'naturalWidth')) > 0 });
    await shot(s, 'chip-passed');
    await checkA11y(s, 'the chip check');
    await s.keyboard(Key.Control + Key.Enter);
    await s.waitFor('[data-testid="handover-state"][data-state="issued"]', 'the hand-over issued');
    await s.click('[data-testid="handover-saved"] [data-testid="preview-button"]');
    await s.waitFor('img.preview', 'the hand-over protocol preview');
    await until('the hand-over acknowledged', async () => (await registerStats(s)).handovers === 3);
    await shot(s, 'handed-over');
    await stop(card);

    // The clerk card in the second reader: tie it to the account, lock,
    // a wrong PIN says the tries left, the right one unlocks.
    card = await startUntil(virtualCard, ['clerk', '--card-id', 'CLK-0042', '--pin', '2468', '--port', '35964'], 'virtual clerk card', 'inserted');
    await s.click('[data-testid="card-bind-open"]');
    await s.waitFor('#bind-password', 'the card binding form', { timeout: 5000 }).catch(async (e) => {
      const seen = await s.execute(`return JSON.stringify({ active: document.activeElement?.outerHTML.slice(0, 300), nav: document.querySelector('nav')?.outerHTML.slice(0, 2000), lock: !!document.querySelector('#login-pin, #login-clerk') })`);
      throw new Error(`${e.message}; the window: ${seen}`);
    });
    await checkA11y(s, 'tying a clerk card');
    await s.type('#bind-password', 'demo');
    await s.type('#bind-pin', '2468' + Key.Enter);
    await s.waitFor('[data-testid="card-bound"]', 'the card tied', { pred: async (el) => (await s.text(el)).includes('CLK-0042') });
    await s.keyboard(Key.Alt + 'k');
    await s.waitFor('#login-pin', 'the lock screen');
    await s.type('#login-pin', '1111' + Key.Enter);
    await s.waitFor('[data-testid="login-error"]', 'the wrong PIN refused', { pred: async (el) => (await s.text(el)).includes('2 próby') });
    await shot(s, 'card-wrong-pin');
    await s.type('#login-pin', '2468' + Key.Enter);
    await s.waitFor('[data-testid="screen-handover"]', 'unlocked with the card');
    // The card taken out of its reader locks the session at once (in the
    // core); the password unlocks it.
    await stop(card);
    await s.waitFor('#login-pin', 'the lock screen after the card was taken out');
    await s.type('#login-password', 'demo' + Key.Enter);
    await s.waitFor('[data-testid="screen-handover"]', 'unlocked with the password');

    await s.keyboard(Key.Alt + '4');
    await s.waitFor('[data-testid="screen-outbox"]', 'the outbox');
    await shot(s, 'outbox');
    await checkA11y(s, 'the outbox');

    // Log out with the shortcut from the outbox: the next clerk starts on
    // the first screen, not on the previous clerk's.
    await s.keyboard(Key.Alt + Key.Shift + 'q');
    await s.waitFor('#login-clerk', 'the log-in form after Alt+Shift+Q');
    await logIn(s, 'demo-supervisor');
    await s.waitFor('[data-testid="screen-intake"]', 'the supervisor on the first screen, not the outbox');
    await s.keyboard(Key.Alt + '5');
    await s.waitFor('[data-testid="screen-supervisor"]', 'the supervisor screen');
    // Dates as dd.mm.rrrr, inputs included: the day's date is a text
    // field in that form, and no browser date picker is left anywhere.
    const day = await s.waitFor('[data-testid="day-date"]', 'the day\'s date');
    const dayValue = await s.prop(day, 'value');
    if ((await s.prop(day, 'type')) !== 'text' || !/^\d{2}\.\d{2}\.\d{4}$/.test(dayValue)) throw new Error(`the day's date reads "${dayValue}"`);
    if (await exists(s, 'input[type="date"]')) throw new Error('a browser date picker is on the supervisor screen');
    await shot(s, 'supervisor');
    await checkA11y(s, 'the supervisor screen');
    // In English too (Alt+L): the same labels, and the status bar's age.
    await s.keyboard(Key.Alt + 'l');
    await until('the window in English', async () => (await s.execute('return document.documentElement.lang;')) === 'en', 5000);
    const enAge = (await s.text(await s.find('[data-testid="last-success"]'))).trim();
    if (!/^last successful contact (just now|1 (second|minute|hour|day) ago|([02-9]|\d{2,}) (seconds|minutes|hours|days) ago)$/.test(enAge)) throw new Error(`in English the age reads "${enAge}"`);
    await checkA11y(s, 'the supervisor screen in English');
    await s.keyboard(Key.Alt + 'l');
    await until('the window in Polish again', async () => (await s.execute('return document.documentElement.lang;')) === 'pl', 5000);

    // The refusal stayed raised across the log-out, for the next person
    // too, until someone acted: the supervisor's decision ends it.
    await s.waitFor('[data-testid="notices"][data-count="1"]', 'the refusal still raised for the supervisor');
    await s.keyboard(Key.Alt + 'n');
    const noticed = await s.waitFor('[data-testid="notice"][data-number="DA0000003"]', 'the notice of DA0000003');
    const entry = await s.attr(noticed, 'data-entry');
    await s.keyboard(Key.Escape);
    await s.click(`form.decision[data-entry="${entry}"] select option[value="escalated"]`);
    await s.type(`form.decision[data-entry="${entry}"] input[data-entry="${entry}"]`, 'Wydany w punkcie 02; zgłoszono do wyjaśnienia' + Key.Enter);
    await until('the refusal no longer raised after the decision', async () => !(await exists(s, '[data-testid="notices"]')), 15000);
    console.log('  ✓ the refusal stayed raised until the supervisor decided on it');

    // A half-typed application survives a crash and a restart.
    await s.keyboard(Key.Alt + '1');
    await s.waitFor('[data-testid="application-form"]', 'the application form');
    const ewa = { pesel: '75120512348', surname: 'Kowalczyk' };
    await s.type('[data-path="applicant.pesel"]', ewa.pesel);
    await s.type('[data-path="applicant.surname"]', ewa.surname);
    // Half-way through the biometrics step too: the left finger captured
    // and taken again (one retake used), a signature drawn, not accepted.
    await s.waitFor('[data-testid="capture-left"]', 'the biometrics step for an adult', { timeout: 15000 });
    await s.waitFor('[data-testid="fp-device"][data-state="ready"]', 'the fingerprint scanner ready');
    await focusOn(s, '[data-testid="capture-left"]');
    await s.keyboard(' ');
    await s.waitFor('[data-testid="retakes-left-left"]', 'the left finger captured', { timeout: 30000 });
    const retakesAtFirst = Number(await s.attr(await s.find('[data-testid="retakes-left-left"]'), 'data-left'));
    // A good capture moved the focus on to the right hand: back to the left.
    await focusOn(s, '[data-testid="capture-left"]');
    await s.keyboard('r');
    await s.waitFor('[data-testid="retakes-left-left"]', 'one retake used', {
      timeout: 30000,
      pred: async (el) => Number(await s.attr(el, 'data-left')) === retakesAtFirst - 1,
    });
    const retakesBefore = (await s.text(await s.find('[data-testid="retakes-left-left"]'))).trim();
    await s.draw('[data-testid="signature-pad"]', signatureStrokes());
    await sleep(1500);
    s = await crashAndRestart(s, data);
    await logIn(s, 'demo-supervisor');
    await s.waitFor('[data-testid="screen-intake"]', 'the first screen after the restart');
    await s.waitFor('[data-testid="draft-offer"]', 'the draft offered back after the restart');
    await restoreDraft(s, ewa.pesel, { a11y: true });
    if ((await value(s, '[data-path="applicant.surname"]')) !== ewa.surname) throw new Error('the surname was lost in the crash');
    // The step shows once the rules are known again (the age, checked).
    await s.waitFor('[data-testid="retakes-left-left"]', `the retakes left kept over the crash ("${retakesBefore}")`, {
      timeout: 15000,
      pred: async (el) => (await s.text(el)).trim() === retakesBefore,
    });
    await s.waitFor('[data-testid="signature-accept"]', 'the drawn signature kept over the crash', { pred: async (el) => !(await s.prop(el, 'disabled')) });
    console.log(`  ✓ the captures made (${retakesBefore}) and a signature drawn, not accepted, survived the crash`);
    await shot(s, 'draft-after-restart');
    console.log('  ✓ the draft survived a crash and a restart');

    // Alt+Shift+Q logs out from the lock screen too.
    await s.keyboard(Key.Alt + 'k');
    await s.waitFor('#login-pin', 'the lock screen');
    await s.keyboard(Key.Alt + Key.Shift + 'q');
    await s.waitFor('#login-clerk', 'the log-in form after Alt+Shift+Q on the lock screen');

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
