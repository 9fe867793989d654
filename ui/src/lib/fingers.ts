// The fingerprints step's state, kept out of the component so it can be
// tested: which finger each hand needs now (the fallback order the domain
// applies: index, middle, ring, thumb; never the little finger), the best
// capture of each hand, exceptions, and whether a retake is still offered.
import type { BiometricsDraft, FingerCaptureDraft, FingerExceptionDraft, FingerExceptionKind, FingerPosition, Lang, SupervisorConfirmation } from './bindings';
import { count } from './i18n';

export type Hand = 'Left' | 'Right';
export const HANDS: Hand[] = ['Left', 'Right'];
const ORDER = ['IndexFinger', 'MiddleFinger', 'RingFinger', 'Thumb'] as const;

export function finger(hand: Hand, digit: (typeof ORDER)[number]): FingerPosition {
  return `${hand} ${digit}` as FingerPosition;
}

export function handOf(p: FingerPosition): Hand {
  return p.startsWith('Left') ? 'Left' : 'Right';
}

export function emptyBiometrics(): BiometricsDraft {
  return { fingers: [], finger_exceptions: [], signature: null };
}

/** The finger `hand` needs now: the first of the fallback order without an
 *  exception; null when every one of them has one. */
export function nextFinger(b: BiometricsDraft, hand: Hand): FingerPosition | null {
  for (const d of ORDER) {
    const p = finger(hand, d);
    if (!b.finger_exceptions.some((x) => x.position === p)) return p;
  }
  return null;
}

export function captureOf(b: BiometricsDraft, hand: Hand): FingerCaptureDraft | null {
  return b.fingers.find((f) => handOf(f.position) === hand) ?? null;
}

/** A capture taken: kept when it is the hand's first or better than the
 *  one kept (a retake of lower quality does not replace a better one). */
export function withCapture(b: BiometricsDraft, c: FingerCaptureDraft): BiometricsDraft {
  const hand = handOf(c.position);
  const kept = captureOf(b, hand);
  if (kept && kept.position === c.position && kept.quality >= c.quality) return b;
  return { ...b, fingers: [...b.fingers.filter((f) => handOf(f.position) !== hand), c] };
}

/** A finger recorded as not taken: its hand's capture of it goes. */
/** `confirmation`: the core's sealed confirmation, for a finger
 *  temporarily impossible to take (the supervisor typed their password). */
export function withException(
  b: BiometricsDraft,
  position: FingerPosition,
  reason: FingerExceptionKind,
  supervisor: string,
  confirmation: SupervisorConfirmation | null = null,
): BiometricsDraft {
  const temporary = reason === 'temporarily_impossible';
  const x: FingerExceptionDraft = {
    position,
    reason,
    supervisor: temporary ? supervisor.trim() : null,
    confirmation: temporary ? confirmation : null,
  };
  return {
    ...b,
    fingers: b.fingers.filter((f) => f.position !== position),
    finger_exceptions: [...b.finger_exceptions.filter((e) => e.position !== position), x],
  };
}

export function withoutException(b: BiometricsDraft, position: FingerPosition): BiometricsDraft {
  return { ...b, finger_exceptions: b.finger_exceptions.filter((e) => e.position !== position) };
}

/** Each hand has its capture, or exceptions for every finger it may give. */
export function fingersDone(b: BiometricsDraft): boolean {
  return HANDS.every((h) => captureOf(b, h) !== null || nextFinger(b, h) === null);
}

/** Whether a finger may be captured (again): the first capture, and
 *  `retries` more after it; `attempts` were made (kept with the form, so a
 *  lock or a restart does not give fresh ones). */
export function captureAllowed(attempts: number, retries: number): boolean {
  return attempts < 1 + retries;
}

/** The retakes of a finger still left: `retries` after the first capture,
 *  less those made; never below 0. */
export function retakesLeft(attempts: number, retries: number): number {
  return Math.max(0, retries - Math.max(0, attempts - 1));
}

/** Whether another capture of a finger is offered: below the threshold,
 *  with retakes left (the first capture and `retries` more). */
export function retakeOffered(quality: number, threshold: number, attempts: number, retries: number): boolean {
  return quality < threshold && captureAllowed(attempts, retries);
}

/** "Do wykorzystania: 2 ponowne pobrania" / "2 retakes left", the noun in
 *  its plural form (words.json `plural.retake`). */
export function retakesLeftWords(lang: Lang, left: number): string {
  return lang === 'en' ? `${count('en', 'retake', left)} left` : `Do wykorzystania: ${count('pl', 'retake', left)}`;
}

const WORDS: Record<string, [string, string]> = {
  'Left Thumb': ['lewy kciuk', 'left thumb'],
  'Left IndexFinger': ['lewy palec wskazujący', 'left index finger'],
  'Left MiddleFinger': ['lewy palec środkowy', 'left middle finger'],
  'Left RingFinger': ['lewy palec serdeczny', 'left ring finger'],
  'Left LittleFinger': ['lewy mały palec', 'left little finger'],
  'Right Thumb': ['prawy kciuk', 'right thumb'],
  'Right IndexFinger': ['prawy palec wskazujący', 'right index finger'],
  'Right MiddleFinger': ['prawy palec środkowy', 'right middle finger'],
  'Right RingFinger': ['prawy palec serdeczny', 'right ring finger'],
  'Right LittleFinger': ['prawy mały palec', 'right little finger'],
};

/** A finger's name, as the domain words it (`FingerPosition::words`). */
export function fingerWords(lang: Lang, p: FingerPosition): string {
  const w = WORDS[p];
  return w ? w[lang === 'en' ? 1 : 0] : p;
}

/** The form's slug of a finger for test ids (`left-index`). */
export function fingerId(p: FingerPosition): string {
  return p.toLowerCase().replace('finger', '').replace(' ', '-');
}
