// The logic behind the signature pad and the scanner's frame, kept out of
// the components so it can be tested: strokes recorded from pointer events
// (bounded as Rust bounds them), and the 35×45 frame moved and scaled by
// keyboard within the scan.
import type { CropFrame, StrokePoint } from './bindings';

/** The pad's drawing space (crates/counter-core/src/signature.rs): the
 *  pointer's position is scaled to it whatever the pad's size on screen. */
export const PAD_WIDTH = 1000;
export const PAD_HEIGHT = 300;
/** The domain's bounds (crates/domain/src/biometrics.rs): past them the
 *  pad stops taking points and says so, rather than Rust refusing later. */
export const MAX_STROKES = 200;
export const MAX_POINTS = 20_000;
export const MAX_SIGNATURE_MS = 10 * 60 * 1000;

/** Records strokes: a point is kept in pad units (integers on the pad),
 *  its time in ms since the signature's first point, never going back. */
export class StrokeRecorder {
  strokes: StrokePoint[][] = [];
  /** Pressure of each point (for the live line only; Rust draws the kept
   *  image at one width). */
  pressures: number[][] = [];
  private t0: number | null = null;
  private lastT = 0;
  private drawing = false;
  full = false;

  get points(): number {
    return this.strokes.reduce((n, s) => n + s.length, 0);
  }

  get empty(): boolean {
    return this.strokes.length === 0;
  }

  /** Pen down at (x, y) in the pad's units; false when the pad is full. */
  down(x: number, y: number, now: number, pressure = 0.5): boolean {
    if (this.strokes.length >= MAX_STROKES || this.points >= MAX_POINTS) {
      this.full = true;
      return false;
    }
    this.strokes.push([]);
    this.pressures.push([]);
    this.drawing = true;
    return this.add(x, y, now, pressure);
  }

  /** Pen moved; false when nothing was kept (pen up, pad full, same point). */
  move(x: number, y: number, now: number, pressure = 0.5): boolean {
    return this.drawing && this.add(x, y, now, pressure);
  }

  up() {
    this.drawing = false;
  }

  /** Takes back strokes recorded earlier (kept over a lock): the times of
   *  later points go on from the last one, never back. */
  restore(strokes: StrokePoint[][], pressures: number[][]) {
    this.clear();
    this.strokes = strokes.map((s) => s.map((p) => ({ ...p })));
    this.pressures = strokes.map((s, i) => s.map((_, k) => pressures[i]?.[k] ?? 0.5));
    this.lastT = this.strokes.flat().reduce((t, p) => Math.max(t, p.t_ms), 0);
    this.full = this.strokes.length >= MAX_STROKES || this.points >= MAX_POINTS;
  }

  clear() {
    this.strokes = [];
    this.pressures = [];
    this.t0 = null;
    this.lastT = 0;
    this.drawing = false;
    this.full = false;
  }

  private add(x: number, y: number, now: number, pressure: number): boolean {
    if (this.points >= MAX_POINTS) {
      this.full = true;
      this.drawing = false;
      return false;
    }
    if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(now)) return false;
    const p: StrokePoint = {
      x: clampInt(x, 0, PAD_WIDTH - 1),
      y: clampInt(y, 0, PAD_HEIGHT - 1),
      t_ms: 0,
    };
    if (this.t0 === null) this.t0 = now;
    p.t_ms = Math.min(MAX_SIGNATURE_MS, Math.max(this.lastT, Math.round(now - this.t0)));
    this.lastT = p.t_ms;
    const stroke = this.strokes[this.strokes.length - 1];
    const last = stroke[stroke.length - 1];
    if (last && last.x === p.x && last.y === p.y) return false;
    stroke.push(p);
    this.pressures[this.pressures.length - 1].push(Number.isFinite(pressure) ? Math.min(1, Math.max(0, pressure)) : 0.5);
    return true;
  }
}

function clampInt(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Math.round(v)));
}

/** Millimetres as the clerk reads them: one decimal at most, a decimal
 *  comma in Polish ("2,4"), a point in English ("2.4"). */
export function mmText(v: number, lang: 'pl' | 'en'): string {
  const r = Math.round((Number.isFinite(v) ? v : 0) * 10) / 10;
  const t = String(Object.is(r, -0) ? 0 : r);
  return lang === 'pl' ? t.replace('.', ',') : t;
}

/** A pointer position on an element of `rect` as pad units. */
export function toPad(clientX: number, clientY: number, rect: { left: number; top: number; width: number; height: number }): [number, number] {
  const w = rect.width > 0 ? rect.width : 1;
  const h = rect.height > 0 ? rect.height : 1;
  return [((clientX - rect.left) / w) * PAD_WIDTH, ((clientY - rect.top) / h) * PAD_HEIGHT];
}

// ---- "cannot sign": the reasons offered (Polish is what is kept) ----

export const CANNOT_SIGN_REASONS = [
  { id: 'disability', pl: 'niepełnosprawność uniemożliwiająca złożenie podpisu', en: 'a disability that prevents signing' },
  { id: 'cannot_write', pl: 'wnioskodawca nie umie pisać', en: 'the applicant cannot write' },
  { id: 'injury', pl: 'uraz ręki uniemożliwiający złożenie podpisu', en: 'a hand injury that prevents signing' },
  { id: 'other', pl: '', en: '' },
] as const;

export type CannotSignId = (typeof CANNOT_SIGN_REASONS)[number]['id'];

/** The reason kept for a choice ('other': what the clerk typed). */
export function cannotSignReason(id: CannotSignId, typed: string): string {
  const r = CANNOT_SIGN_REASONS.find((x) => x.id === id);
  return r && r.id !== 'other' ? r.pl : typed.trim();
}

// ---- the scanner's frame ----

/** The photo's proportions: 35 mm wide, 45 high. */
export const FRAME_RATIO = 45 / 35;
export const FRAME_MIN_MM = 20;
/** One arrow press moves the frame 1 mm (Shift: 5 mm); + and − scale it
 *  by 0.5 mm of width about its centre. */
export const STEP_MM = 1;
export const BIG_STEP_MM = 5;
export const SCALE_MM = 0.5;

/** The frame after a key, kept within a scan of `w`×`h` mm; null when the
 *  key does not move it. */
export function moveFrame(f: CropFrame, key: string, shift: boolean, w: number, h: number): CropFrame | null {
  const step = shift ? BIG_STEP_MM : STEP_MM;
  let { x_mm, y_mm, width_mm } = f;
  switch (key) {
    case 'ArrowLeft':
      x_mm -= step;
      break;
    case 'ArrowRight':
      x_mm += step;
      break;
    case 'ArrowUp':
      y_mm -= step;
      break;
    case 'ArrowDown':
      y_mm += step;
      break;
    case '+':
    case '=':
    case 'Add': {
      const grown = Math.min(width_mm + SCALE_MM, w, h / FRAME_RATIO);
      x_mm -= (grown - width_mm) / 2;
      y_mm -= ((grown - width_mm) * FRAME_RATIO) / 2;
      width_mm = grown;
      break;
    }
    case '-':
    case 'Subtract': {
      const shrunk = Math.max(width_mm - SCALE_MM, FRAME_MIN_MM);
      x_mm += (width_mm - shrunk) / 2;
      y_mm += ((width_mm - shrunk) * FRAME_RATIO) / 2;
      width_mm = shrunk;
      break;
    }
    default:
      return null;
  }
  return fitFrame({ x_mm, y_mm, width_mm }, w, h);
}

/** The frame moved back within the scan (rounded to 0.1 mm). */
export function fitFrame(f: CropFrame, w: number, h: number): CropFrame {
  const width_mm = Math.max(Math.min(f.width_mm, w, h / FRAME_RATIO), Math.min(FRAME_MIN_MM, w));
  const height = width_mm * FRAME_RATIO;
  const r = (v: number) => Math.round(v * 10) / 10;
  return {
    x_mm: r(Math.min(Math.max(0, f.x_mm), Math.max(0, w - width_mm))),
    y_mm: r(Math.min(Math.max(0, f.y_mm), Math.max(0, h - height))),
    width_mm: r(width_mm),
  };
}
