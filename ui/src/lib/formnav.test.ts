import { describe, expect, it } from 'vitest';
import { citizenshipWord, enterTarget, fixFields, guardianSexWarning, money, removeRow, restoreRow, resumeField } from './formnav';

describe('enterTarget', () => {
  // PESEL, surname, given names, Usuń, Dodaj rodzica/opiekuna.
  const row = [{ enterSkips: false }, { enterSkips: false }, { enterSkips: false }, { enterSkips: true }, { enterSkips: false }];
  it('passes over the remove button to the next control', () => {
    expect(enterTarget(row, 2)).toBe(4);
  });
  it('moves to the very next field otherwise', () => {
    expect(enterTarget(row, 0)).toBe(1);
  });
  it('stays at the end of the form', () => {
    expect(enterTarget(row, 4)).toBeNull();
    expect(enterTarget([{ enterSkips: false }, { enterSkips: true }], 0)).toBeNull();
  });
});

describe('resumeField', () => {
  const all = () => true;
  const required: [string, string][] = [
    ['applicant.pesel', '85022812343'],
    ['applicant.surname', 'Kowalska'],
    ['applicant.given_names', ''],
    ['applicant.birth_place', ''],
  ];
  it('goes back to where the clerk was, not to the full PESEL', () => {
    expect(resumeField('resume', 'applicant.surname', required, 'applicant.surname', all)).toBe('applicant.surname');
  });
  it('without a remembered field, goes to the first empty required one', () => {
    expect(resumeField('resume', null, required, null, all)).toBe('applicant.given_names');
  });
  it('a restored draft goes to the first empty required field', () => {
    expect(resumeField('restore', 'applicant.pesel', required, 'applicant.surname', all)).toBe('applicant.given_names');
  });
  it('a restored full draft goes to where the clerk was, else to what was edited last', () => {
    const full: [string, string][] = required.map(([p]) => [p, 'x']);
    expect(resumeField('restore', 'applicant.address.city', full, 'applicant.surname', all)).toBe('applicant.address.city');
    expect(resumeField('restore', null, full, 'applicant.surname', all)).toBe('applicant.surname');
  });
  it('skips a remembered field no longer on screen', () => {
    const gone = (p: string) => p !== 'guardians[1].pesel';
    expect(resumeField('resume', 'guardians[1].pesel', required, null, gone)).toBe('applicant.given_names');
  });
});

describe('removeRow / restoreRow', () => {
  it('puts a removed row back where it was', () => {
    const { rows, removed } = removeRow(['mother', 'father'], 0);
    expect(rows).toEqual(['father']);
    expect(restoreRow(rows, removed)).toEqual(['mother', 'father']);
  });
  it('puts it at the end when the list got shorter', () => {
    const { removed } = removeRow(['mother', 'father'], 1);
    expect(restoreRow([], removed)).toEqual(['father']);
  });
});

describe('guardianSexWarning', () => {
  it('warns of a mother with a male PESEL and a father with a female one', () => {
    expect(guardianSexWarning('mother', '84040405519')).toBe('guardian_pesel_male');
    expect(guardianSexWarning('father', '85022812343')).toBe('guardian_pesel_female');
  });
  it('says nothing when the sex agrees, for a legal guardian, or for an invalid PESEL', () => {
    expect(guardianSexWarning('mother', '85022812343')).toBeNull();
    expect(guardianSexWarning('father', '84040405519')).toBeNull();
    expect(guardianSexWarning('legal_guardian', '84040405519')).toBeNull();
    expect(guardianSexWarning('mother', '84040405510')).toBeNull();
  });
});

describe('review words', () => {
  it('names the citizenship, never a bare code', () => {
    expect(citizenshipWord('pl', 'POL')).toBe('polskie');
    expect(citizenshipWord('en', 'pol')).toBe('Polish');
    expect(citizenshipWord('pl', 'DEU')).toBe('kod DEU');
  });
  it('formats money by the UI language', () => {
    expect(money('pl', 14000).replace(/\s/g, ' ')).toBe('140,00 zł');
    expect(money('en', 14000).replace(/\s/g, ' ')).toBe('PLN 140.00');
  });
  it('puts the count inside the sentence, with the noun in its number', () => {
    expect(fixFields('pl', 6)).toBe('Popraw zaznaczone pola (6).');
    expect(fixFields('pl', 1)).toBe('Popraw zaznaczone pole (1).');
    expect(fixFields('en', 1)).toBe('Correct the marked field (1).');
  });
});
