import { describe, expect, it } from 'vitest';
import { nbboSpread } from './nbboSpread.js';

describe('nbboSpread', () => {
  it.each([
    { bid: 500, ask: 500.02, dollars: 0.02, bps: (0.02 / 500.01) * 1e4 },
    { bid: 10, ask: 10, dollars: 0, bps: 0 },
  ])('$bid × $ask', ({ bid, ask, dollars, bps }) => {
    const s = nbboSpread(bid, ask)!;
    expect(s.dollars).toBeCloseTo(dollars, 12);
    expect(s.bps).toBeCloseTo(bps, 9);
    expect(s.mid).toBeCloseTo((bid + ask) / 2, 12);
  });

  it.each([
    [0, 10],
    [10, 0],
    [10.01, 10],
  ])('one-sided or crossed %s × %s → null', (bid, ask) => {
    expect(nbboSpread(bid, ask)).toBeNull();
  });
});
