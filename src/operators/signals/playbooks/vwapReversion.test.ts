import { describe, expect, it } from 'vitest';
import { TestScheduler } from 'rxjs/testing';
import { signalsConfigSchema } from '../signalsConfig.js';
import { feat, ny } from '../testFeatures.js';
import { pickIntent } from '../testIntents.js';
import { runPlaybooks } from './runPlaybooks.js';
import { vwapReversion } from './vwapReversion.js';

// VWAP 570, σ 0.5 → ±2σ band 569 / 571; ATR 0.4.
const cfg = signalsConfigSchema.parse({});
const T = ny(11);
const sched = () => new TestScheduler((a, e) => expect(a).toEqual(e));
const op = () => runPlaybooks([() => vwapReversion(cfg)]);
const at = (s: number, price: number, o = {}) => feat(T + s * 1000, price, o);

describe('vwapReversion playbook (marbles)', () => {
  it('fires puts when price comes back inside the +2σ band after an excursion; target VWAP, stop beyond the extreme', () => {
    sched().run(({ cold, expectObservable }) => {
      const src = cold('-a-b-c-d-e-|', { a: at(0, 570.5), b: at(1, 571.3), c: at(2, 571.5), d: at(3, 570.9), e: at(4, 570.5) });
      expectObservable(src.pipe(op(), pickIntent())).toBe('-------x---|', {
        x: { id: `vwapReversion-SPY-${T + 3000}`, direction: 'puts', strength: 0.75, refPrice: 570.9, stop: 571.7, target: 570, timeStop: T + 3000 + 20 * 60_000 },
      });
    });
  });

  it('fires calls after a downside excursion (mirror)', () => {
    sched().run(({ cold, expectObservable }) => {
      const src = cold('-a-b-c-|', { a: at(0, 568.7), b: at(1, 568.5), c: at(2, 569.1, { ofiMedium: 0.4 }) });
      expectObservable(src.pipe(op(), pickIntent())).toBe('-----x-|', {
        x: { id: `vwapReversion-SPY-${T + 2000}`, direction: 'calls', strength: 0.85, refPrice: 569.1, stop: 568.3, target: 570, timeStop: T + 2000 + 20 * 60_000 },
      });
    });
  });

  it('stays silent: a touch of the band smaller than minExcursionAtr, a shallow re-entry, poor reward/risk, no VWAP yet', () => {
    sched().run(({ cold, expectObservable }) => {
      const touch = cold('-a-b-c-|', { a: at(0, 570.5), b: at(1, 571.05), c: at(2, 570.5) });
      expectObservable(touch.pipe(op())).toBe('-------|');
      const shallow = cold('-a-b-c-|', { a: at(0, 571.3), b: at(1, 570.98), c: at(2, 571.3) });
      expectObservable(shallow.pipe(op())).toBe('-------|');
      const rr = cold('-a-b-c-|', { a: at(0, 571.3), b: at(1, 571.5), c: at(2, 570.6) }); // reward 0.6 < risk 1.1
      expectObservable(rr.pipe(op())).toBe('-------|');
      const warming = cold('-a-b-|', { a: at(0, 571.5, { vwap: null }), b: at(1, 570.5, { vwap: null }) });
      expectObservable(warming.pipe(op())).toBe('-----|');
    });
  });

  it('caps the time stop timeStopBeforeCloseMin before the close', () => {
    const pb = vwapReversion(cfg);
    const session = { date: '2025-03-10', open: ny(9, 30), close: ny(16), earlyClose: false };
    pb.update(feat(ny(15, 45), 571.3), { session });
    expect(pb.update(feat(ny(15, 45, 1), 570.9), { session })?.timeStop).toBe(ny(15, 48));
  });
});
