import { describe, expect, it } from 'vitest';
import { memoize } from './memo.js';

describe('memoize', () => {
  it('computes once per key, including null and undefined results; throws are not cached; the cache is bounded', () => {
    const calls: string[] = [];
    const f = memoize((k: string) => {
      calls.push(k);
      if (k === 'bad') throw new Error('bad key');
      return k === 'none' ? null : k === 'undef' ? undefined : k.length;
    }, 3);
    expect([f('ab'), f('ab'), f('none'), f('none'), f('undef'), f('undef')]).toEqual([2, 2, null, null, undefined, undefined]);
    expect(calls).toEqual(['ab', 'none', 'undef']);
    expect(() => f('bad')).toThrow('bad key');
    expect(() => f('bad')).toThrow('bad key');
    expect(calls.filter((c) => c === 'bad')).toHaveLength(2);
    f('xyz'); // a fourth key: the cache (3 entries) is cleared first
    f('ab');
    expect(calls.filter((c) => c === 'ab')).toHaveLength(2);
  });
});
