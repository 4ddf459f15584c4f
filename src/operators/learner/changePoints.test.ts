import { Observable, from, lastValueFrom, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { Prng } from '../../quant/prng.js';
import type { Features } from '../features/featuresRecord.js';
import { feat, ny } from '../signals/testFeatures.js';
import { changePoints } from './changePoints.js';
import { learnerConfigSchema } from './learnerConfig.js';

const cfg = learnerConfigSchema.parse({}).changePoint;
const ts = () => new TestScheduler((a, b) => expect(a).toEqual(b));

/** One Features record per minute (10 s in), SPY around 570: calm σ = 3 bps, then σ = 15 bps from `shiftAt`. */
function minutes(n: number, shiftAt: number, seed = 1) {
  const rng = new Prng(seed);
  let p = 570;
  return Array.from({ length: n }, (_, i) => {
    p *= Math.exp(((i < shiftAt ? 3 : 15) * rng.normal()) / 1e4);
    return feat(ny(9, 31 + i, 10), p);
  });
}

describe('changePoints', () => {
  it('values: one ChangePoint soon after a planted volatility shift, none before, stamped with the record that closed the minute', async () => {
    const fs = minutes(200, 120);
    const out = await lastValueFrom(from(fs).pipe(changePoints(cfg), toArray()));
    expect(out.length).toBeGreaterThanOrEqual(1);
    const first = out[0]!;
    expect(first).toMatchObject({ type: 'ChangePoint', underlying: 'SPY', source: 'bocpd' });
    const idx = fs.findIndex((f) => f.ts === first.ts);
    expect(idx).toBeGreaterThanOrEqual(120);
    expect(idx - 120).toBeLessThanOrEqual(12);
  });

  it('values (marbles): a jump after calm minutes fires at the record that completes its minute; outside the session nothing', () => {
    ts().run(({ cold, expectObservable }) => {
      const small = { ...cfg, shortRunMin: 2, minSeparationMin: 3 };
      const vals: Record<string, ReturnType<typeof feat>> = {};
      const keys = 'abcdefghij';
      for (let i = 0; i < 10; i++) vals[keys[i]!] = feat(ny(9, 31 + i, 10), 570 * (1 + (i % 2 ? 1 : -1) * 1e-5) * (i >= 8 ? 1.01 : 1));
      vals.z = feat(ny(8, 0), 999);
      const src = cold('z-abcdefghij|', vals);
      expectObservable(src.pipe(changePoints(small))).toBe('-----------x|', { x: { type: 'ChangePoint', ts: vals.j!.ts, underlying: 'SPY', source: 'bocpd' } });
    });
  });

  it('empty completes; an error is passed on; unsubscribing early stops the source', () => {
    ts().run(({ cold, expectObservable, expectSubscriptions }) => {
      expectObservable(cold<Features>('|').pipe(changePoints(cfg))).toBe('|');
      expectObservable(cold<Features>('-#', {}, new Error('boom')).pipe(changePoints(cfg))).toBe('-#', undefined, new Error('boom'));
      const src = cold('a-a-a-a', { a: feat(ny(10), 570) });
      expectObservable(src.pipe(changePoints(cfg)), '^--!').toBe('----');
      expectSubscriptions(src.subscriptions).toBe('^--!');
    });
    let torn = false;
    const sub = new Observable<ReturnType<typeof feat>>(() => () => void (torn = true)).pipe(changePoints(cfg)).subscribe();
    sub.unsubscribe();
    expect(torn).toBe(true);
  });
});
