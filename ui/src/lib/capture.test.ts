import { describe, expect, it } from 'vitest';
import { CANNOT_SIGN_REASONS, MAX_POINTS, MAX_STROKES, PAD_HEIGHT, PAD_WIDTH, StrokeRecorder, cannotSignReason, fitFrame, mmText, moveFrame, toPad } from './capture';

describe('StrokeRecorder', () => {
  it('keeps integer points on the pad with time going forward', () => {
    const r = new StrokeRecorder();
    r.down(10.4, 20.6, 1000);
    r.move(-50, 400, 1010); // off the pad: clamped to its edge
    r.move(5000, 10, 990); // the clock going back: time kept
    r.move(Number.NaN, 10, 1020); // not a point
    r.up();
    expect(r.strokes).toEqual([
      [
        { x: 10, y: 21, t_ms: 0 },
        { x: 0, y: PAD_HEIGHT - 1, t_ms: 10 },
        { x: PAD_WIDTH - 1, y: 10, t_ms: 10 },
      ],
    ]);
    expect(r.move(1, 1, 1100)).toBe(false); // pen up: nothing
  });

  it('drops a point repeated in place and clears', () => {
    const r = new StrokeRecorder();
    r.down(1, 1, 0);
    expect(r.move(1, 1, 5)).toBe(false);
    expect(r.points).toBe(1);
    r.clear();
    expect(r.empty).toBe(true);
    r.down(3, 3, 100);
    expect(r.strokes[0][0].t_ms).toBe(0);
  });

  it('stops at the bounds Rust sets, and says it is full', () => {
    const r = new StrokeRecorder();
    for (let i = 0; i < MAX_STROKES; i++) {
      r.down(i % 900, 5, i);
      r.up();
    }
    expect(r.down(1, 1, 9999)).toBe(false);
    expect(r.full).toBe(true);
    expect(r.strokes.length).toBe(MAX_STROKES);
    const p = new StrokeRecorder();
    p.down(0, 0, 0);
    for (let i = 1; i < MAX_POINTS + 50; i++) p.move(i % 1000, Math.floor(i / 1000) % 300, i);
    expect(p.points).toBe(MAX_POINTS);
    expect(p.full).toBe(true);
  });

  it('scales a pointer position to the pad', () => {
    expect(toPad(150, 75, { left: 50, top: 25, width: 200, height: 100 })).toEqual([500, 150]);
    expect(toPad(10, 10, { left: 0, top: 0, width: 0, height: 0 }).every(Number.isFinite)).toBe(true);
  });
});

describe('cannot sign', () => {
  it('keeps the chosen reason in Polish, or what was typed', () => {
    expect(cannotSignReason('cannot_write', 'ignored')).toBe('wnioskodawca nie umie pisać');
    expect(cannotSignReason('other', '  brak dłoni  ')).toBe('brak dłoni');
    for (const r of CANNOT_SIGN_REASONS) if (r.id !== 'other') expect(r.pl.length).toBeGreaterThanOrEqual(3);
  });
});

describe('the scanner frame', () => {
  const f = { x_mm: 10, y_mm: 10, width_mm: 35 };
  it('moves by arrows, 1 mm or 5 with Shift, and stays on the scan', () => {
    expect(moveFrame(f, 'ArrowRight', false, 80, 100)).toEqual({ x_mm: 11, y_mm: 10, width_mm: 35 });
    expect(moveFrame(f, 'ArrowDown', true, 80, 100)).toEqual({ x_mm: 10, y_mm: 15, width_mm: 35 });
    expect(moveFrame(f, 'ArrowLeft', true, 80, 100)).toEqual({ x_mm: 5, y_mm: 10, width_mm: 35 });
    expect(moveFrame({ ...f, x_mm: 0 }, 'ArrowLeft', false, 80, 100)?.x_mm).toBe(0);
    expect(moveFrame({ ...f, x_mm: 45 }, 'ArrowRight', false, 80, 100)?.x_mm).toBe(45);
    expect(moveFrame(f, 'a', false, 80, 100)).toBeNull();
  });

  it('scales about its centre with + and −, within limits', () => {
    const big = moveFrame(f, '+', false, 80, 100)!;
    expect(big.width_mm).toBe(35.5);
    expect(big.x_mm).toBe(9.8); // 9.75 rounded
    const small = moveFrame(f, '-', false, 80, 100)!;
    expect(small.width_mm).toBe(34.5);
    let g = f;
    for (let i = 0; i < 100; i++) g = moveFrame(g, '-', false, 80, 100)!;
    expect(g.width_mm).toBe(20);
    for (let i = 0; i < 200; i++) g = moveFrame(g, '+', false, 80, 100)!;
    // The frame's height (width × 45/35) never passes the scan's 100 mm.
    expect(g.width_mm * (45 / 35)).toBeLessThanOrEqual(100.1);
    expect(g.y_mm + g.width_mm * (45 / 35)).toBeLessThanOrEqual(100.1);
  });

  it('fits a frame that came from elsewhere', () => {
    expect(fitFrame({ x_mm: -5, y_mm: 200, width_mm: 35 }, 80, 100)).toEqual({ x_mm: 0, y_mm: 55, width_mm: 35 });
  });
});

describe('mmText', () => {
  it('writes a decimal comma in Polish and a point in English, one decimal', () => {
    expect(mmText(2.4, 'pl')).toBe('2,4');
    expect(mmText(36.5, 'pl')).toBe('36,5');
    expect(mmText(36.5, 'en')).toBe('36.5');
    expect(mmText(1.1000000000000005, 'pl')).toBe('1,1');
    expect(mmText(35, 'pl')).toBe('35');
    expect(mmText(-0.01, 'pl')).toBe('0');
    expect(mmText(Number.NaN, 'en')).toBe('0');
  });
});

describe('StrokeRecorder.restore', () => {
  it('takes strokes back and later points never go back in time', () => {
    const a = new StrokeRecorder();
    a.down(10, 10, 0);
    a.move(20, 20, 500);
    a.up();
    const b = new StrokeRecorder();
    b.restore(a.strokes, a.pressures);
    expect(b.strokes).toEqual(a.strokes);
    expect(b.points).toBe(2);
    b.down(30, 30, 10_000);
    expect(b.strokes[1][0].t_ms).toBeGreaterThanOrEqual(500);
  });
});
