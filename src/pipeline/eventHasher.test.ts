import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventHasher } from './eventHasher.js';

const hashOf = (...events: object[]) => {
  const h = new EventHasher();
  for (const e of events) h.add(e);
  return h.digest();
};

describe('EventHasher', () => {
  it('equal event streams hash alike; the digest can be read mid-stream', () => {
    const e = { type: 'Features', ts: 1741613400000.25, underlying: 'SPX', vwap: { bands: [1, 2, 3], slope: null }, live: true };
    expect(hashOf(e, e)).toBe(hashOf(structuredClone(e), structuredClone(e)));
    const h = new EventHasher();
    h.add(e);
    const first = h.digest();
    expect(h.digest()).toBe(first);
    h.add(e);
    expect(h.digest()).toBe(hashOf(e, e));
    expect(h.count).toBe(2);
  });

  it.each([
    ['a different number', { a: 1 }, { a: 1.0000000000000002 }],
    ['a number vs its string', { a: 1 }, { a: '1' }],
    ['string boundaries', { a: ['ab', 'c'] }, { a: ['a', 'bc'] }],
    ['key order', { a: 1, b: 2 }, { b: 2, a: 1 }],
    ['a key name', { a: 1 }, { b: 1 }],
    ['null vs undefined', { a: null }, { a: undefined }],
    ['true vs false', { a: true }, { a: false }],
    ['nesting', { a: [[1], 2] }, { a: [1, [2]] }],
    ['array vs object', { a: [1] }, { a: { 0: 1 } }],
    ['non-ASCII text', { a: 'Δ25' }, { a: 'D25' }],
  ] as const)('%s changes the hash', (_name, x, y) => {
    expect(hashOf(x)).not.toBe(hashOf(y));
  });

  it('event boundaries count: [a, b] is not [merged]', () => {
    expect(hashOf({ a: 1 }, { b: 2 })).not.toBe(hashOf({ a: 1, b: 2 }));
  });

  it('long strings and many events cross the internal buffer without changing the result', () => {
    const big = { text: 'x'.repeat(200_000), n: 3 };
    const h1 = new EventHasher();
    h1.add(big);
    for (let i = 0; i < 5000; i++) h1.add({ i, s: `e${i}` });
    const h2 = new EventHasher();
    h2.add(structuredClone(big));
    for (let i = 0; i < 5000; i++) h2.add({ i, s: `e${i}` });
    expect(h1.digest()).toBe(h2.digest());
  });

  it('property: a value and its deep copy hash alike; values that print differently hash differently', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        const ha = hashOf({ v: a });
        expect(hashOf({ v: structuredClone(a) })).toBe(ha);
        if (JSON.stringify(a) !== JSON.stringify(b)) expect(hashOf({ v: b })).not.toBe(ha);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses functions and symbols with a clear error', () => {
    expect(() => hashOf({ f: () => 1 })).toThrow(/cannot hash a function/);
  });
});
