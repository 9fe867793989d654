// The keyboard map: every screen is reachable without a mouse.

export type Screen = 'intake' | 'applications' | 'handover' | 'outbox' | 'supervisor';

export const SCREENS: { id: Screen; key: string }[] = [
  { id: 'intake', key: '1' },
  { id: 'applications', key: '2' },
  { id: 'handover', key: '3' },
  { id: 'outbox', key: '4' },
  { id: 'supervisor', key: '5' },
];

export type Shortcut =
  | { kind: 'screen'; screen: Screen }
  | { kind: 'lang' }
  | { kind: 'lock' }
  | { kind: 'logout' }
  | { kind: 'notices' }
  | { kind: 'submit' }
  | { kind: 'back' }
  | { kind: 'chip' }
  | { kind: 'demo'; action: 'cut' | 'restore' };

type KeyLike = Pick<KeyboardEvent, 'key' | 'altKey' | 'ctrlKey' | 'shiftKey' | 'metaKey'>;

/** Log out: Alt+Shift+Q. Not Alt+digit (screens), Alt+K (lock), Alt+L
 *  (language), nor a key GTK, WebKit or a browser takes (Ctrl+Q, Alt+F4,
 *  Ctrl+W); the Shift keeps a slip from Alt+1 off it. */
export const LOGOUT_KEY = 'Alt+Shift+Q';

/** Opens the register's refusals raised in the status bar. */
export const NOTICES_KEY = 'Alt+N';

/** What a key press means app-wide, or null for ordinary typing. */
export function shortcut(e: KeyLike): Shortcut | null {
  if (e.altKey && !e.ctrlKey && !e.metaKey) {
    const s = SCREENS.find((x) => x.key === e.key);
    if (s) return { kind: 'screen', screen: s.id };
    const k = e.key.toLowerCase();
    if (k === 'l') return { kind: 'lang' };
    if (k === 'k' && !e.shiftKey) return { kind: 'lock' };
    if (k === 'q' && e.shiftKey) return { kind: 'logout' };
    if (k === 'n' && !e.shiftKey) return { kind: 'notices' };
    if (k === 'c' && !e.shiftKey) return { kind: 'chip' };
    if (k === 'o' && e.shiftKey) return { kind: 'demo', action: 'cut' };
    if (k === 'r' && e.shiftKey) return { kind: 'demo', action: 'restore' };
  }
  if (e.ctrlKey && !e.altKey && e.key === 'Enter') return { kind: 'submit' };
  if (!e.altKey && !e.ctrlKey && e.key === 'Escape') return { kind: 'back' };
  return null;
}
