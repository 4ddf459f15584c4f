import { describe, expect, it } from 'vitest';
import { microPrice } from './microPrice.js';

describe('microPrice', () => {
  it('weights each side by the opposite size (heavy bid → toward the ask)', () => {
    expect(microPrice(100, 300, 100.04, 100)).toBeCloseTo(100.03, 12);
    expect(microPrice(100, 100, 100.04, 100)).toBeCloseTo(100.02, 12);
  });
  it.each([
    [0, 1, 10, 1],
    [10, 0, 10.1, 0],
    [10.2, 1, 10.1, 1],
  ])('undefined book %s/%s × %s/%s → null', (b, bs, a, as) => {
    expect(microPrice(b, bs, a, as)).toBeNull();
  });
});
