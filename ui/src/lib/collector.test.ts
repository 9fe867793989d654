import { describe, expect, it } from 'vitest';
import type { DocumentView } from './bindings';
import {
  MAX_SCAN,
  ageWords,
  collectorChoices,
  collectorOf,
  composeIdentity,
  echo,
  idCardCheckDigitOk,
  identityProblem,
  kindTypedInNumber,
  parseIdentity,
  scanProblem,
  worthKeeping,
} from './collector';

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
    register: { state: 'awaiting' },
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

describe('the identity document shown', () => {
  it('checks the number per kind, the ID card with its check digit', () => {
    expect(idCardCheckDigitOk('ABC523456')).toBe(true);
    expect(idCardCheckDigitOk('ABA300000')).toBe(true);
    expect(idCardCheckDigitOk('ABC123456')).toBe(false);
    expect(identityProblem('id_card', 'abc 523456')).toBeNull();
    expect(identityProblem('id_card', 'ABC123456')?.pl).toContain('3 litery i 6 cyfr');
    expect(identityProblem('passport', 'EA1234567')).toBeNull();
    expect(identityProblem('passport', 'ABC523456')?.pl).toContain('2 litery i 7 cyfr');
    expect(identityProblem('residence_card', 'RP123')?.en).toContain('residence card');
    expect(identityProblem('id_card', '')).toBeNull();
  });

  it('composes the text the payload carries, and reads it back', () => {
    expect(composeIdentity('id_card', ' def 554321')).toBe('dowód osobisty DEF554321');
    expect(composeIdentity('passport', 'ea1234567')).toBe('paszport EA1234567');
    expect(composeIdentity('id_card', '  ')).toBe('');
    expect(parseIdentity('karta pobytu RP1234567')).toEqual({ kind: 'residence_card', number: 'RP1234567' });
    expect(parseIdentity('ABC523456')).toEqual({ kind: 'id_card', number: 'ABC523456' });
    expect(kindTypedInNumber('Paszport ea1')).toEqual({ kind: 'passport', number: 'EA1' });
    expect(kindTypedInNumber('dowód osobisty')).toBeNull();
  });
});

describe('the hand-over screen words', () => {
  it('says the age with its Polish plural', () => {
    expect([1, 2, 4, 5, 12, 14, 21, 22, 30, 112].map((n) => ageWords('pl', n))).toEqual([
      '1 rok', '2 lata', '4 lata', '5 lat', '12 lat', '14 lat', '21 lat', '22 lata', '30 lat', '112 lat',
    ]);
    expect(ageWords('en', 1)).toBe('1 year');
    expect(ageWords('en', 30)).toBe('30 years');
  });

  it('refuses an empty or over-long scan before asking, and caps what it echoes', () => {
    expect(scanProblem('  ')).toBe('empty');
    expect(scanProblem('x'.repeat(300))).toBe('too_long');
    expect(scanProblem('DA0000004')).toBeNull();
    expect(echo('x'.repeat(300)).length).toBe(MAX_SCAN + 1);
    expect(echo(' DA0000004 ')).toBe('DA0000004');
  });

  it('keeps a hand-over only once the clerk did something beyond opening it', () => {
    const opened = {
      document_number: 'DA0000004', collector_kind: 'holder' as const, collector_pesel: '', collector_surname: '',
      collector_given_names: '', identity_document: '', previous_passport: '', court_ruling_reference: '',
    };
    expect(worthKeeping(opened)).toBe(false);
    expect(worthKeeping({ ...opened, collector_kind: 'parent' })).toBe(true);
    expect(worthKeeping({ ...opened, collector_pesel: '8403' })).toBe(true);
    expect(worthKeeping({ ...opened, identity_document: 'dowód osobisty ABC5' })).toBe(true);
    expect(worthKeeping({ ...opened, document_number: '', identity_document: 'x'})).toBe(false);
  });
});
