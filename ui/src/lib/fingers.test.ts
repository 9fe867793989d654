import { describe, expect, it } from 'vitest';
import type { FingerCaptureDraft, FingerPosition } from './bindings';
import { captureOf, emptyBiometrics, fingerId, fingerWords, fingersDone, nextFinger, retakeOffered, withCapture, withException, withoutException } from './fingers';

const cap = (position: FingerPosition, quality: number): FingerCaptureDraft => ({ position, quality, png_base64: `png-${quality}` });

describe('the fingerprints step', () => {
  it('asks for the index fingers first, then falls back by exceptions', () => {
    let b = emptyBiometrics();
    expect(nextFinger(b, 'Left')).toBe('Left IndexFinger');
    b = withException(b, 'Left IndexFinger', 'missing', 'ignored');
    expect(b.finger_exceptions).toEqual([{ position: 'Left IndexFinger', reason: 'missing', supervisor: null }]);
    expect(nextFinger(b, 'Left')).toBe('Left MiddleFinger');
    b = withException(b, 'Left MiddleFinger', 'temporarily_impossible', ' kier-1 ');
    expect(b.finger_exceptions[1].supervisor).toBe('kier-1');
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

  it('names fingers in both languages', () => {
    expect(fingerWords('pl', 'Right IndexFinger')).toBe('prawy palec wskazujący');
    expect(fingerWords('en', 'Left Thumb')).toBe('left thumb');
    expect(fingerId('Left IndexFinger')).toBe('left-index');
  });
});
