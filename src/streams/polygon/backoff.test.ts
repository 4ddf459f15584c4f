import { describe, expect, it } from 'vitest';
import { Prng } from '../../quant/prng.js';
import { Backoff } from './backoff.js';

describe('Backoff', () => {
  it('doubles up to the cap with equal jitter in [d/2, d]; same seed, same delays', () => {
    const mk = () => {
      const p = new Prng(7);
      return new Backoff({ baseMs: 100, capMs: 1000, random: () => p.next() });
    };
    const a = mk();
    const b = mk();
    const da = Array.from({ length: 8 }, () => a.next());
    const db = Array.from({ length: 8 }, () => b.next());
    expect(da).toEqual(db);
    const sched = [100, 200, 400, 800, 1000, 1000, 1000, 1000];
    da.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(sched[i]! / 2);
      expect(d).toBeLessThanOrEqual(sched[i]!);
    });
  });

  it('resets only after a connection stayed up resetAfterMs', () => {
    const b = new Backoff({ baseMs: 100, capMs: 10_000, resetAfterMs: 5000, random: () => 1 });
    b.next();
    b.next();
    b.connectionEnded(1000);
    expect(b.next()).toBe(400);
    b.connectionEnded(6000);
    expect(b.next()).toBe(100);
  });
});
