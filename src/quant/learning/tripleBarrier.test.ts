import { describe, expect, it } from 'vitest';
import { rewardRisk, tripleBarrier, type PricePoint } from './tripleBarrier.js';

const intent = { ts: 1000, direction: 'calls' as const, refPrice: 100, underlyingStop: 99, underlyingTarget: 102, timeStop: 10_000 };
const path = (...prices: number[]): PricePoint[] => prices.map((price, i) => ({ ts: 1000 + i * 1000, price }));

describe('tripleBarrier', () => {
  it('target first → 1 with R = reward/risk; stop first → 0, R −1; ignores prices at or before the signal', () => {
    expect(tripleBarrier(intent, path(98, 100.5, 102.1, 98))).toEqual({ label: 1, outcome: 'target', r: 2, exitTs: 3000 });
    expect(tripleBarrier(intent, path(103, 99.5, 98.9, 103))).toEqual({ label: 0, outcome: 'stop', r: -1, exitTs: 3000 });
  });

  it('time stop: label 0 with the signed R of the last price before it; puts mirror calls', () => {
    const r = tripleBarrier({ ...intent, timeStop: 3500 }, path(100, 100.5, 101, 105));
    expect(r).toEqual({ label: 0, outcome: 'time', r: 1, exitTs: 3000 });
    const put = { ...intent, direction: 'puts' as const, underlyingStop: 101, underlyingTarget: 98 };
    expect(tripleBarrier(put, path(100, 99, 97.9)).outcome).toBe('target');
    expect(tripleBarrier(put, path(100, 101.2)).r).toBe(-1);
    expect(tripleBarrier(intent, []).outcome).toBe('time');
    expect(() => tripleBarrier({ ...intent, underlyingStop: 100 }, [])).toThrow(/stop equals/);
  });
});

describe('rewardRisk', () => {
  it.each([
    [{ refPrice: 100, underlyingStop: 99, underlyingTarget: 102 }, 2],
    [{ refPrice: 100, underlyingStop: 101, underlyingTarget: 98.5 }, 1.5],
    [{ refPrice: 100, underlyingStop: 100, underlyingTarget: 102 }, null],
  ])('%j → %s', (levels, rr) => {
    expect(rewardRisk(levels)).toBe(rr);
  });
});
