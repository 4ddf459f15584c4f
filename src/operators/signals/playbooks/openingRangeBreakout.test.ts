import { describe, expect, it } from 'vitest';
import { TestScheduler } from 'rxjs/testing';
import type { Features } from '../../features/featuresRecord.js';
import { signalsConfigSchema } from '../signalsConfig.js';
import { feat, ny } from '../testFeatures.js';
import { pickIntent } from '../testIntents.js';
import { openingRangeBreakout } from './openingRangeBreakout.js';
import { runPlaybooks } from './runPlaybooks.js';

// Opening range 09:30–09:45: 569.5 – 571 (width 1.5, buffer 0.075).
const cfg = signalsConfigSchema.parse({});
const sched = () => new TestScheduler((a, e) => expect(a).toEqual(e));
const op = () => runPlaybooks([() => openingRangeBreakout(cfg)]);
const f = (h: number, m: number, s: number, price: number, o: Partial<Features> = {}) => feat(ny(h, m, s), price, o);
const range = { a: f(9, 30, 5, 570), b: f(9, 35, 0, 571), c: f(9, 40, 0, 569.5), d: f(9, 45, 1, 570.5) };

describe('openingRangeBreakout playbook (marbles)', () => {
  it('fires calls on a break of the opening-range high confirmed by order-flow imbalance, once per direction', () => {
    sched().run(({ cold, expectObservable }) => {
      const src = cold('-a-b-c-d-e-g-|', { ...range, e: f(9, 50, 0, 571.2, { ofiMedium: 0.5 }), g: f(9, 51, 0, 571.4, { ofiMedium: 0.9 }) });
      const ts = ny(9, 50);
      expectObservable(src.pipe(op(), pickIntent())).toBe('---------x---|', {
        x: { id: `openingRangeBreakout-SPY-${ts}`, direction: 'calls', strength: 0.642857, refPrice: 571.2, stop: 570.25, target: 572.5, timeStop: ts + 30 * 60_000 },
      });
    });
  });

  it('fires puts on a confirmed break of the low', () => {
    sched().run(({ cold, expectObservable }) => {
      const src = cold('-a-b-c-d-e-|', { ...range, e: f(10, 0, 0, 569.3, { ofiMedium: -1 }) });
      const ts = ny(10);
      expectObservable(src.pipe(op(), pickIntent())).toBe('---------x-|', {
        x: { id: `openingRangeBreakout-SPY-${ts}`, direction: 'puts', strength: 1, refPrice: 569.3, stop: 570.25, target: 568, timeStop: ts + 30 * 60_000 },
      });
    });
  });

  it('stays silent: flow does not confirm, break inside the buffer, range not complete, feed started late', () => {
    sched().run(({ cold, expectObservable }) => {
      const noFlow = cold('-a-b-c-d-e-|', { ...range, e: f(9, 50, 0, 571.2, { ofiMedium: 0.1 }) });
      expectObservable(noFlow.pipe(op())).toBe('-----------|');
      const buffer = cold('-a-b-c-d-e-|', { ...range, e: f(9, 50, 0, 571.05, { ofiMedium: 0.9 }) });
      expectObservable(buffer.pipe(op())).toBe('-----------|');
      const early = cold('-a-b-e-|', { a: range.a, b: range.b, e: f(9, 44, 0, 572, { ofiMedium: 0.9 }) });
      expectObservable(early.pipe(op())).toBe('-------|');
      const late = cold('-b-c-d-e-|', { b: f(9, 32, 0, 570), c: range.c, d: range.d, e: f(9, 50, 0, 572, { ofiMedium: 0.9 }) });
      expectObservable(late.pipe(op())).toBe('---------|');
    });
  });
});
