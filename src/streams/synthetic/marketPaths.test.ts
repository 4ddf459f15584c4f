import { describe, expect, it } from 'vitest';
import { sessionFor } from '../../domain/calendar.js';
import { Prng } from '../../quant/prng.js';
import { MarketPaths, NDX_PER_QQQ, SPX_PER_SPY } from './marketPaths.js';

const session = sessionFor('2025-03-10')!;
const gen = (seed: number): MarketPaths =>
  MarketPaths.generate({ startMs: session.open - 1_800_000, endMs: session.close + 900_000, session, prng: new Prng(seed) });

function minuteReturns(p: MarketPaths, t: 'SPY' | 'QQQ', from: number, to: number): number[] {
  const out: number[] = [];
  for (let ms = from; ms + 60_000 <= to; ms += 60_000) out.push(Math.log(p.at(t, ms + 60_000) / p.at(t, ms)));
  return out;
}

function corr(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

describe('MarketPaths', () => {
  it('is deterministic per seed', () => {
    const a = gen(42);
    const b = gen(42);
    const c = gen(43);
    expect(Array.from(a.grid('SPY').subarray(0, 1000))).toEqual(Array.from(b.grid('SPY').subarray(0, 1000)));
    expect(a.at('I:NDX', session.close)).toBe(b.at('I:NDX', session.close));
    expect(a.at('SPY', session.close)).not.toBe(c.at('SPY', session.close));
  });

  it('correlates SPY and QQQ around 0.85 and keeps the index ratios', () => {
    const cs: number[] = [];
    for (const seed of [1, 2, 3]) {
      const p = gen(seed);
      cs.push(corr(minuteReturns(p, 'SPY', session.open, session.close), minuteReturns(p, 'QQQ', session.open, session.close)));
      for (let ms = session.open; ms < session.close; ms += 600_000) {
        expect(p.at('I:SPX', ms) / p.at('SPY', ms) / SPX_PER_SPY).toBeCloseTo(1, 3);
        expect(p.at('I:NDX', ms) / p.at('QQQ', ms) / NDX_PER_QQQ).toBeCloseTo(1, 3);
      }
    }
    const mean = cs.reduce((s, x) => s + x, 0) / cs.length;
    expect(mean).toBeGreaterThan(0.75);
    expect(mean).toBeLessThan(0.93);
  });

  it('is more volatile in the first half hour than at midday, with a plausible daily range', () => {
    let early = 0;
    let mid = 0;
    for (const seed of [5, 6, 7, 8]) {
      const p = gen(seed);
      const sd = (r: number[]): number => Math.sqrt(r.reduce((s, x) => s + x * x, 0) / r.length);
      early += sd(minuteReturns(p, 'SPY', session.open, session.open + 1_800_000));
      mid += sd(minuteReturns(p, 'SPY', session.open + 3 * 3_600_000, session.open + 4 * 3_600_000));
      const { min, max } = p.range('SPY', session.open, session.close);
      expect(max / min - 1).toBeGreaterThan(0.002);
      expect(max / min - 1).toBeLessThan(0.06);
    }
    expect(early).toBeGreaterThan(1.3 * mid);
  });
});
