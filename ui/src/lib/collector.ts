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
