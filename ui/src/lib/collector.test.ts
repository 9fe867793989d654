import { describe, expect, it } from 'vitest';
import type { DocumentView } from './bindings';
import { collectorChoices, collectorOf } from './collector';

function view(minor: boolean, guardians: DocumentView['guardians']): DocumentView {
  return {
    document: {
      document_number: 'DA0000007',
      application_number: null,
      pesel: minor ? '16221412345' : '90010112349',
      surname: 'Nowak',
      given_names: 'Zofia',
      mrz_line1: null,
      mrz_line2: null,
      status: 'awaiting_collection',
      invalidation_reason: null,
    } as DocumentView['document'],
    application: null,
    holder_age: minor ? 10 : 36,
    holder_minor: minor,
    ready_list_synced_at: null,
    guardians,
    guardians_known: guardians.length > 0,
    verdict: { verdict: 'online' },
  };
}

const mother = { role: 'mother' as const, pesel: '84030912345', surname: 'Nowak', given_names: 'Anna' };
const father = { role: 'father' as const, pesel: '84030912352', surname: 'Nowak', given_names: 'Jan' };

describe('collector choices', () => {
  it('offers an adult the holder in person, then a guardian with a court ruling', () => {
    const c = collectorChoices(view(false, []));
    expect(c.map((x) => [x.key, x.kind, x.typed, x.pesel])).toEqual([
      ['1', 'holder', false, '90010112349'],
      ['2', 'legal_guardian', true, ''],
    ]);
    expect(collectorOf(c[1], 'parent', { pesel: ' 70030312347 ', surname: 'Nowak', given_names: 'Jan' }, ' III RNs 123/24 ')).toEqual({
      kind: 'legal_guardian',
      pesel: '70030312347',
      surname: 'Nowak',
      given_names: 'Jan',
      court_ruling: 'III RNs 123/24',
    });
    expect(collectorOf(c[1], 'parent', { pesel: '1', surname: 'a', given_names: 'b' }, '  ')).toMatchObject({ court_ruling: null });
    expect(collectorOf(c[0], 'parent', { pesel: '', surname: '', given_names: '' }, '')).toEqual({ kind: 'holder' });
  });

  it("offers a minor's parents from the application, then another person", () => {
    const c = collectorChoices(view(true, [mother, father]));
    expect(c.map((x) => [x.key, x.kind, x.pesel])).toEqual([
      ['1', 'parent', mother.pesel],
      ['2', 'parent', father.pesel],
      ['3', 'parent', ''],
    ]);
    expect(collectorOf(c[1], 'parent', father, '')).toEqual({ kind: 'parent', pesel: father.pesel, surname: 'Nowak', given_names: 'Jan' });
    // Another person typed as a legal guardian.
    expect(collectorOf(c[2], 'legal_guardian', mother, '')).toMatchObject({ kind: 'legal_guardian', court_ruling: null });
  });

  it('sends the holder when nothing was chosen (Rust then says a minor needs a parent)', () => {
    expect(collectorOf(null, 'parent', mother, '')).toEqual({ kind: 'holder' });
  });
});
