import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bsGreeks, bsPrice, type Right } from './blackScholes.js';
import { impliedVol } from './impliedVol.js';

const MINUTE = 1 / (365 * 24 * 60);
const DAY = 1 / 365;
const EXPIRIES = [5 * MINUTE, 30 * MINUTE, 2 * 60 * MINUTE, 6.5 * 60 * MINUTE, DAY, 7 * DAY, 30 * DAY, 60 * DAY];
const VOLS = [0.05, 0.1, 0.2, 0.4, 0.8, 1.5];
const MONEYNESS = Array.from({ length: 21 }, (_, i) => 0.9 + i * 0.01);

function discountedIntrinsic(right: Right, spot: number, strike: number, t: number, rate: number, q: number): number {
  const d = spot * Math.exp(-q * t) - strike * Math.exp(-rate * t);
  return Math.max(right === 'C' ? d : -d, 0);
}

describe('impliedVol round trip', () => {
  for (const spot of [5000, 500]) {
    it(`price → IV → price on the moneyness × expiry × vol grid (spot ${spot})`, () => {
      const rate = 0.045;
      const q = 0.013;
      let solved = 0;
      let noTimeValue = 0;
      for (const t of EXPIRIES)
        for (const vol of VOLS)
          for (const m of MONEYNESS)
            for (const right of ['C', 'P'] as Right[]) {
              const strike = Math.round(spot * m);
              const input = { right, spot, strike, t, rate, q };
              const price = bsPrice({ ...input, vol });
              const r = impliedVol(price, input);
              const label = `${right} K=${strike} t=${t} vol=${vol} price=${price}`;
              if (r.vol === null) {
                // Only acceptable miss: the option has no time value left in double precision (deep ITM, minutes
                // to go), where every vol reprices it and none is identifiable.
                if (r.reason !== 'below-intrinsic' || price > discountedIntrinsic(right, spot, strike, t, rate, q)) {
                  expect.fail(`${label}: ${r.reason}`);
                }
                noTimeValue++;
                continue;
              }
              solved++;
              const back = bsPrice({ ...input, vol: r.vol });
              const err = Math.abs(back - price);
              if (!(err <= 1e-8 || err <= 1e-6 * price)) expect.fail(`${label}: repriced ${back} (iv ${r.vol})`);
              // Where the price carries information about vol, the vol itself comes back too.
              const vega = bsGreeks({ ...input, vol }).vega;
              if (vega * vol > 1e-6 * price && price > 1e-10) {
                if (Math.abs(r.vol - vol) > 1e-6 * vol) expect.fail(`${label}: iv ${r.vol}`);
              }
            }
      // Deep ITM/OTM strikes with minutes left and low vol are worth exactly intrinsic (or 0) in doubles.
      expect(solved + noTimeValue).toBe(EXPIRIES.length * VOLS.length * MONEYNESS.length * 2);
      expect(solved).toBeGreaterThan(0.7 * (solved + noTimeValue));
    });
  }

  it('recovers vol for random European inputs (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.85, max: 1.15, noNaN: true }),
        fc.double({ min: 2 * MINUTE, max: 2, noNaN: true }),
        fc.double({ min: 0.03, max: 2, noNaN: true }),
        fc.constantFrom<Right>('C', 'P'),
        (m, t, vol, right) => {
          const input = { right, spot: 100, strike: 100 * m, t, rate: 0.03, q: 0.01 };
          const price = bsPrice({ ...input, vol });
          const r = impliedVol(price, input);
          if (r.vol === null) {
            expect(r.reason).toBe('below-intrinsic');
            return;
          }
          const back = bsPrice({ ...input, vol: r.vol });
          expect(Math.abs(back - price)).toBeLessThanOrEqual(Math.max(1e-8, 1e-6 * price));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('deep-wing regression: OTM put worth 6e-79 with 14 minutes left (noisy ln price)', () => {
    const input = { right: 'P' as const, spot: 100, strike: 99.71431480845053, t: 0.000026894870042201855, rate: 0.03, q: 0.01 };
    const price = bsPrice({ ...input, vol: 0.03 });
    const r = impliedVol(price, input);
    expect(r.vol).not.toBeNull();
    expect(r.vol!).toBeCloseTo(0.03, 9);
  });

  it('handles 0DTE with one minute left, ATM and wings', () => {
    const t = MINUTE;
    for (const strike of [5790, 5800, 5810]) {
      for (const right of ['C', 'P'] as Right[]) {
        const input = { right, spot: 5800, strike, t, rate: 0.045, q: 0.013 };
        const price = bsPrice({ ...input, vol: 0.25 });
        const r = impliedVol(price, input);
        expect(r.vol).not.toBeNull();
        expect(r.vol!).toBeCloseTo(0.25, 6);
      }
    }
  });
});

describe('impliedVol failures', () => {
  const input = { right: 'C' as const, spot: 100, strike: 90, t: 0.25, rate: 0.05, q: 0.01 };

  it('below-intrinsic: price under the discounted forward intrinsic', () => {
    const intrinsic = discountedIntrinsic('C', 100, 90, 0.25, 0.05, 0.01);
    expect(impliedVol(intrinsic - 0.01, input)).toEqual({ vol: null, reason: 'below-intrinsic' });
    expect(impliedVol(intrinsic, input)).toEqual({ vol: null, reason: 'below-intrinsic' });
    expect(impliedVol(0, { ...input, strike: 110 })).toEqual({ vol: null, reason: 'below-intrinsic' });
    expect(impliedVol(5, { ...input, right: 'P', strike: 110 })).toEqual({ vol: null, reason: 'below-intrinsic' });
  });

  it('European ITM put may sit below spot intrinsic yet above the forward bound: solvable', () => {
    // K − S = 10 but K e^{−rt} − S e^{−qt} ≈ 8.89: 9.5 is a legitimate European price.
    const r = impliedVol(9.5, { ...input, right: 'P', strike: 110 });
    expect(r.vol).not.toBeNull();
  });

  it('above-bound: call ≥ S e^{−qt}, put ≥ K e^{−rt}', () => {
    expect(impliedVol(100, input)).toEqual({ vol: null, reason: 'above-bound' });
    expect(impliedVol(100 * Math.exp(-0.01 * 0.25), input)).toEqual({ vol: null, reason: 'above-bound' });
    expect(impliedVol(90, { ...input, right: 'P' })).toEqual({ vol: null, reason: 'above-bound' });
  });

  it('bad-input', () => {
    for (const [price, patch] of [
      [Number.NaN, {}],
      [-1, {}],
      [5, { t: 0 }],
      [5, { t: -1 }],
      [5, { spot: 0 }],
      [5, { strike: -5 }],
      [5, { rate: Number.POSITIVE_INFINITY }],
      [5, { q: Number.NaN }],
    ] as const) {
      expect(impliedVol(price, { ...input, ...patch })).toEqual({ vol: null, reason: 'bad-input' });
    }
  });

  it('one ulp under the upper bound: a repricing (huge) vol or no-convergence, never NaN', () => {
    const bound = 100 * Math.exp(-0.01 * 0.25);
    const justBelow = bound * (1 - 2 ** -52);
    expect(justBelow).toBeLessThan(bound);
    const inp = { ...input, strike: 100 };
    const r = impliedVol(justBelow, inp);
    if (r.vol === null) expect(r.reason).toBe('no-convergence');
    else {
      expect(Number.isFinite(r.vol)).toBe(true);
      expect(Math.abs(bsPrice({ ...inp, vol: r.vol }) - justBelow)).toBeLessThan(1e-8);
    }
  });
});
