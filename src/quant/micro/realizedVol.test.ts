import { describe, expect, it } from 'vitest';
import { RealizedVol, TRADING_SECONDS_PER_YEAR } from './realizedVol.js';

describe('RealizedVol', () => {
  it('annualises Σr²/Σdt by trading seconds; null while warming up', () => {
    const rv = new RealizedVol({ windowMs: 3000 });
    const closes = [100, 101, 100, 101, 100];
    const out = closes.map((c, i) => rv.update({ ts: 1000 * (i + 1), close: c }));
    expect(out.slice(0, 3)).toEqual([null, null, null]);
    // at ts 5000 the window (2000, 5000] holds the returns ending at 3000, 4000, 5000
    const r1 = Math.log(101 / 100) ** 2;
    const want = Math.sqrt(((r1 + r1 + r1) / 3) * TRADING_SECONDS_PER_YEAR);
    expect(out[4]).toBeCloseTo(want, 12);
  });

  it('counts a return over a quiet gap by its real span and skips gaps beyond maxGapMs', () => {
    const rv = new RealizedVol({ windowMs: 10_000, maxGapMs: 5000, annualizationSeconds: 1 });
    rv.update({ ts: 0, close: 100 });
    rv.update({ ts: 4000, close: 101 }); // 4 s return
    rv.update({ ts: 10_000, close: 150 }); // 6 s gap > maxGap: skipped
    rv.update({ ts: 11_000, close: 151 });
    // window (1000, 11000]: returns at 4000 (4 s) and 11000 (1 s)
    const want = Math.sqrt((Math.log(1.01) ** 2 + Math.log(151 / 150) ** 2) / 5);
    expect(rv.value).toBeCloseTo(want, 12);
    rv.reset();
    expect(rv.value).toBeNull();
  });

  it('a constant price has zero volatility; a non-positive close throws', () => {
    const rv = new RealizedVol({ windowMs: 2000 });
    for (let i = 0; i < 5; i++) rv.update({ ts: i * 1000, close: 50 });
    expect(rv.value).toBe(0);
    expect(() => rv.update({ ts: 9000, close: 0 })).toThrow();
  });
});
