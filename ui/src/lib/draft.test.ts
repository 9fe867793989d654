import { describe, expect, it } from 'vitest';
import { emptyForm, toDraft } from './draft';

describe('toDraft', () => {
  it('sends empty optional fields as null and leaves out an empty address', () => {
    const f = emptyForm();
    f.pesel = ' 85022812343 ';
    f.surname = 'Żółkiewska';
    const d = toDraft(f, false);
    expect(d.applicant.pesel).toBe('85022812343');
    expect(d.applicant.address).toBeNull();
    expect(d.applicant.contact).toBeNull();
    expect(d.previous_passport).toBeNull();
    expect(d.reduction).toBeNull();
    expect(d.guardians).toEqual([]);
  });

  it('sends guardians and the consent only for a minor with one parent', () => {
    const f = emptyForm();
    f.guardians = [{ role: 'mother', pesel: '85022812343', surname: 'Nowak', given_names: 'Anna' }];
    f.consent_basis = 'court_ruling';
    f.consent_reference = 'III RC 12/26';
    expect(toDraft(f, false).guardians).toEqual([]);
    expect(toDraft(f, false).consent).toBeNull();
    const d = toDraft(f, true);
    expect(d.guardians).toHaveLength(1);
    expect(d.consent).toEqual({ basis: 'court_ruling', reference: 'III RC 12/26' });
    f.guardians.push({ role: 'father', pesel: '', surname: '', given_names: '' });
    expect(toDraft(f, true).consent).toBeNull();
  });

  it('keeps kind-specific fields to their kind', () => {
    const f = emptyForm();
    f.urgent_reason = 'flight tomorrow';
    f.validity_days = '30';
    expect(toDraft(f, false).urgent_reason).toBeNull();
    f.kind = 'temporary';
    expect(toDraft(f, false).urgent_reason).toBe('flight tomorrow');
    expect(toDraft(f, false).validity_days).toBe(30);
  });
});
