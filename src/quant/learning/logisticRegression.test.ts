import { describe, expect, it } from 'vitest';
import { Prng } from '../prng.js';
import { brierScore, reliabilityBins, rocAuc } from './classificationMetrics.js';
import { LogisticRegression, sigmoid } from './logisticRegression.js';
import { applyPlatt, fitPlatt } from './plattScaling.js';

function generate(n: number, beta: number[], seed: number) {
  const rng = new Prng(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = [rng.normal(), 3 * rng.normal() + 2, rng.uniform(0, 1)];
    const eta = beta[0]! + row.reduce((s, v, j) => s + v * beta[j + 1]!, 0);
    x.push(row);
    y.push(rng.chance(sigmoid(eta)) ? 1 : 0);
  }
  return { x, y };
}

describe('LogisticRegression (IRLS, L2)', () => {
  it('recovers known coefficients on generated data (raw scale, within 0.15)', () => {
    const beta = [-0.5, 1.2, -0.4, 0.8];
    const { x, y } = generate(20_000, beta, 3);
    const m = LogisticRegression.fit(x, y, { lambda: 1e-3 });
    const got = m.coefficients();
    got.forEach((b, i) => expect(Math.abs(b - beta[i]!)).toBeLessThan(0.15));
    expect(m.toJSON().iterations).toBeLessThan(20);
  });

  it('L2 shrinks the weights; same data → bit-identical model', () => {
    const { x, y } = generate(500, [0, 2, 0, 0], 9);
    const loose = LogisticRegression.fit(x, y, { lambda: 0 });
    const tight = LogisticRegression.fit(x, y, { lambda: 500 });
    expect(Math.abs(tight.coefficients()[1]!)).toBeLessThan(Math.abs(loose.coefficients()[1]!));
    expect(LogisticRegression.fit(x, y, { lambda: 1 }).toJSON()).toEqual(LogisticRegression.fit(x, y, { lambda: 1 }).toJSON());
  });

  it('survives a constant column and a single class', () => {
    const x = [[1, 0], [1, 1], [1, 2]];
    expect(() => LogisticRegression.fit(x, [0, 0, 0])).not.toThrow();
    expect(LogisticRegression.fit(x, [0, 0, 0]).predict([1, 1])).toBeLessThan(0.5);
  });
});

describe('Platt scaling and metrics', () => {
  it('Platt recovers a known miscalibration (scores are 2× the true log-odds + 1)', () => {
    const rng = new Prng(5);
    const s: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const eta = rng.normal();
      s.push(2 * eta + 1);
      y.push(rng.chance(sigmoid(eta)) ? 1 : 0);
    }
    const p = fitPlatt(s, y);
    expect(p.a).toBeCloseTo(0.5, 1);
    expect(p.b).toBeCloseTo(-0.5, 1);
    expect(applyPlatt({ a: 1, b: 0 }, 0)).toBe(0.5);
    expect(fitPlatt([], [])).toEqual({ a: 1, b: 0 });
  });

  it('AUC, Brier and reliability bins on known cases', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(rocAuc([0.5, 0.5], [0, 1])).toBe(0.5);
    expect(rocAuc([0.2, 0.3], [1, 1])).toBeNull();
    expect(brierScore([1, 0, 0.5], [1, 0, 1])).toBeCloseTo(0.25 / 3);
    const bins = reliabilityBins([0.05, 0.15, 0.95, 1], [0, 1, 1, 1], 10);
    expect(bins).toHaveLength(10);
    expect(bins[0]).toMatchObject({ count: 1, observed: 0 });
    expect(bins[9]).toMatchObject({ count: 2, observed: 1 });
    expect(bins[5]).toMatchObject({ count: 0, meanP: null });
  });
});
