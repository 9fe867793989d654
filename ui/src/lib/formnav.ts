// The new-application form's keyboard and focus rules, kept apart from the
// screen so they can be tested: where Enter moves, where the focus goes
// back to, a removed guardian row that can be put back, the warning a
// parent's PESEL may call for, and the words of the review.
import { peselInfo } from './format';
import type { Lang } from './bindings';

/** A control of the form in Tab order, as Enter sees it. */
export type Stop = {
  /** Enter passes over it (a button that removes something: two Enters
   *  out of habit must never delete what was just typed). */
  enterSkips: boolean;
};

/** Where Enter in `stops[from]` moves: the next control Enter stops at, or
 *  null at the end of the form. */
export function enterTarget(stops: Stop[], from: number): number | null {
  for (let i = from + 1; i < stops.length; i++) {
    if (!stops[i].enterSkips) return i;
  }
  return null;
}

/** Where the focus goes back to when the form returns (unlock, auto-lock,
 *  a screen switch, Esc from the review, a restored draft).
 *
 *  - `remembered`: the field the clerk was last in, if still on screen;
 *  - `required`: the required fields in form order with their values;
 *  - `lastEdited`: the field changed last, if any.
 *
 *  `kind: 'resume'` (the clerk was working here a moment ago) goes back to
 *  where the clerk was; `kind: 'restore'` (a draft kept from before) goes
 *  to the first empty required field, else where the clerk was or what
 *  was edited last. Never to a field that is full to its limit while
 *  another is empty: what the clerk goes on typing would be dropped. */
export function resumeField(
  kind: 'resume' | 'restore',
  remembered: string | null,
  required: [path: string, value: string][],
  lastEdited: string | null,
  present: (path: string) => boolean,
): string {
  const firstEmpty = required.find(([, v]) => v.trim() === '')?.[0] ?? null;
  const candidates =
    kind === 'resume' ? [remembered, firstEmpty, lastEdited] : [firstEmpty, remembered, lastEdited];
  for (const c of candidates) {
    if (c && present(c)) return c;
  }
  return required[0]?.[0] ?? 'applicant.pesel';
}

/** A guardian row taken out, to be put back where it was. */
export type Removed<T> = { index: number; row: T };

/** The list without row `i`, and what it takes to put it back. */
export function removeRow<T>(rows: T[], i: number): { rows: T[]; removed: Removed<T> } {
  return { rows: rows.filter((_, j) => j !== i), removed: { index: i, row: rows[i] } };
}

/** The row put back at its place (or at the end if the list got shorter). */
export function restoreRow<T>(rows: T[], removed: Removed<T>): T[] {
  const at = Math.min(removed.index, rows.length);
  return [...rows.slice(0, at), removed.row, ...rows.slice(at)];
}

/** A PESEL whose sex disagrees with the role: a warning, never a refusal
 *  (a PESEL changed after a change of sex keeps being valid; the clerk
 *  checks the document). Null when it agrees, for a legal guardian, or
 *  when the PESEL is not a valid one (that is the PESEL's own error). */
export function guardianSexWarning(role: string, pesel: string): 'guardian_pesel_male' | 'guardian_pesel_female' | null {
  const info = peselInfo(pesel.trim());
  if (!info) return null;
  if (role === 'mother' && info.sex === 'M') return 'guardian_pesel_male';
  if (role === 'father' && info.sex === 'F') return 'guardian_pesel_female';
  return null;
}

/** A citizenship code as a person reads it: "polskie" for POL; any other
 *  code (the form refuses them, but a reader never sees a bare code) as
 *  "kod XYZ". */
export function citizenshipWord(lang: Lang, code: string): string {
  const c = code.trim().toUpperCase();
  if (c === 'POL') return lang === 'pl' ? 'polskie' : 'Polish';
  if (c === '') return '–';
  return lang === 'pl' ? `kod ${c}` : `code ${c}`;
}

/** Money in the UI's language: "140,00 zł" in Polish, "PLN 140.00" in
 *  English (Intl.NumberFormat). */
export function money(lang: Lang, grosz: number): string {
  return new Intl.NumberFormat(lang === 'pl' ? 'pl-PL' : 'en-GB', { style: 'currency', currency: 'PLN' }).format(grosz / 100);
}

/** "Popraw zaznaczone pole (1)." / "Popraw zaznaczone pola (6)."; "Correct
 *  the marked field (1)." / "Correct the marked fields (6).". */
export function fixFields(lang: Lang, n: number): string {
  if (lang === 'pl') return `Popraw zaznaczone ${n === 1 ? 'pole' : 'pola'} (${n}).`;
  return `Correct the marked ${n === 1 ? 'field' : 'fields'} (${n}).`;
}
