import { describe, expect, it } from 'vitest';
import { quoteImbalance } from './quoteImbalance.js';

describe('quoteImbalance', () => {
  it.each([
    [300, 100, 0.5],
    [100, 300, -0.5],
    [5, 0, 1],
    [0, 0, null],
  ])('bid %s / ask %s → %s', (b, a, want) => {
    expect(quoteImbalance(b, a)).toBe(want);
  });
});
