import { describe, expect, it } from 'vitest';
import { ago, count, refusals } from './status';

describe('count', () => {
  it('uses the Polish plural forms, 12-14 and 22-24 included', () => {
    const pl = (n: number) => count(n, 'minute', 'pl');
    expect([1, 2, 4, 5, 11, 12, 14, 21, 22, 24, 25, 101, 102, 112].map(pl)).toEqual([
      '1 minutę', '2 minuty', '4 minuty', '5 minut', '11 minut', '12 minut', '14 minut',
      '21 minut', '22 minuty', '24 minuty', '25 minut', '101 minut', '102 minuty', '112 minut',
    ]);
    expect(count(0, 'second', 'pl')).toBe('0 sekund');
    expect(count(1, 'hour', 'pl')).toBe('1 godzinę');
    expect(count(3, 'hour', 'pl')).toBe('3 godziny');
    expect(count(1, 'day', 'pl')).toBe('1 dzień');
    expect(count(2, 'day', 'pl')).toBe('2 dni');
  });
  it('has English singular and plural', () => {
    expect(count(1, 'second', 'en')).toBe('1 second');
    expect(count(2, 'hour', 'en')).toBe('2 hours');
  });
});

describe('ago', () => {
  it('picks the unit and the form', () => {
    expect(ago(2, 'pl')).toBe('przed chwilą');
    expect(ago(9, 'pl')).toBe('9 sekund temu');
    expect(ago(23, 'pl')).toBe('23 sekundy temu');
    expect(ago(61, 'pl')).toBe('1 minutę temu');
    expect(ago(3 * 60 + 59, 'pl')).toBe('3 minuty temu');
    expect(ago(3600, 'pl')).toBe('1 godzinę temu');
    expect(ago(5 * 3600, 'pl')).toBe('5 godzin temu');
    expect(ago(3 * 86400, 'pl')).toBe('3 dni temu');
    expect(ago(61, 'en')).toBe('1 minute ago');
    expect(ago(-5, 'en')).toBe('just now');
  });
});

describe('refusals', () => {
  it('counts the status bar notices in the right form', () => {
    expect([1, 2, 5, 12, 22].map((n) => refusals(n, 'pl'))).toEqual([
      '1 odmowa rejestru', '2 odmowy rejestru', '5 odmów rejestru', '12 odmów rejestru', '22 odmowy rejestru',
    ]);
    expect(refusals(1, 'en')).toBe('1 register refusal');
    expect(refusals(3, 'en')).toBe('3 register refusals');
  });
});
