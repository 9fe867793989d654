// Words that fit their subject: the supervisor's decisions and the roles
// shown at log-in (before: "the applicant is told" for a hand-over, and
// "(clerk)" in the Polish window).
import { describe, expect, it } from 'vitest';
import { decisionWords, roleWords } from './i18n';

describe('decisions in words that fit what was refused', () => {
  it('a hand-over has a holder, not an applicant', () => {
    const pl = decisionWords('pl', 'record_handover', 'accept_refusal');
    expect(pl).toBe('Rejestr ma rację: dokument nie zostanie wydany, posiadacz zostanie poinformowany');
    expect(decisionWords('en', 'record_handover', 'accept_refusal')).not.toMatch(/applicant/);
  });
  it('an application keeps its applicant', () => {
    expect(decisionWords('pl', 'submit_application', 'accept_refusal')).toMatch(/wnioskodawca/);
  });
  it('an invalidation names neither', () => {
    expect(decisionWords('pl', 'invalidate_document', 'accept_refusal')).not.toMatch(/wnioskodawca|posiadacz zostanie/);
    expect(decisionWords('pl', 'invalidate_document', 'corrected_elsewhere')).toBe('Unieważnienie poprawione w rejestrze inną drogą');
  });
});

describe('roles in words', () => {
  it('Polish and English, never the code', () => {
    expect(roleWords('pl', 'clerk')).toBe('urzędnik');
    expect(roleWords('pl', 'supervisor')).toBe('kierownik');
    expect(roleWords('en', 'supervisor')).toBe('supervisor');
    expect(roleWords('pl', 'auditor')).not.toBe('auditor');
  });
});
