// Who may collect a document, as the hand-over screen offers it: one digit
// key per choice. An adult: the holder in person, or the legal guardian of
// a person under full guardianship (typed, with the court ruling). A minor:
// each parent or guardian named on the application, then another person
// (typed; Rust checks them against the application again).
import type { Collector, DocumentView, GuardianChoice } from './bindings';

export type CollectorKind = 'holder' | 'parent' | 'legal_guardian';

export interface Choice {
  /** The digit that picks it. */
  key: string;
  kind: CollectorKind;
  /** Named on the application: the person's details come from it. */
  guardian: GuardianChoice | null;
  /** The person's details are typed by the clerk. */
  typed: boolean;
  /** The PESEL it stands for ('' when typed): the e2e test's handle. */
  pesel: string;
}

export function collectorChoices(doc: DocumentView): Choice[] {
  const list: Omit<Choice, 'key'>[] = [];
  if (!doc.holder_minor) {
    list.push({ kind: 'holder', guardian: null, typed: false, pesel: doc.document.pesel });
    list.push({ kind: 'legal_guardian', guardian: null, typed: true, pesel: '' });
  } else {
    for (const g of doc.guardians) {
      list.push({ kind: g.role === 'legal_guardian' ? 'legal_guardian' : 'parent', guardian: g, typed: false, pesel: g.pesel });
    }
    list.push({ kind: 'parent', guardian: null, typed: true, pesel: '' });
  }
  // Digits 1–9: more than eight guardians do not occur on an application.
  return list.slice(0, 9).map((c, i) => ({ ...c, key: String(i + 1) }));
}

/** The collector Rust receives for a choice and what the clerk typed. */
export function collectorOf(
  choice: Choice | null,
  typedKind: CollectorKind,
  person: { pesel: string; surname: string; given_names: string },
  courtRuling: string,
): Collector {
  if (!choice) return { kind: 'holder' };
  const kind = choice.typed && choice.kind !== 'legal_guardian' ? typedKind : choice.kind;
  const p = { pesel: person.pesel.trim(), surname: person.surname.trim(), given_names: person.given_names.trim() };
  if (kind === 'holder') return { kind: 'holder' };
  if (kind === 'legal_guardian') {
    const ruling = courtRuling.trim();
    return { kind: 'legal_guardian', ...p, court_ruling: ruling === '' ? null : ruling };
  }
  return { kind: 'parent', ...p };
}

// ---- The identity document shown: typed (kind + number) ----

export type IdentityKind = 'id_card' | 'passport' | 'residence_card';

/** The kinds offered, in order; `words` open the journal's text (the
 *  domain's `IdentityKind::words`), the labels start with distinct letters
 *  so one key picks each in the list (d / p / k; i / p / r). */
export const identityKinds: { kind: IdentityKind; words: string; pl: string; en: string }[] = [
  { kind: 'id_card', words: 'dowód osobisty', pl: 'dowód osobisty', en: 'ID card' },
  { kind: 'passport', words: 'paszport', pl: 'paszport', en: 'passport' },
  { kind: 'residence_card', words: 'karta pobytu', pl: 'karta pobytu', en: 'residence card' },
];

/** A number as typed, without spaces, in capitals. */
export function normaliseNumber(s: string): string {
  return s.replace(/\s+/g, '').toUpperCase();
}

/** The Polish ID card's check digit (the 4th character): weights
 *  7 3 1 9 7 3 1 7 3, A = 10 … Z = 35, the sum divisible by 10. */
export function idCardCheckDigitOk(n: string): boolean {
  if (!/^[A-Z]{3}[0-9]{6}$/.test(n)) return false;
  const w = [7, 3, 1, 9, 7, 3, 1, 7, 3];
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    const c = n.charCodeAt(i);
    sum += (c >= 65 ? c - 55 : c - 48) * w[i];
  }
  return sum % 10 === 0;
}

export interface Words {
  pl: string;
  en: string;
}

/** What is wrong with the number for its kind (the same rule Rust applies
 *  again), or null. An empty number: null (required is said on hand-over). */
export function identityProblem(kind: IdentityKind, number: string): Words | null {
  const n = normaliseNumber(number);
  if (n === '') return null;
  if (kind === 'id_card' && !idCardCheckDigitOk(n))
    return {
      pl: 'Numer dowodu osobistego to 3 litery i 6 cyfr, np. ABC523456 (pierwsza cyfra jest kontrolna): porównaj go z dowodem.',
      en: 'An ID card number is 3 letters and 6 digits, e.g. ABC523456 (the first digit is a check digit): compare it with the card.',
    };
  if (kind === 'passport' && !/^[A-Z]{2}[0-9]{7}$/.test(n))
    return {
      pl: 'Numer paszportu to 2 litery i 7 cyfr, np. EA1234567: porównaj go z paszportem.',
      en: 'A passport number is 2 letters and 7 digits, e.g. EA1234567: compare it with the passport.',
    };
  if (kind === 'residence_card' && !/^[A-Z]{2}[0-9]{7}$/.test(n))
    return {
      pl: 'Numer karty pobytu to 2 litery i 7 cyfr, np. RP1234567: porównaj go z kartą.',
      en: 'A residence card number is 2 letters and 7 digits, e.g. RP1234567: compare it with the card.',
    };
  return null;
}

/** The text the hand-over carries: "dowód osobisty ABC523456" ('' while
 *  no number is typed, so Rust says it is required). */
export function composeIdentity(kind: IdentityKind, number: string): string {
  const n = normaliseNumber(number);
  if (n === '') return '';
  const k = identityKinds.find((x) => x.kind === kind) ?? identityKinds[0];
  return `${k.words} ${n}`;
}

/** A kept text read back into kind and number (an ID card when it names
 *  no kind). */
export function parseIdentity(text: string): { kind: IdentityKind; number: string } {
  const t = text.trim().replace(/\s+/g, ' ');
  const k = identityKinds.find((x) => t.toLowerCase().startsWith(x.words + ' ') || t.toLowerCase() === x.words);
  if (!k) return { kind: 'id_card', number: t };
  return { kind: k.kind, number: t.slice(k.words.length).trim() };
}

/** Typed or pasted with its kind ("dowód osobisty ABC…", "paszport EA…")
 *  into the number field: the kind it names and the rest, else null. */
export function kindTypedInNumber(value: string): { kind: IdentityKind; number: string } | null {
  const lower = value.toLowerCase().replace(/\s+/g, ' ').trimStart();
  for (const k of identityKinds) {
    if (lower.startsWith(k.words + ' ')) return { kind: k.kind, number: lower.slice(k.words.length + 1).toUpperCase() };
  }
  return null;
}

// ---- Words of the screen ----

/** "30 lat", "1 rok", "2 lata", "22 lata"; "30 years", "1 year". */
export function ageWords(lang: 'pl' | 'en', n: number): string {
  if (lang === 'en') return `${n} ${n === 1 ? 'year' : 'years'}`;
  const mod10 = n % 10;
  const mod100 = n % 100;
  const word = n === 1 ? 'rok' : mod10 >= 2 && mod10 <= 4 && !(mod100 >= 12 && mod100 <= 14) ? 'lata' : 'lat';
  return `${n} ${word}`;
}

/** The longest document or application number the scan field takes. */
export const MAX_SCAN = 30;

/** Why a scan cannot be looked up, before asking: empty, or too long. */
export function scanProblem(code: string): 'empty' | 'too_long' | null {
  const t = code.trim();
  if (t === '') return 'empty';
  if (t.length > MAX_SCAN) return 'too_long';
  return null;
}

/** What the clerk typed, shown back at most `max` characters long. */
export function echo(text: string, max = MAX_SCAN): string {
  const t = text.trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

/** Only a form the clerk did something in is worth keeping: opening a
 *  document alone (an adult's holder being the default) is not. */
export function worthKeeping(form: {
  document_number: string;
  collector_kind: CollectorKind;
  collector_pesel: string;
  collector_surname: string;
  collector_given_names: string;
  identity_document: string;
  previous_passport: string;
  court_ruling_reference: string;
}): boolean {
  if (form.document_number.trim() === '') return false;
  if (form.collector_kind !== 'holder') return true;
  return [
    form.collector_pesel,
    form.collector_surname,
    form.collector_given_names,
    form.identity_document,
    form.previous_passport,
    form.court_ruling_reference,
  ].some((v) => v.trim() !== '');
}

/** "Matka" from "matka": the choices all start with a capital. */
export function capitalised(s: string): string {
  return s.charAt(0).toLocaleUpperCase('pl') + s.slice(1);
}
