import { describe, expect, it } from 'vitest';
import { SlidingCount } from './slidingCount.js';

describe('SlidingCount', () => {
  it('counts events in (now − window, now]', () => {
    const c = new SlidingCount(1_000);
    c.add(0);
    c.add(500);
    c.add(999);
    expect(c.count(999)).toBe(3);
    expect(c.count(1_000)).toBe(2); // the event at 0 is exactly one window old: out
    expect(c.count(1_499)).toBe(2);
    expect(c.count(1_500)).toBe(1);
    expect(c.count(10_000)).toBe(0);
  });

  it('survives compaction over many events', () => {
    const c = new SlidingCount(100);
    for (let t = 0; t < 10_000; t++) c.add(t);
    expect(c.count(9_999)).toBe(100);
  });

  it('reset empties the window; time going backwards throws', () => {
    const c = new SlidingCount(100);
    c.add(50);
    c.reset();
    expect(c.count(60)).toBe(0);
    expect(() => c.count(10)).toThrow(/backwards/);
    expect(() => new SlidingCount(0)).toThrow(/windowMs/);
  });
});
