// Keystroke benchmark (make bench-keys): the standard adult application,
// driven by the keyboard alone in the real window, after log-in: PESEL,
// surname, given names, place of birth, the demo photo, the review, the
// confirmation. Every key goes through WebDriver to whatever has focus (no
// clicks, no focusing by script), so what is counted is what a clerk would
// press. Reports the keys beyond the characters of the data:
//
//   navigation keystrokes beyond the data: N
//
// Moving between fields presses Tab (or, with --nav=enter, Enter) until the
// focus is on the next field the clerk needs, counting each press and
// naming the stops on the way. A button with its own shortcut (its
// aria-keyshortcuts, shown on it) is pressed by that chord. A chord (Ctrl+Enter) counts as one
// keystroke; a character counts as one whatever keys a layout needs for it.
//
//   node ui/e2e/keystrokes.mjs [--nav=tab|enter]
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, logs, stopAll } from './harness.mjs';
import { chord, Key, sleep } from './webdriver.mjs';

const nav = (process.argv.find((a) => a.startsWith('--nav=')) ?? '--nav=tab').slice(6);
if (!['tab', 'enter'].includes(nav)) throw new Error(`--nav=tab or --nav=enter, not ${nav}`);
const NAV_KEY = nav === 'tab' ? Key.Tab : Key.Enter;

// The standard adult application (the demo data's first adult).
const DATA = [
  ['applicant.pesel', '85022812343'],
  ['applicant.surname', 'Żółkiewska-Łęcka'],
  ['applicant.given_names', 'Zofia Małgorzata'],
  ['applicant.birth_place', 'Łódź'],
];

let dataKeys = 0;
let navKeys = 0;
const navLog = [];

/** What is focused, named for the report. */
const focusName = (s) =>
  s.execute(`const a = document.activeElement;
    if (!a || a === document.body) return '(nothing)';
    return a.dataset.path ?? a.dataset.testid ?? a.id ?? a.tagName.toLowerCase();`);

/** Presses the navigation key until `css` has focus; counts each press. */
async function reach(s, css, what) {
  const stops = [];
  while (!(await s.focused(css))) {
    if (stops.length >= 40) throw new Error(`${what}: not reached after 40 presses of ${nav} (stops: ${stops.join(', ')})`);
    await s.keyboard(NAV_KEY);
    navKeys += 1;
    await sleep(40);
    stops.push(await focusName(s));
  }
  if (stops.length > 0) navLog.push(`${stops.length} × ${nav === 'tab' ? 'Tab' : 'Enter'} to ${what}${stops.length > 1 ? ` (past ${stops.slice(0, -1).join(', ')})` : ''}`);
}

/** One key or chord that is not data (pressing a button, a shortcut). */
async function press(s, keys, why) {
  await s.keyboard(keys);
  navKeys += 1;
  navLog.push(`1 × ${why}`);
}

async function main() {
  const data = mkdtempSync(join(tmpdir(), 'passport-keys-'));
  const s = await launch(data);
  try {
    // Log-in is not counted.
    await s.waitFor('#login-clerk', 'the log-in form');
    await s.type('#login-clerk', 'demo-clerk');
    await s.type('#login-password', 'demo' + Key.Enter);
    await s.waitFor('[data-testid="application-form"]', 'the application form');
    await sleep(300);

    for (const [path, text] of DATA) {
      await reach(s, `[data-path="${path}"]`, path);
      await s.keyboard(text);
      dataKeys += [...text].length;
      await sleep(60);
    }
    // The photo: by the button's own shortcut when it has one (what the
    // clerk is shown on it), else by moving to it and pressing Enter.
    const photoKey = await s.attr(await s.find('[data-testid="demo-photo"]'), 'aria-keyshortcuts');
    if (photoKey) {
      await press(s, chord(photoKey), `${photoKey} for the demo photo`);
    } else {
      await reach(s, '[data-testid="demo-photo"]', 'the demo photo');
      await press(s, Key.Enter, 'Enter on the demo photo');
    }
    await s.waitFor('[data-testid="fee"]', 'the fee', { pred: async (el) => (await s.text(el)).includes('zł') });
    // Every character landed where it belongs: a count of keys that typed
    // into the wrong field would be no count at all.
    for (const [path, text] of DATA) {
      const got = await s.prop(await s.find(`[data-path="${path}"]`), 'value');
      if (got !== text) throw new Error(`${path} holds "${got}", not "${text}"`);
    }
    await press(s, Key.Control + Key.Enter, 'Ctrl+Enter to the review');
    await s.waitFor('[data-testid="review"]', 'the review');
    await sleep(200);
    await press(s, Key.Control + Key.Enter, 'Ctrl+Enter to confirm');
    const number = await s.text(await s.waitFor('[data-testid="saved-number"]', 'the application saved'));

    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    console.log(`keystroke benchmark (navigation by ${nav === 'tab' ? 'Tab' : 'Enter'}), saved ${number}`);
    for (const l of navLog) console.log(`  ${l}`);
    console.log(`keystrokes after log-in: ${dataKeys + navKeys} (data ${dataKeys})`);
    console.log(`navigation keystrokes beyond the data: ${navKeys}`);
    console.log(`machine: ${cpu} × ${cpus().length}, node ${process.version}`);
  } finally {
    await s.delete().catch(() => {});
    rmSync(data, { recursive: true, force: true });
  }
}

main()
  .then(() => {
    stopAll();
    process.exit(0);
  })
  .catch((e) => {
    console.error(`keystroke benchmark: FAILED: ${e.message}`);
    console.error(logs());
    stopAll();
    process.exit(1);
  });
