import { describe, expect, it } from 'vitest';
import { TestScheduler } from 'rxjs/testing';
import type { Features } from '../features/featuresRecord.js';
import { regime } from './regime.js';
import type { ChangePoint, RegimeState } from './signalEvents.js';
import { signalsConfigSchema } from './signalsConfig.js';
import { feat, ny } from './testFeatures.js';

const cfg = signalsConfigSchema.parse({ regime: { vwapSlopeWindowSec: 10 } }).regime;
const T = ny(11);
const scheduler = () => new TestScheduler((a, e) => expect(a).toEqual(e));

describe('regime operator (marbles)', () => {
  const a = feat(T, 570);
  const b = feat(T + 11_000, 570);
  const w = feat(T + 12_000, 570, { spreadBps: 9 });
  const cp: ChangePoint = { type: 'ChangePoint', ts: T + 12_500, underlying: 'SPY' };
  const c = feat(T + 13_000, 570, { spreadBps: 9 });
  const state = (ts: number, r: RegimeState['regime'], since = ts): RegimeState => ({ type: 'RegimeState', ts, underlying: 'SPY', regime: r, since, direction: 0 });

  it('emits the first classification and then only changes; a ChangePoint lets the next record switch at once', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const src = cold('-a-b-w-p-c-|', { a, b, w, p: cp, c });
      const x = state(T, 'warming');
      const y = state(T + 11_000, 'range');
      const z = state(T + 13_000, 'illiquid');
      expectObservable(src.pipe(regime(cfg))).toBe('-x-y-----z-|', { x, y, z });
    });
  });

  it('error, empty, early unsubscribe', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const e = cold('-a-#', { a }, new Error('boom'));
      expectObservable(e.pipe(regime(cfg))).toBe('-x-#', { x: state(T, 'warming') }, new Error('boom'));
      expectObservable(cold<Features | ChangePoint>('|').pipe(regime(cfg))).toBe('|');
      const long = cold('-a-b-w-c-|', { a, b, w, c });
      expectObservable(long.pipe(regime(cfg)), '^--!').toBe('-x-', { x: state(T, 'warming') });
      expectSubscriptions(long.subscriptions).toBe('^--!');
    });
  });
});
