import { describe, expect, it } from 'vitest';
import { Prng } from '../prng.js';
import { Bocpd, DEFAULT_BOCPD, lgamma } from './bocpd.js';

const series = (seed: number, n: number, shiftAt: number, sd2: number, mean2 = 0) => {
  const r = new Prng(seed);
  return Array.from({ length: n }, (_, i) => (i < shiftAt ? r.normal() : mean2 + sd2 * r.normal()));
};

describe('Bocpd (Adams & MacKay, normal-gamma)', () => {
  it('lgamma matches known values', () => {
    expect(lgamma(1)).toBeCloseTo(0, 10);
    expect(lgamma(5)).toBeCloseTo(Math.log(24), 10);
    expect(lgamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 10);
  });

  it('finds a planted variance shift (σ 1 → 3 at observation 150): within 10 observations on ≥ 90% of 40 seeds, median ≤ 3', () => {
    const delays: number[] = [];
    for (let seed = 1; seed <= 40; seed++) {
      const d = new Bocpd(DEFAULT_BOCPD);
      const fired: number[] = [];
      series(seed, 300, 150, 3).forEach((x, i) => {
        if (d.update(x).changed) fired.push(i);
      });
      const hit = fired.find((i) => i >= 150);
      delays.push(hit === undefined ? Number.POSITIVE_INFINITY : hit - 150);
    }
    delays.sort((a, b) => a - b);
    expect(delays.filter((x) => x <= 10).length).toBeGreaterThanOrEqual(36);
    expect(delays[20]).toBeLessThanOrEqual(3);
  });

  it('finds a planted mean shift and rarely fires on a stationary series', () => {
    const d = new Bocpd(DEFAULT_BOCPD);
    const fired = series(3, 300, 150, 1, 4).map((x) => d.update(x).changed).flatMap((c, i) => (c ? [i] : []));
    expect(fired.some((i) => i >= 150 && i <= 156)).toBe(true);
    let falseAlarms = 0;
    for (let seed = 1001; seed <= 1040; seed++) {
      const s = new Bocpd(DEFAULT_BOCPD);
      for (const x of series(seed, 300, 300, 1)) if (s.update(x).changed) falseAlarms++;
    }
    expect(falseAlarms).toBeLessThanOrEqual(10); // over 40 × 300 stationary observations
  });

  it('run length grows without change, reset() forgets, bad input throws', () => {
    const d = new Bocpd(DEFAULT_BOCPD);
    for (const x of series(1, 100, 100, 1)) d.update(x);
    expect(d.value!.expectedRunLength).toBeGreaterThan(50);
    d.reset();
    expect(d.value).toBeNull();
    expect(d.count).toBe(0);
    expect(() => d.update(Number.NaN)).toThrow(/non-finite/);
    expect(() => new Bocpd({ ...DEFAULT_BOCPD, hazardLambda: 1 })).toThrow();
  });
});
