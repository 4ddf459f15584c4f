import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bsGreeks, normCdf } from './blackScholes.js';
import { expectedMove, probAbove, probBelow, probTouch } from './probabilities.js';

const DAY = 1 / 365;

describe('probAbove / probBelow', () => {
  it('sum to one', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 2, noNaN: true }),
        fc.double({ min: 1e-6, max: 2, noNaN: true }),
        fc.double({ min: 0.01, max: 2, noNaN: true }),
        (m, t, vol) => {
          expect(probAbove(100, 100 * m, vol, t, 0.04, 0.01) + probBelow(100, 100 * m, vol, t, 0.04, 0.01)).toBeCloseTo(1, 14);
        },
      ),
    );
  });

  it('ATM is slightly below 1/2 above (lognormal median under the mean)', () => {
    const p = probAbove(5800, 5800, 0.2, 30 * DAY);
    expect(p).toBeLessThan(0.5);
    expect(p).toBeCloseTo(normCdf(-0.5 * 0.2 * Math.sqrt(30 * DAY)), 15);
  });

  it('is symmetric in log space: P(above S·e^x) = P(below S·e^{−x}) after removing the −σ²t/2 drift', () => {
    const vol = 0.25;
    const t = 10 * DAY;
    // With r − q = σ²/2 the log drift is zero and the distribution is symmetric around ln S.
    const r = 0.5 * vol * vol;
    for (const x of [0.001, 0.01, 0.05, 0.2]) {
      expect(probAbove(100, 100 * Math.exp(x), vol, t, r, 0)).toBeCloseTo(probBelow(100, 100 * Math.exp(-x), vol, t, r, 0), 14);
    }
  });

  it('equals N(d2): the risk-neutral exercise probability of a call (finite-difference of price in strike)', () => {
    const i = { right: 'C' as const, spot: 5800, t: 7 * DAY, vol: 0.18, rate: 0.045, q: 0.013 };
    const h = 0.01;
    const up = bsGreeks({ ...i, strike: 5850 + h }).price;
    const dn = bsGreeks({ ...i, strike: 5850 - h }).price;
    // −∂C/∂K = e^{−rt} P(S_T > K)
    const pFromPrices = (-(up - dn) / (2 * h)) * Math.exp(i.rate * i.t);
    expect(probAbove(5800, 5850, 0.18, 7 * DAY, 0.045, 0.013)).toBeCloseTo(pFromPrices, 6);
  });

  it('t → 0 and vol → 0 collapse to a step at the spot without NaN', () => {
    expect(probAbove(100, 99, 0.2, 0)).toBe(1);
    expect(probAbove(100, 101, 0.2, 0)).toBe(0);
    expect(probAbove(100, 100, 0.2, 0)).toBe(0.5);
    expect(probBelow(100, 99, 0.2, 0)).toBe(0);
    expect(probBelow(100, 101, 0, DAY)).toBe(1);
    expect(probAbove(100, 100.01, 0.2, 1e-12)).toBe(0);
    // Continuity: one second before the close, a 1% OTM level is out of reach.
    expect(probAbove(100, 101, 0.2, 1 / (365 * 86400))).toBeLessThan(1e-12);
  });
});

describe('probTouch', () => {
  it('≈ 2× the finishing probability, capped at 1', () => {
    expect(probTouch(100, 105, 0.2, 30 * DAY)).toBeCloseTo(2 * probAbove(100, 105, 0.2, 30 * DAY), 14);
    expect(probTouch(100, 95, 0.2, 30 * DAY)).toBeCloseTo(2 * probBelow(100, 95, 0.2, 30 * DAY), 14);
    expect(probTouch(100, 100.001, 0.2, 30 * DAY)).toBeLessThanOrEqual(1);
    expect(probTouch(100, 100, 0.2, 30 * DAY)).toBe(1);
    expect(probTouch(100, 105, 0.2, 0)).toBe(0);
  });

  it('property: touch ≥ probability of finishing beyond the level, and ≤ 1', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 10, max: 10_000, noNaN: true }),
        fc.double({ min: 0.5, max: 1.5, noNaN: true }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        fc.double({ min: 0, max: 2, noNaN: true }),
        (spot, m, vol, t) => {
          const level = spot * m;
          const touch = probTouch(spot, level, vol, t);
          const beyond = level >= spot ? probAbove(spot, level, vol, t) : probBelow(spot, level, vol, t);
          expect(touch).toBeGreaterThanOrEqual(beyond);
          expect(touch).toBeLessThanOrEqual(1);
          expect(Number.isNaN(touch)).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('expectedMove', () => {
  it('is spot·σ·√t', () => {
    expect(expectedMove(5800, 0.16, 1 / 252)).toBeCloseTo(5800 * 0.16 * Math.sqrt(1 / 252), 12);
    expect(expectedMove(100, 0.2, 1)).toBeCloseTo(20, 12);
  });
  it('is 0 at t = 0 or vol = 0', () => {
    expect(expectedMove(100, 0.2, 0)).toBe(0);
    expect(expectedMove(100, 0, 1)).toBe(0);
    expect(expectedMove(100, 0.2, -1)).toBe(0);
  });
  it('about 68% of outcomes fall within ±1 expected move (log-space, driftless)', () => {
    const vol = 0.2;
    const t = 0.25;
    const sd = vol * Math.sqrt(t);
    const r = 0.5 * vol * vol;
    const inside = 1 - probAbove(100, 100 * Math.exp(sd), vol, t, r) - probBelow(100, 100 * Math.exp(-sd), vol, t, r);
    expect(inside).toBeCloseTo(0.682689492137, 9);
  });
});
