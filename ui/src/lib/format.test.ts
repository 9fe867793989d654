import { describe, expect, it } from 'vitest';
import { ageOn, dayPl, duration, errorsByPath, localDate, localTime, msg, peselInfo, pln, pluralPl, secondsSince } from './format';

describe('duration', () => {
  it('reads naturally at every scale', () => {
    expect(duration(0)).toBe('0 s');
    expect(duration(59.9)).toBe('59 s');
    expect(duration(60)).toBe('1 min');
    expect(duration(3 * 3600 + 5 * 60)).toBe('3 h 05 min');
    expect(duration(50 * 3600)).toBe('2 d 2 h');
    expect(duration(-5)).toBe('0 s');
  });
});

describe('peselInfo', () => {
  it('derives birth date and sex from a valid PESEL', () => {
    expect(peselInfo('85022812343')).toEqual({ birthDate: '1985-02-28', sex: 'F' });
    // 2000s: month + 20.
    expect(peselInfo('02270803624')).toEqual({ birthDate: '2002-07-08', sex: 'F' });
  });
  it('refuses a wrong checksum, a wrong length and an impossible date', () => {
    expect(peselInfo('85022812344')).toBeNull();
    expect(peselInfo('8502281234')).toBeNull();
    expect(peselInfo('85023012349')).toBeNull(); // 30 February
  });
});

describe('ageOn', () => {
  it('counts full years, the day before and on the birthday', () => {
    expect(ageOn('2008-11-23', new Date(2026, 10, 22))).toBe(17);
    expect(ageOn('2008-11-22', new Date(2026, 10, 22))).toBe(18);
    expect(ageOn('not a date', new Date())).toBeNull();
  });
});

describe('messages and errors', () => {
  it('picks the language and the first error per field', () => {
    const m = { pl: 'Błąd', en: 'Error' };
    expect(msg(m, 'pl')).toBe('Błąd');
    expect(msg(m, 'en')).toBe('Error');
    const map = errorsByPath([
      { path: 'applicant.pesel', code: 'a', message: m },
      { path: 'applicant.pesel', code: 'b', message: m },
      { path: 'photo', code: 'c', message: m },
    ]);
    expect(map.get('applicant.pesel')?.code).toBe('a');
    expect(map.size).toBe(2);
  });
  it('formats money and times', () => {
    expect(pln(14000)).toBe('140,00 zł');
    expect(pln(3005)).toBe('30,05 zł');
    expect(secondsSince('2026-11-22T12:00:00Z', Date.parse('2026-11-22T12:01:30Z'))).toBe(90);
    expect(secondsSince(null, 0)).toBeNull();
    expect(localTime('garbage')).toBe('garbage');
    expect(localDate(new Date(2026, 0, 5, 0, 30))).toBe('2026-01-05');
  });
});

describe('Polish plurals and dates', () => {
  it('picks the CLDR category for every kind of number', () => {
    const cases: [number, string][] = [
      [0, 'many'], [1, 'one'], [2, 'few'], [4, 'few'], [5, 'many'], [11, 'many'],
      [12, 'many'], [14, 'many'], [21, 'many'], [22, 'few'], [25, 'many'], [112, 'many'],
    ];
    for (const [n, want] of cases) expect(pluralPl(n), String(n)).toBe(want);
  });
  it('writes dates as dd.mm.rrrr', () => {
    expect(dayPl('2026-11-29')).toBe('29.11.2026');
    expect(dayPl('2026-01-05T12:00:00Z')).toMatch(/^0[45]\.01\.2026$/);
    expect(dayPl('')).toBe('');
    expect(dayPl('garbage')).toBe('garbage');
  });
});
