import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_FAST_NUMBER_BYTES, writeNumber, writeUint } from './asciiNumber.js';

/** What the recorder does: the fast path, or String(x) when it declines. */
function text(x: number): string {
  const buf = Buffer.alloc(64, 0x3f);
  const end = writeNumber(buf, 3, x);
  return end < 0 ? String(x) : buf.toString('latin1', 3, end);
}

describe('writeNumber', () => {
  it('table: prints exactly what String(x) prints', () => {
    for (const x of [0, -0, 1, -1, 7, 10, 100, 570.12, 570.1, 5700.25, 0.05, 12.3, 0.000001, 0.1 + 0.2, 1e7 - 0.5, 9_999_999.99999999, 123456789, 2 ** 53 - 1, -4.75, 1e-7, 1e21, Number.NaN, Infinity, -Infinity])
      expect(text(x)).toBe(String(x));
  });

  it('takes the fast path for prices on a tick grid (no fallback allocation for ordinary rows)', () => {
    for (const x of [570.12, 0.05, 12.35, 5712.75, 1.2345, 100]) expect(writeNumber(Buffer.alloc(MAX_FAST_NUMBER_BYTES), 0, x)).toBeGreaterThan(0);
  });

  it('property: any double prints as String(x) (fast path or fallback)', () => {
    fc.assert(fc.property(fc.double(), (x) => text(x) === String(x)), { numRuns: 20_000 });
  });

  it('property: prices with up to 8 decimals below 1e7 print as String(x) on the fast path, within the byte budget', () => {
    const arb = fc.tuple(fc.integer({ min: 0, max: 9_999_999 }), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 99_999_999 }), fc.boolean());
    fc.assert(
      fc.property(arb, ([whole, k, frac, neg]) => {
        // The double nearest to the decimal whole.frac (k decimals), as a feed's JSON gives it.
        const x = Number(`${neg ? '-' : ''}${whole}${k ? `.${String(frac % 10 ** k).padStart(k, '0')}` : ''}`);
        fc.pre(x === 0 || Math.abs(x) >= 1e-6); // below that String(x) uses exponent notation (fallback)
        const buf = Buffer.alloc(MAX_FAST_NUMBER_BYTES);
        const end = writeNumber(buf, 0, x);
        return end > 0 && buf.toString('latin1', 0, end) === String(x);
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('writeUint', () => {
  it('zero-pads to the width and returns the end', () => {
    const buf = Buffer.alloc(16);
    expect(writeUint(buf, 0, 42, 6)).toBe(6);
    expect(buf.toString('latin1', 0, 6)).toBe('000042');
    expect(writeUint(buf, 0, 1234567, 6)).toBe(7);
    expect(buf.toString('latin1', 0, 7)).toBe('1234567');
  });
});
