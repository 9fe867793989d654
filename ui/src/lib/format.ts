// Pure formatting and lookup helpers for the screens (unit-tested).
import type { FieldError, Lang, Message } from './bindings';

export function msg(m: Message | null | undefined, lang: Lang): string {
  if (!m) return '';
  return lang === 'en' ? m.en : m.pl;
}

/** Field errors by path, the first per field. */
export function errorsByPath(errors: FieldError[]): Map<string, FieldError> {
  const map = new Map<string, FieldError>();
  for (const e of errors) if (!map.has(e.path)) map.set(e.path, e);
  return map;
}

/** "45 s", "12 min", "3 h 05 min", "2 d 4 h": a duration for the status bar. */
export function duration(secs: number): string {
  const s = Math.max(0, Math.floor(secs));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${String(m % 60).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** Seconds from an RFC 3339 time to now (negative when in the future). */
export function secondsSince(iso: string | null | undefined, now: number): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : (now - t) / 1000;
}

/** A local date and time, `22.11.2026 14:05`. */
export function localTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getDate())}.${p(d.getMonth() + 1)}.${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function pln(grosz: number): string {
  return `${Math.floor(grosz / 100)},${String(grosz % 100).padStart(2, '0')} zł`;
}

/** What a PESEL says about birth date and sex, if its checksum holds
 *  (to prefill the form; the Rust side decides validity). */
export function peselInfo(pesel: string): { birthDate: string; sex: 'F' | 'M' } | null {
  if (!/^\d{11}$/.test(pesel)) return null;
  const d = [...pesel].map(Number);
  const w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
  const sum = w.reduce((acc, wi, i) => acc + wi * d[i], 0);
  if ((10 - (sum % 10)) % 10 !== d[10]) return null;
  let month = d[2] * 10 + d[3];
  const centuries: [number, number][] = [[80, 1800], [60, 2200], [40, 2100], [20, 2000], [0, 1900]];
  const [offset, century] = centuries.find(([o]) => month > o) ?? [0, 1900];
  month -= offset;
  const year = century + d[0] * 10 + d[1];
  const day = d[4] * 10 + d[5];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  const iso = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return { birthDate: iso, sex: d[9] % 2 === 0 ? 'F' : 'M' };
}

/** Full years from an ISO birth date to `today`. */
export function ageOn(birthDate: string, today: Date): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  let age = today.getFullYear() - y;
  if (today.getMonth() + 1 < mo || (today.getMonth() + 1 === mo && today.getDate() < d)) age -= 1;
  return age;
}

/** `YYYY-MM-DD` of a local date (not UTC: just after midnight they differ). */
export function localDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** A date as a person reads it, `dd.mm.rrrr`, from `YYYY-MM-DD` or an
 *  RFC 3339 time (its local day); anything else unchanged. */
export function dayPl(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (m) return `${m[3]}.${m[2]}.${m[1]}`;
  const t = localTime(iso);
  return t === iso ? iso : t.slice(0, 10);
}

export type PluralCategory = 'one' | 'few' | 'many';

const polishRules = new Intl.PluralRules('pl');

/** The Polish plural category of a count (`Intl.PluralRules('pl')`):
 *  1 → one; 2–4, 22–24, … but not 12–14 → few; everything else → many. */
export function pluralPl(n: number): PluralCategory {
  const c = polishRules.select(n);
  return c === 'one' || c === 'few' ? c : 'many';
}
