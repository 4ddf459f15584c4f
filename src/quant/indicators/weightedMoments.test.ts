import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { WeightedMoments } from './weightedMoments.js';

describe('WeightedMoments', () => {
  it('null while empty; zero weights ignored; reset', () => {
    const m = new WeightedMoments();
    expect(m.mean).toBeNull();
    m.add(5, 0);
    expect(m.mean).toBeNull();
    m.add(5, 2);
    expect(m.mean).toBe(5);
    expect(m.sigma).toBe(0);
    m.reset();
    expect(m.sigma).toBeNull();
  });

  it('matches the two-pass weighted mean and σ at index price levels', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 5000, max: 5100, noNaN: true }), fc.integer({ min: 1, max: 10_000 })), { minLength: 1, maxLength: 200 }),
        (xs) => {
          const m = new WeightedMoments();
          for (const [p, w] of xs) m.add(p, w);
          const W = xs.reduce((a, [, w]) => a + w, 0);
          const mean = xs.reduce((a, [p, w]) => a + p * w, 0) / W;
          const v = xs.reduce((a, [p, w]) => a + w * (p - mean) ** 2, 0) / W;
          expect(Math.abs(m.mean! - mean)).toBeLessThan(1e-8);
          expect(Math.abs(m.sigma! - Math.sqrt(v))).toBeLessThan(1e-6);
        },
      ),
    );
  });
});
