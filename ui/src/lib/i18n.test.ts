import { describe, expect, it } from 'vitest';
import type { ApplicationStatus, DecisionOutcome, DocumentState, SyncState } from './bindings';
import { count, refusalReason, registerReason, tr, trDynamic } from './i18n';

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
