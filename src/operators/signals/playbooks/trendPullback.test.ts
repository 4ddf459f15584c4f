import { describe, expect, it } from 'vitest';
import { TestScheduler } from 'rxjs/testing';
import type { Features } from '../../features/featuresRecord.js';
import { signalsConfigSchema } from '../signalsConfig.js';
import { feat, ny } from '../testFeatures.js';
import { pickIntent } from '../testIntents.js';
import { runPlaybooks } from './runPlaybooks.js';
import { trendPullback } from './trendPullback.js';

// VWAP 570, +1σ 570.5, −1σ 569.5; ATR 0.4 → touch tolerance 0.1, resumption 0.2.
const cfg = signalsConfigSchema.parse({});
const T = ny(11);
const sched = () => new TestScheduler((a, e) => expect(a).toEqual(e));
const op = () => runPlaybooks([() => trendPullback(cfg)]);
const upTrend: Partial<Features> = { adx: 30, plusDi: 30, minusDi: 15 };
const downTrend: Partial<Features> = { adx: 30, plusDi: 15, minusDi: 30 };
const at = (s: number, price: number, o: Partial<Features> = upTrend) => feat(T + s * 1000, price, o);

describe('trendPullback playbook (marbles)', () => {
  it('fires calls when an up-trend resumes from a pullback to the +1σ band', () => {
    sched().run(({ cold, expectObservable }) => {
      const src = cold('-a-b-c-d-e-|', { a: at(0, 571), b: at(1, 570.55), c: at(2, 570.45), d: at(3, 570.7), e: at(4, 570.9) });
      expectObservable(src.pipe(op(), pickIntent())).toBe('-------x---|', {
        x: { id: `trendPullback-SPY-${T + 3000}`, direction: 'calls', strength: 0.5, refPrice: 570.7, stop: 569.8, target: 571.5, timeStop: T + 3000 + 30 * 60_000 },
      });
    });
  });

  it('fires puts in a down-trend after a pullback to VWAP', () => {
    sched().run(({ cold, expectObservable }) => {
      const src = cold('-a-b-c-|', { a: at(0, 569.2, downTrend), b: at(1, 570.05, downTrend), c: at(2, 569.8, downTrend) });
      expectObservable(src.pipe(op(), pickIntent())).toBe('-----x-|', {
        x: { id: `trendPullback-SPY-${T + 2000}`, direction: 'puts', strength: 0.5, refPrice: 569.8, stop: 570.25, target: 569, timeStop: T + 2000 + 30 * 60_000 },
      });
    });
  });

  it('stays silent: ADX below the threshold, DI not aligned with the move, order flow against it, VWAP broken', () => {
    sched().run(({ cold, expectObservable }) => {
      const weak = { adx: 20, plusDi: 30, minusDi: 15 };
      const path = (o: Partial<Features>, last: Partial<Features> = o) =>
        cold('-a-b-c-d-|', { a: at(0, 571, o), b: at(1, 570.55, o), c: at(2, 570.45, o), d: at(3, 570.7, last) });
      expectObservable(path(weak).pipe(op())).toBe('---------|');
      expectObservable(path(downTrend).pipe(op())).toBe('---------|');
      expectObservable(path(upTrend, { ...upTrend, ofiMedium: -0.5 }).pipe(op())).toBe('---------|');
      const broken = cold('-a-b-c-|', { a: at(0, 570.5), b: at(1, 569.8), c: at(2, 570.3) });
      expectObservable(broken.pipe(op())).toBe('-------|');
    });
  });
});
