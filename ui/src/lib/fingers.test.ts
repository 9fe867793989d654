import { describe, expect, it } from 'vitest';
import type { FingerCaptureDraft, FingerPosition } from './bindings';
import { captureAllowed, captureOf, emptyBiometrics, fingerId, fingerWords, fingersDone, nextFinger, retakeOffered, retakesLeft, retakesLeftWords, withCapture, withException, withoutException } from './fingers';

const cap = (position: FingerPosition, quality: number): FingerCaptureDraft => ({ position, quality, png_base64: `png-${quality}` });

describe('the fingerprints step', () => {
  it('asks for the index fingers first, then falls back by exceptions', () => {
    let b = emptyBiometrics();
    expect(nextFinger(b, 'Left')).toBe('Left IndexFinger');
    const confirmed = { confirmed_at: '2026-11-29T10:00:00Z', pesel: '85022812343', seal: 'a'.repeat(64) };
    // A missing finger keeps neither a supervisor nor a confirmation.
    b = withException(b, 'Left IndexFinger', 'missing', 'ignored', confirmed);
    expect(b.finger_exceptions).toEqual([{ position: 'Left IndexFinger', reason: 'missing', supervisor: null, confirmation: null }]);
    expect(nextFinger(b, 'Left')).toBe('Left MiddleFinger');
    b = withException(b, 'Left MiddleFinger', 'temporarily_impossible', ' kier-1 ', confirmed);
    expect(b.finger_exceptions[1].supervisor).toBe('kier-1');
    expect(b.finger_exceptions[1].confirmation).toEqual(confirmed);
    b = withException(b, 'Left RingFinger', 'missing', '');
    b = withException(b, 'Left Thumb', 'missing', '');
    expect(nextFinger(b, 'Left')).toBeNull();
    expect(fingersDone(b)).toBe(false); // the right hand has nothing yet
    b = withCapture(b, cap('Right IndexFinger', 80));
    expect(fingersDone(b)).toBe(true);
    b = withoutException(b, 'Left Thumb');
    expect(nextFinger(b, 'Left')).toBe('Left Thumb');
  });

  it('keeps the best capture of a finger over retakes', () => {
    let b = withCapture(emptyBiometrics(), cap('Left IndexFinger', 30));
    b = withCapture(b, cap('Left IndexFinger', 55));
    b = withCapture(b, cap('Left IndexFinger', 41));
    expect(captureOf(b, 'Left')?.quality).toBe(55);
    expect(b.fingers.length).toBe(1);
    // A fallback finger replaces the hand's capture.
    b = withException(b, 'Left IndexFinger', 'missing', '');
    expect(captureOf(b, 'Left')).toBeNull();
    b = withCapture(b, cap('Left MiddleFinger', 20));
    expect(captureOf(b, 'Left')?.position).toBe('Left MiddleFinger');
  });

  it('offers retakes below the threshold only while any are left', () => {
    expect(retakeOffered(30, 40, 1, 2)).toBe(true);
    expect(retakeOffered(30, 40, 3, 2)).toBe(false);
    expect(retakeOffered(70, 40, 1, 2)).toBe(false);
    expect(retakeOffered(10, 40, 1, 0)).toBe(false);
  });

  it('counts the retakes left after the first capture, and allows none past them', () => {
    // Two retakes: the first capture and two more.
    expect([0, 1, 2, 3, 4].map((a) => retakesLeft(a, 2))).toEqual([2, 2, 1, 0, 0]);
    expect([0, 1, 2, 3, 4].map((a) => captureAllowed(a, 2))).toEqual([true, true, true, false, false]);
    expect(captureAllowed(1, 0)).toBe(false);
    expect(retakesLeft(1, 0)).toBe(0);
  });

  it('says the retakes left with the Polish plural forms', () => {
    const pl = (n: number) => retakesLeftWords('pl', n);
    expect(pl(1)).toBe('Do wykorzystania: 1 ponowne pobranie');
    expect(pl(2)).toBe('Do wykorzystania: 2 ponowne pobrania');
    expect(pl(4)).toBe('Do wykorzystania: 4 ponowne pobrania');
    expect(pl(5)).toBe('Do wykorzystania: 5 ponownych pobrań');
    expect(pl(0)).toBe('Do wykorzystania: 0 ponownych pobrań');
    expect(pl(12)).toBe('Do wykorzystania: 12 ponownych pobrań');
    expect(pl(22)).toBe('Do wykorzystania: 22 ponowne pobrania');
    expect(retakesLeftWords('en', 1)).toBe('1 retake left');
    expect(retakesLeftWords('en', 3)).toBe('3 retakes left');
    expect(retakesLeftWords('en', 0)).toBe('0 retakes left');
  });

  it('names fingers in both languages', () => {
    expect(fingerWords('pl', 'Right IndexFinger')).toBe('prawy palec wskazujący');
    expect(fingerWords('en', 'Left Thumb')).toBe('left thumb');
    expect(fingerId('Left IndexFinger')).toBe('left-index');
  });
});
