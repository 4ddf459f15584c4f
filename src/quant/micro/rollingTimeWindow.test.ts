import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RollingTimeWindow } from './rollingTimeWindow.js';

describe('RollingTimeWindow', () => {
  it('keeps (now − W, now] and evicts by event time', () => {
    const w = new RollingTimeWindow(1000, 2);
    w.push(0, 1, 10);
    w.push(500, 2, 20);
    w.push(999, 3, 30); // grows past the initial capacity
    expect([w.count, w.sumA, w.sumB]).toEqual([3, 6, 60]);
    w.evict(1000); // ts 0 is now exactly W old: out
    expect([w.count, w.sumA]).toEqual([2, 5]);
    w.evict(5000);
    expect([w.count, w.sumA, w.sumB]).toEqual([0, 0, 0]);
  });

  it('throws when time goes backwards; clear() resets', () => {
    const w = new RollingTimeWindow(1000);
    w.push(100, 1);
    expect(() => w.evict(50)).toThrow(/backwards/);
    w.clear();
    expect(w.count).toBe(0);
    w.push(50, 1);
    expect(w.sumA).toBe(1);
  });

  it('property: sums equal a brute-force filter', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: -5, max: 5 })), { maxLength: 200 }), (steps) => {
        const w = new RollingTimeWindow(1000, 1);
        const all: [number, number][] = [];
        let t = 0;
        for (const [dt, v] of steps) {
          t += dt;
          w.push(t, v);
          all.push([t, v]);
          const inWin = all.filter(([ts]) => ts > t - 1000);
          expect(w.count).toBe(inWin.length);
          expect(w.sumA).toBe(inWin.reduce((s, [, x]) => s + x, 0));
        }
      }),
    );
  });
});
