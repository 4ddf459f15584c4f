import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nsText } from './nsText.js';

describe('nsText', () => {
  it('equals the BigInt value baseSec·1e9 + off for any day-sized offset', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1_500_000_000, max: 2_000_000_000 }), fc.integer({ min: 0, max: 100_000 * 1e9 }), (sec, off) => {
        expect(nsText(sec, off)).toBe((BigInt(sec) * 1_000_000_000n + BigInt(off)).toString());
      }),
    );
  });

  it('pads the sub-second part to 9 digits', () => {
    expect(nsText(1741613400, 5)).toBe('1741613400000000005');
    expect(nsText(1741613400, 1e9)).toBe('1741613401000000000');
  });
});
