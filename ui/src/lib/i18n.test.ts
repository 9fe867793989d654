import { describe, expect, it } from 'vitest';
import type { ApplicationStatus, DecisionOutcome, DocumentState, SyncState } from './bindings';
import { count, errorWords, refusalReason, registerReason, tr, trDynamic, unsendableReason } from './i18n';

describe('counted nouns', () => {
  it('take the Polish form the number needs', () => {
    const attempts = [0, 1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 112].map((n) => count('pl', 'attempt', n));
    expect(attempts).toEqual([
      '0 prób', '1 próba', '2 próby', '4 próby', '5 prób', '11 prób',
      '12 prób', '14 prób', '21 prób', '22 próby', '25 prób', '112 prób',
    ]);
    expect([1, 3, 5].map((n) => count('pl', 'character', n))).toEqual(['1 znak', '3 znaki', '5 znaków']);
    expect(count('en', 'attempt', 1)).toBe('1 attempt');
    expect(count('en', 'attempt', 2)).toBe('2 attempts');
  });
});

describe('the shared table', () => {
  it('has words for every state, status, decision and kind the screens show', () => {
    const states: SyncState[] = ['pending', 'in_flight', 'acknowledged', 'rejected', 'conflict', 'unsendable', 'local'];
    const statuses: ApplicationStatus[] = ['submitted', 'accepted', 'rejected', 'in_personalisation', 'ready_for_collection', 'handed_over', 'withdrawn', 'unclaimed'];
    const docs: DocumentState[] = ['awaiting_collection', 'valid', 'invalidated'];
    const outcomes: DecisionOutcome[] = ['accept_refusal', 'corrected_elsewhere', 'escalated'];
    const keys = [
      ...states.map((s) => `state_${s}` as const),
      ...statuses.map((s) => `app_${s}` as const),
      ...docs.map((s) => `doc_${s}` as const),
      ...outcomes.map((s) => `outcome_${s}` as const),
      'kind_submit_application' as const,
      'kind_passport' as const,
    ];
    for (const k of keys) {
      for (const lang of ['pl', 'en'] as const) {
        const w = tr(lang, k);
        expect(w, k).not.toBe(k);
        expect(w.length, k).toBeGreaterThan(0);
      }
    }
    expect(tr('pl', 'state_acknowledged')).toBe('rejestr przyjął');
    expect(tr('pl', 'outcome_accept_refusal')).toContain('Rejestr ma rację');
  });
  it('never shows a raw code', () => {
    expect(trDynamic('pl', 'kind_from_the_future')).not.toContain('from_the_future');
    expect(registerReason('pl', '409 document_already_issued: document DA0000003 was handed over')).toBe(
      'rejestr ma już zapisane wydanie tego dokumentu',
    );
    expect(registerReason('pl', '409 application_number_taken: taken')).not.toContain('application_number_taken');
    expect(registerReason('pl', '422 new_code: ?')).not.toContain('new_code');
    expect(refusalReason('pl', 'unsendable', null, 'the photo ab is missing from the journal')).toBe('brak zdjęcia w bazie stanowiska');
  });
});

describe('unsendable reasons', () => {
  it('read the sync engine\'s notes as words.rs does', () => {
    // The same notes as words.rs's unsendable_notes_are_read_back_into_reasons.
    const cases: [string, string][] = [
      ['entry 7: the payload version 3 is newer than this release', 'zapisu nie da się odczytać (uszkodzony lub z nowszej wersji programu)'],
      ['the photo ab12 is missing from the journal', 'brak zdjęcia w bazie stanowiska'],
      ['the photo ab12 cannot be read: disk', 'zdjęcia nie da się odczytać'],
      ['the stored photo ab12 has been changed (its bytes hash to cd34)', 'zdjęcie zmieniono po zapisaniu wniosku'],
      ['entry 9 (intake_override) is kept at this counter and never sent', 'zapis tylko na tym stanowisku; nie jest wysyłany do rejestru'],
      ['entry 9 has an unreadable time "x": bad', 'nieczytelny czas zapisu'],
      [
        'entry 9 was first sent more than 90 days ago and the register may no longer know its key: check',
        'pierwsza próba wysłania była zbyt dawno: przed ponownym wysłaniem sprawdź stan w rejestrze',
      ],
      ['something else', 'zapisu nie można wysłać'],
    ];
    for (const [note, want] of cases) expect(unsendableReason('pl', note), note).toBe(want);
  });
  it('gives error codes their words', () => {
    expect(errorWords('pl', 'decision.outcome')).toBe('wybierz decyzję');
    expect(errorWords('pl', 'pesel.checksum')).toBe('błędna cyfra kontrolna PESEL');
    expect(errorWords('pl', 'no.such_code')).not.toContain('no.such_code');
  });
});
