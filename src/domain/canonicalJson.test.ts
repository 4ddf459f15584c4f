import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sortKeysDeep, stableStringify } from './canonicalJson.js';

describe('canonical JSON', () => {
  it('table: key order does not matter, nesting is sorted too, undefined keys are dropped', () => {
    expect(stableStringify({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
    expect(stableStringify(undefined)).toBe('null');
    expect(stableStringify([undefined, NaN, 'x'])).toBe('[null,null,"x"]');
    expect(stableStringify(JSON.parse('{"toString":1,"__proto__":{"b":2,"a":1}}'))).toBe('{"__proto__":{"a":1,"b":2},"toString":1}');
    expect(JSON.stringify(sortKeysDeep({ b: { d: 1, c: 2 }, a: 0 }), null, 1)).toBe('{\n "a": 0,\n "b": {\n  "c": 2,\n  "d": 1\n }\n}');
  });

  it('property: a value with its keys shuffled gives the same text, and the text parses back to an equal value', () => {
    const shuffle = (v: unknown, seed: number): unknown => {
      if (Array.isArray(v)) return v.map((x, i) => shuffle(x, seed + i));
      if (v !== null && typeof v === 'object') {
        const ks = Object.keys(v);
        const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
        for (let i = 0; i < ks.length; i++) {
          const k = ks[(i * 7 + seed) % ks.length]!;
          if (!Object.hasOwn(out, k)) out[k] = shuffle((v as Record<string, unknown>)[k], seed + 1);
        }
        for (const k of ks) if (!Object.hasOwn(out, k)) out[k] = shuffle((v as Record<string, unknown>)[k], seed + 1);
        return out;
      }
      return v;
    };
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(100), (v, seed) => {
        const text = stableStringify(v);
        return text === stableStringify(shuffle(v, seed)) && stableStringify(JSON.parse(text)) === text;
      }),
    );
  });
});
