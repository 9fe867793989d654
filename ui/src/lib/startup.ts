// The window when the counter cannot start (src-tauri commands::start).
import type { Message } from './bindings';

/** Each language's words of a start-up failure. The configuration's and
 *  the journal key's errors are written for office IT as one text with both
 *  languages ("Polish … / English …"), and the core prefixes each with its
 *  own word ("Konfiguracja: …", "Configuration: …"): each language then
 *  gets its own half, not the whole text twice. */
export function startFailureWords(m: Message): Message {
  const split = (text: string, half: 0 | 1): string | null => {
    const parts = text.split(' / ');
    return parts.length === 2 ? parts[half].trim() : null;
  };
  const pl = split(m.pl, 0);
  const enWhole = split(m.en, 1);
  if (pl === null || enWhole === null) return m;
  const prefix = /^[^:]+: /.exec(m.en)?.[0] ?? '';
  return { pl, en: enWhole.startsWith(prefix) ? enWhole : `${prefix}${enWhole}` };
}
