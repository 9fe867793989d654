import { describe, expect, it } from 'vitest';
import { screenFocus, type FocusRoot } from './focus';

function screen(found: Record<string, string>, inside: unknown[] = []): FocusRoot {
  return {
    contains: (o) => inside.includes(o),
    querySelector: (sel) => (found[sel] ? { focus: () => {}, name: found[sel] } as { focus(): void } : null),
  };
}
const name = (el: { focus(): void } | null) => (el as { name?: string } | null)?.name ?? null;

describe('the focus when a screen opens', () => {
  it('goes to the control the screen marked', () => {
    const s = screen({ '[data-autofocus]': 'search', 'h2[tabindex="-1"]': 'heading' });
    expect(name(screenFocus(s, 'body'))).toBe('search');
  });
  it('goes to the heading when nothing is marked (the outbox still loading)', () => {
    expect(name(screenFocus(screen({ 'h2[tabindex="-1"]': 'heading' }), 'body'))).toBe('heading');
  });
  it('is left where the screen itself put it', () => {
    const own = { id: 'scan' };
    expect(screenFocus(screen({ '[data-autofocus]': 'search' }, [own]), own)).toBeNull();
  });
  it('is not taken from nowhere', () => {
    expect(screenFocus(null, 'body')).toBeNull();
  });
});
