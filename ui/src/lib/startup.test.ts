import { describe, expect, it } from 'vitest';
import { startFailureWords } from './startup';

describe('startFailureWords', () => {
  it('gives each language its half of a two-language text', () => {
    const m = {
      pl: 'Konfiguracja: ustawienie `register` wskazuje adres http:// / the `register` setting is an http:// URL',
      en: 'Configuration: ustawienie `register` wskazuje adres http:// / the `register` setting is an http:// URL',
    };
    expect(startFailureWords(m)).toEqual({
      pl: 'Konfiguracja: ustawienie `register` wskazuje adres http://',
      en: 'Configuration: the `register` setting is an http:// URL',
    });
  });
  it('leaves a message already in two languages alone', () => {
    const m = { pl: 'Brak klucza.', en: 'The key is missing.' };
    expect(startFailureWords(m)).toEqual(m);
  });
});
