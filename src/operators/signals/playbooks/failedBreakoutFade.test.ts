import { describe, expect, it } from 'vitest';
import { TestScheduler } from 'rxjs/testing';
import type { Features } from '../../features/featuresRecord.js';
import { signalsConfigSchema } from '../signalsConfig.js';
import { feat, ny } from '../testFeatures.js';
import { pickIntent } from '../testIntents.js';
import { failedBreakoutFade } from './failedBreakoutFade.js';
import { runPlaybooks } from './runPlaybooks.js';

// +2σ band 571, −2σ band 569; ATR 0.4 → a poke needs 0.04 beyond; the feed starts at 11:00 so no opening range.
const cfg = signalsConfigSchema.parse({});
const T = ny(11);
const sched = () => new TestScheduler((a, e) => expect(a).toEqual(e));
const op = () => runPlaybooks([() => failedBreakoutFade(cfg)]);
const at = (s: number, price: number, o: Partial<Features> = {}) => feat(T + s * 1000, price, o);

describe('failedBreakoutFade playbook (marbles)', () => {
  it('fades a failed poke above the +2σ band when short-window flow reverses', () => {
    sched().run(({ cold, expectObservable }) => {
      const src = cold('-a-b-c-d-|', { a: at(0, 570.5), b: at(1, 571.2, { ofiShort: 0.8 }), c: at(2, 571.3), d: at(30, 570.9, { ofiShort: -0.6 }) });
      expectObservable(src.pipe(op(), pickIntent())).toBe('-------x-|', {
        x: { id: `failedBreakoutFade-SPY-${T + 30_000}`, direction: 'puts', strength: 0.76, refPrice: 570.9, stop: 571.5, target: 570.3, timeStop: T + 30_000 + 15 * 60_000 },
      });
    });
  });

  it('fades a failed break of the opening-range low', () => {
    const s = (h: number, m: number, sec: number, p: number, o: Partial<Features> = {}) => feat(ny(h, m, sec), p, { vwapSigma: 5, ...o });
    sched().run(({ cold, expectObservable }) => {
      const src = cold('-a-b-c-d-e-|', { a: s(9, 30, 2, 570), b: s(9, 40, 0, 569.5), c: s(9, 50, 0, 569.3), d: s(9, 51, 0, 569.2), e: s(9, 52, 0, 569.6, { ofiShort: 1 }) });
      const ts = ny(9, 52);
      expectObservable(src.pipe(op(), pickIntent())).toBe('---------x-|', {
        x: { id: `failedBreakoutFade-SPY-${ts}`, direction: 'calls', strength: 1, refPrice: 569.6, stop: 569, target: 570.2, timeStop: ts + 15 * 60_000 },
      });
    });
  });

  it('stays silent: flow not reversed, back inside only after failSec (a real breakout), no poke at all', () => {
    sched().run(({ cold, expectObservable }) => {
      const noReversal = cold('-a-b-c-|', { a: at(0, 570.5), b: at(1, 571.2), c: at(20, 570.9, { ofiShort: 0.2 }) });
      expectObservable(noReversal.pipe(op())).toBe('-------|');
      const slow = cold('-a-b-c-|', { a: at(0, 570.5), b: at(1, 571.2), c: at(200, 570.9, { ofiShort: -1 }) });
      expectObservable(slow.pipe(op())).toBe('-------|');
      const inside = cold('-a-b-|', { a: at(0, 570.5), b: at(1, 570.9, { ofiShort: -1 }) });
      expectObservable(inside.pipe(op())).toBe('-----|');
    });
  });
});
