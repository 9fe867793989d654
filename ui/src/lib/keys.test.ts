import { describe, expect, it } from 'vitest';
import { shortcut } from './keys';

const key = (k: string, mods: Partial<Record<'altKey' | 'ctrlKey' | 'shiftKey' | 'metaKey', boolean>> = {}) => ({
  key: k,
  altKey: false,
  ctrlKey: false,
  shiftKey: false,
  metaKey: false,
  ...mods,
});

describe('shortcut', () => {
  it('maps Alt+digit to screens and leaves plain typing alone', () => {
    expect(shortcut(key('1', { altKey: true }))).toEqual({ kind: 'screen', screen: 'intake' });
    expect(shortcut(key('3', { altKey: true }))).toEqual({ kind: 'screen', screen: 'handover' });
    expect(shortcut(key('1'))).toBeNull();
    expect(shortcut(key('a'))).toBeNull();
    expect(shortcut(key('Enter'))).toBeNull();
  });
  it('has submit, back, language, lock and the demo keys', () => {
    expect(shortcut(key('Enter', { ctrlKey: true }))).toEqual({ kind: 'submit' });
    expect(shortcut(key('Escape'))).toEqual({ kind: 'back' });
    expect(shortcut(key('l', { altKey: true }))).toEqual({ kind: 'lang' });
    expect(shortcut(key('K', { altKey: true }))).toEqual({ kind: 'lock' });
    expect(shortcut(key('O', { altKey: true, shiftKey: true }))).toEqual({ kind: 'demo', action: 'cut' });
    expect(shortcut(key('R', { altKey: true, shiftKey: true }))).toEqual({ kind: 'demo', action: 'restore' });
  });
  it('logs out with Alt+Shift+Q only: not Alt+Q, not Alt+Shift+K (lock is Alt+K)', () => {
    expect(shortcut(key('Q', { altKey: true, shiftKey: true }))).toEqual({ kind: 'logout' });
    expect(shortcut(key('q', { altKey: true }))).toBeNull();
    expect(shortcut(key('K', { altKey: true, shiftKey: true }))).toBeNull();
    expect(shortcut(key('q', { ctrlKey: true }))).toBeNull();
  });
  it('opens the notices with Alt+N', () => {
    expect(shortcut(key('n', { altKey: true }))).toEqual({ kind: 'notices' });
    expect(shortcut(key('N', { altKey: true, shiftKey: true }))).toBeNull();
    expect(shortcut(key('n'))).toBeNull();
  });
  it('checks the chip with Alt+C, but not with Alt+Shift+C or a plain c', () => {
    expect(shortcut(key('c', { altKey: true }))).toEqual({ kind: 'chip' });
    expect(shortcut(key('C', { altKey: true, shiftKey: true }))).toBeNull();
    expect(shortcut(key('c'))).toBeNull();
  });
});
