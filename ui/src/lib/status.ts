// What the status bar says about the register in words: how long ago the
// last successful contact was, with the plural forms Polish needs
// ("1 minutę", "3 minuty", "5 minut", "22 minuty" temu) from
// Intl.PluralRules rather than a hand-written rule.
import type { Lang } from './bindings';

type Unit = 'second' | 'minute' | 'hour' | 'day';

/** Polish: the accusative after "temu" — one, few, many; English: one, other. */
const FORMS: Record<Unit, { pl: [string, string, string]; en: [string, string] }> = {
  second: { pl: ['sekundę', 'sekundy', 'sekund'], en: ['second', 'seconds'] },
  minute: { pl: ['minutę', 'minuty', 'minut'], en: ['minute', 'minutes'] },
  hour: { pl: ['godzinę', 'godziny', 'godzin'], en: ['hour', 'hours'] },
  day: { pl: ['dzień', 'dni', 'dni'], en: ['day', 'days'] },
};

const rules = { pl: new Intl.PluralRules('pl'), en: new Intl.PluralRules('en') };

/** `n` and the form of a word its number needs: Polish one / few / many
 *  ("1 odmowa", "3 odmowy", "5 odmów"), English one / other. */
export function plural(n: number, lang: Lang, pl: readonly [string, string, string], en: readonly [string, string]): string {
  const form = rules[lang].select(n);
  if (lang === 'pl') return `${n} ${form === 'one' ? pl[0] : form === 'few' ? pl[1] : pl[2]}`;
  return `${n} ${form === 'one' ? en[0] : en[1]}`;
}

/** `n` with its unit's word in the right form: "1 minutę", "5 minut", "2 hours". */
export function count(n: number, unit: Unit, lang: Lang): string {
  return plural(n, lang, FORMS[unit].pl, FORMS[unit].en);
}

/** "1 odmowa rejestru", "2 odmowy rejestru", "5 odmów rejestru". */
export function refusals(n: number, lang: Lang): string {
  return plural(n, lang, ['odmowa rejestru', 'odmowy rejestru', 'odmów rejestru'], ['register refusal', 'register refusals']);
}

/** "3 minuty temu", "just now": the age of a past moment, in whole units
 *  (seconds under a minute, minutes under an hour, hours under two days). */
export function ago(secs: number, lang: Lang): string {
  const s = Math.max(0, Math.floor(secs));
  if (s < 5) return lang === 'pl' ? 'przed chwilą' : 'just now';
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  const phrase =
    s < 60 ? count(s, 'second', lang) : m < 60 ? count(m, 'minute', lang) : h < 48 ? count(h, 'hour', lang) : count(Math.floor(h / 24), 'day', lang);
  return lang === 'pl' ? `${phrase} temu` : `${phrase} ago`;
}
