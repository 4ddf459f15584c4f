import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Prng } from './prng.js';

function draw(p: Prng, n: number): number[] {
  return Array.from({ length: n }, () => p.next());
}

describe('Prng', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    expect(draw(new Prng(42), 20)).toEqual(draw(new Prng(42), 20));
    expect(draw(new Prng(42), 20)).not.toEqual(draw(new Prng(43), 20));
    expect(draw(new Prng('abc'), 5)).toEqual(draw(new Prng('abc'), 5));
  });

  it('pins the first outputs (a change here changes every synthetic fixture)', () => {
    const p = new Prng(42);
    expect([p.nextUint32(), p.nextUint32(), p.nextUint32()]).toEqual([3117086825, 3883079886, 2416864669]);
  });

  it('next() stays in [0,1) and int() in its inclusive range', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 50 }), (seed, lo, w) => {
        const p = new Prng(seed);
        for (let i = 0; i < 50; i++) {
          const u = p.next();
          if (!(u >= 0 && u < 1)) return false;
          const k = p.int(lo, lo + w);
          if (!(Number.isInteger(k) && k >= lo && k <= lo + w)) return false;
        }
        return true;
      }),
    );
  });

  it('has roughly uniform and normal moments', () => {
    const p = new Prng(7);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const u = p.next();
      s += u;
      s2 += u * u;
    }
    expect(s / n).toBeCloseTo(0.5, 2);
    expect(s2 / n - (s / n) ** 2).toBeCloseTo(1 / 12, 2);

    let m1 = 0;
    let m2 = 0;
    let m3 = 0;
    let m4 = 0;
    for (let i = 0; i < n; i++) {
      const z = p.normal();
      m1 += z;
      m2 += z * z;
      m3 += z * z * z;
      m4 += z * z * z * z;
    }
    expect(Math.abs(m1 / n)).toBeLessThan(0.01);
    expect(Math.abs(m2 / n - 1)).toBeLessThan(0.02);
    expect(Math.abs(m3 / n)).toBeLessThan(0.05);
    expect(Math.abs(m4 / n - 3)).toBeLessThan(0.1);
  });

  it('int() hits every value of a small range about equally', () => {
    const p = new Prng(1);
    const counts = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < 60_000; i++) counts[p.int(0, 5)]! += 1;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });

  it('fork() depends on seed and label only, not on draws made before', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    draw(b, 1000);
    expect(draw(a.fork('SPY'), 10)).toEqual(draw(b.fork('SPY'), 10));
    expect(draw(a.fork('SPY'), 10)).not.toEqual(draw(a.fork('QQQ'), 10));
    expect(draw(a.fork('x').fork('y'), 5)).toEqual(draw(new Prng(42).fork('x').fork('y'), 5));
  });

  it('forked streams are uncorrelated', () => {
    const root = new Prng(3);
    const x = root.fork('a');
    const y = root.fork('b');
    const n = 50_000;
    let sxy = 0;
    for (let i = 0; i < n; i++) sxy += x.normal() * y.normal();
    expect(Math.abs(sxy / n)).toBeLessThan(0.02);
  });

  it('rejects bad arguments', () => {
    expect(() => new Prng(Number.NaN)).toThrow(/finite/);
    expect(() => new Prng(1).int(3, 2)).toThrow(/range/);
    expect(() => new Prng(1).pick([])).toThrow(/empty/);
  });
});
