import { describe, expect, it } from 'vitest';
import { formatPolygon, type OptionRight } from '../../domain/instruments.js';
import { nyTimeToMs } from '../../domain/time.js';
import { bsPrice } from './blackScholes.js';
import { VolSurface, type SurfaceQuote } from './volSurface.js';
import { yearFraction } from './yearFraction.js';

const R = 0.045;
const Q = 0.013;
const SPOT = 5800;
const NOW = nyTimeToMs('2025-03-10', 10, 0); // Monday
const TODAY = '2025-03-10';
const WEEK = '2025-03-17';

interface Smile {
  a: number;
  b: number;
  c: number;
}
const SMILE_0DTE: Smile = { a: 0.15, b: -1.5, c: 30 };
const SMILE_WEEK: Smile = { a: 0.18, b: -0.6, c: 2 };

const sym = (expiry: string, right: OptionRight, strike: number, root = 'SPXW'): string =>
  formatPolygon({ root, expiry, right, strike });

function forward(expiry: string, ts = NOW, spot = SPOT): number {
  return spot * Math.exp((R - Q) * yearFraction(ts, expiry));
}

function volAt(s: Smile, k: number): number {
  return s.a + s.b * k + s.c * k * k;
}

/** A quote whose mid is exactly the BSM price at the smile's vol; half-spread min(0.05, price/2). */
function quoteFor(expiry: string, right: OptionRight, strike: number, smile: Smile, ts = NOW, spot = SPOT): SurfaceQuote {
  const t = yearFraction(ts, expiry);
  const vol = volAt(smile, Math.log(strike / forward(expiry, ts, spot)));
  const price = bsPrice({ right, spot, strike, t, vol, rate: R, q: Q });
  const h = Math.min(0.05, price / 2);
  return { symbol: sym(expiry, right, strike), bid: price - h, ask: price + h, bidSize: 10, askSize: 10, ts };
}

function strikes(lo: number, hi: number, step: number): number[] {
  const out: number[] = [];
  for (let k = lo; k <= hi; k += step) out.push(k);
  return out;
}

function loaded(): VolSurface {
  const s = new VolSurface({ underlying: 'SPX', rate: R, dividendYield: Q });
  for (const k of strikes(5745, 5855, 5))
    for (const right of ['C', 'P'] as const) s.update(quoteFor(TODAY, right, k, SMILE_0DTE), SPOT, NOW);
  for (const k of strikes(5525, 6075, 25))
    for (const right of ['C', 'P'] as const) s.update(quoteFor(WEEK, right, k, SMILE_WEEK), SPOT, NOW);
  return s;
}

describe('VolSurface on quotes priced from a known smile', () => {
  const s = loaded();

  it('holds both expiries', () => expect(s.expiries()).toEqual([TODAY, WEEK]));

  it('smile fit recovers the quadratic coefficients', () => {
    for (const [expiry, truth] of [
      [TODAY, SMILE_0DTE],
      [WEEK, SMILE_WEEK],
    ] as const) {
      const fit = s.smile(expiry);
      expect(fit).not.toBeNull();
      expect(fit!.a).toBeCloseTo(truth.a, 7);
      expect(fit!.b).toBeCloseTo(truth.b, 5);
      expect(Math.abs(fit!.c - truth.c)).toBeLessThan(1e-4 * truth.c);
      expect(fit!.forward).toBeCloseTo(forward(expiry), 8);
    }
  });

  it('recovers ATM IV within 1e-3', () => {
    expect(Math.abs(s.atmIv(TODAY)! - SMILE_0DTE.a)).toBeLessThan(1e-3);
    expect(Math.abs(s.atmIv(WEEK)! - SMILE_WEEK.a)).toBeLessThan(1e-3);
  });

  it('put skew is positive for a downward-sloping smile', () => {
    expect(s.skew25d(TODAY)!).toBeGreaterThan(0);
    expect(s.skew25d(WEEK)!).toBeGreaterThan(0);
  });

  it('call skew (upward-sloping smile) gives a negative 25Δ skew', () => {
    const up: Smile = { a: 0.3, b: 0.8, c: 1 };
    const v = new VolSurface();
    for (const k of strikes(5525, 6075, 25)) for (const r of ['C', 'P'] as const) v.update(quoteFor(WEEK, r, k, up), SPOT, NOW);
    expect(v.skew25d(WEEK)!).toBeLessThan(0);
  });

  it('ivFor: the quote where fresh, the smile between strikes', () => {
    const f = forward(WEEK);
    expect(s.ivFor(5800, WEEK)!).toBeCloseTo(volAt(SMILE_WEEK, Math.log(5800 / f)), 9);
    expect(s.ivFor(5812, WEEK)!).toBeCloseTo(volAt(SMILE_WEEK, Math.log(5812 / f)), 6);
    // Flat beyond the quoted range.
    expect(s.ivFor(9000, WEEK)).toBeCloseTo(s.ivFor(6075, WEEK)!, 6);
    expect(s.ivFor(5800, '2025-03-18')).toBeNull();
  });

  it('termSlope = 0DTE ATM IV − next expiry ATM IV', () => {
    expect(s.termSlope()!).toBeCloseTo(SMILE_0DTE.a - SMILE_WEEK.a, 3);
  });

  it('value snapshots every slice', () => {
    const v = s.value!;
    expect(v.slices.map((x) => x.expiry)).toEqual([TODAY, WEEK]);
    expect(v.slices[0]!.strikes).toBe(23);
    expect(v.termSlope).toBe(s.termSlope());
  });

  it('tick-rounded quotes still give ATM IV within 1e-3 (7-day expiry)', () => {
    const v = new VolSurface();
    for (const k of strikes(5525, 6075, 25))
      for (const right of ['C', 'P'] as const) {
        const q = quoteFor(WEEK, right, k, SMILE_WEEK);
        const mid = (q.bid + q.ask) / 2;
        const tick = mid < 3 ? 0.05 : 0.1;
        const bid = Math.max(tick, Math.floor((mid - 0.1) / tick) * tick);
        const ask = Math.ceil((mid + 0.1) / tick) * tick;
        v.update({ ...q, bid, ask }, SPOT, NOW);
      }
    expect(Math.abs(v.atmIv(WEEK)! - SMILE_WEEK.a)).toBeLessThan(1e-3);
    expect(v.skew25d(WEEK)!).toBeGreaterThan(0);
  });
});

describe('VolSurface warm-up and filtering', () => {
  it('is null until an expiry has 3 strikes', () => {
    const s = new VolSurface();
    expect(s.value).toBeNull();
    s.update(quoteFor(WEEK, 'C', 5800, SMILE_WEEK), SPOT, NOW);
    s.update(quoteFor(WEEK, 'P', 5800, SMILE_WEEK), SPOT, NOW); // same strike: still one
    s.update(quoteFor(WEEK, 'P', 5775, SMILE_WEEK), SPOT, NOW);
    expect(s.value).toBeNull();
    expect(s.atmIv(WEEK)).toBeNull();
    expect(s.smile(WEEK)).toBeNull();
    expect(s.ivFor(5800, WEEK)).toBeNull();
    s.update(quoteFor(WEEK, 'C', 5825, SMILE_WEEK), SPOT, NOW);
    expect(s.value).not.toBeNull();
    expect(s.atmIv(WEEK)).not.toBeNull();
  });

  it('rejects crossed, one-sided, stale, below-intrinsic, foreign and expired quotes', () => {
    const s = new VolSurface({ underlying: 'SPX', maxQuoteAgeMs: 5_000 });
    const good = quoteFor(WEEK, 'C', 5800, SMILE_WEEK);
    expect(s.update({ ...good, bid: good.ask + 0.1 }, SPOT, NOW)).toBe('crossed');
    expect(s.update({ ...good, bid: 0 }, SPOT, NOW)).toBe('one-sided');
    expect(s.update({ ...good, ask: 0 }, SPOT, NOW)).toBe('one-sided');
    expect(s.update({ ...good, ts: NOW - 5_001 }, SPOT, NOW)).toBe('stale');
    // Deep ITM call quoted under its discounted forward intrinsic.
    const itm = quoteFor(WEEK, 'C', 5500, SMILE_WEEK);
    expect(s.update({ ...itm, bid: 280, ask: 290 }, SPOT, NOW)).toBe('below-intrinsic');
    expect(s.update({ ...good, symbol: sym(WEEK, 'C', 500, 'QQQ') }, SPOT, NOW)).toBe('unknown-symbol');
    expect(s.update({ ...good, symbol: 'garbage' }, SPOT, NOW)).toBe('unknown-symbol');
    expect(s.update({ ...good, symbol: sym('2025-03-07', 'C', 5800) }, SPOT, NOW)).toBe('expired');
    expect(s.update(good, 0, NOW)).toBe('bad-spot');
    expect(s.update(good, SPOT, NOW)).toBe('ok');
    // Older than the point already held for the contract.
    expect(s.update({ ...good, ts: NOW - 1 }, SPOT, NOW)).toBe('stale');
  });

  it('a bad quote drops the contract’s previous IV', () => {
    const s = new VolSurface();
    for (const k of [5775, 5800, 5825]) s.update(quoteFor(WEEK, 'C', k, SMILE_WEEK), SPOT, NOW);
    expect(s.atmIv(WEEK)).not.toBeNull();
    const q = quoteFor(WEEK, 'C', 5825, SMILE_WEEK, NOW + 1);
    expect(s.update({ ...q, bid: 0 }, SPOT, NOW + 1)).toBe('one-sided');
    expect(s.atmIv(WEEK)).toBeNull();
  });

  it('points age out at query time as event time advances', () => {
    const s = new VolSurface({ maxQuoteAgeMs: 5_000 });
    for (const k of [5775, 5800, 5825]) s.update(quoteFor(WEEK, 'C', k, SMILE_WEEK), SPOT, NOW);
    expect(s.atmIv(WEEK)).not.toBeNull();
    s.update(quoteFor(WEEK, 'C', 5850, SMILE_WEEK, NOW + 6_000), SPOT, NOW + 6_000);
    expect(s.atmIv(WEEK)).toBeNull();
  });

  it('refits lazily: same fit object until something changes', () => {
    const s = loaded();
    const f1 = s.smile(WEEK);
    expect(s.smile(WEEK)).toBe(f1);
    s.update(quoteFor(WEEK, 'P', 5700, { ...SMILE_WEEK, a: 0.25 }), SPOT, NOW);
    const f2 = s.smile(WEEK);
    expect(f2).not.toBe(f1);
    expect(f2!.a).not.toBeCloseTo(f1!.a, 6);
  });

  it('drops a slice once its expiry passes', () => {
    const s = loaded();
    const after = nyTimeToMs(TODAY, 16, 0, 1);
    s.update(quoteFor(WEEK, 'C', 5800, SMILE_WEEK, after), SPOT, after);
    expect(s.expiries()).toEqual([WEEK]);
    expect(s.termSlope()).toBeNull();
  });

  it('PM contracts own a date shared with the AM monthly', () => {
    const s = new VolSurface();
    const monthly = '2025-03-21';
    const am = quoteFor(monthly, 'C', 5800, SMILE_WEEK);
    expect(s.update({ ...am, symbol: sym(monthly, 'C', 5800, 'SPX') }, SPOT, NOW)).toBe('ok');
    expect(s.update(quoteFor(monthly, 'C', 5825, SMILE_WEEK), SPOT, NOW)).toBe('ok');
    expect(s.update({ ...am, symbol: sym(monthly, 'C', 5775, 'SPX') }, SPOT, NOW)).toBe('shadowed');
  });

  it('reset clears everything', () => {
    const s = loaded();
    s.reset();
    expect(s.value).toBeNull();
    expect(s.expiries()).toEqual([]);
  });
});
