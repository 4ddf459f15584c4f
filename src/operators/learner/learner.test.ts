import { Observable, from, lastValueFrom, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { GateDecision, OrderIntent, SignalIntent } from '../../domain/orders.js';
import { CONTEXT_FEATURES, META_FEATURES } from '../../quant/learning/learnerFeatures.js';
import { LEARNER_MODEL_FORMAT, sealModel, type LearnerModel } from '../../quant/learning/learnerModel.js';
import { LinUcb, type LinUcbState } from '../../quant/learning/linUcb.js';
import { signalsConfigSchema } from '../signals/signalsConfig.js';
import { feat, ny } from '../signals/testFeatures.js';
import type { TradeClosed } from '../signals/signalEvents.js';
import { learner, type SignalRecord } from './learner.js';
import { learnerConfigSchema } from './learnerConfig.js';
import type { LearnerInput, LearnerOutput } from './learnerEvents.js';

const signalsCfg = signalsConfigSchema.parse({});
const cfg = learnerConfigSchema.parse({});
const T = ny(10, 15);

function si(id: string, playbook: string, strength: number): SignalIntent {
  return {
    type: 'SignalIntent', ts: T, id, underlying: 'SPY', direction: 'calls', playbook, strength, reason: 'test',
    refPrice: 570, underlyingStop: 569, underlyingTarget: 572, timeStop: T + 600_000, contract: { expiry: '0dte', targetDelta: 0.4 },
  };
}
const gd = (s: SignalIntent, allowed = true, reason = 'allowed'): GateDecision => ({ type: 'GateDecision', ts: T, underlying: 'SPY', playbook: s.playbook, allowed, reason, intentId: s.id });
const oi = (s: SignalIntent, quantity = 4): OrderIntent => ({
  type: 'OrderIntent', ts: T, id: `${s.id}-o`, signalId: s.id, underlying: 'SPY', root: 'SPY', optionSymbol: 'O:SPY250310C00570000', right: 'C',
  expiry: '2025-03-10', strike: 570, quantity, side: 'buy_to_open', limitPrice: 1.2, takeProfit: 1.8, stopPrice: 0.9, underlyingStop: 569,
  underlyingTarget: 572, timeStop: s.timeStop, playbook: s.playbook, bidAtDecision: 1.15, askAtDecision: 1.2,
});
const f = feat(T, 570);

/** pWin = σ(−2 + 4·strength) (Platt identity); bandit arms from `bandit`. */
function model(opts: { meta?: boolean; bandit?: LinUcbState | null }): LearnerModel {
  const d = META_FEATURES.length;
  const w = new Array<number>(d + 1).fill(0);
  w[0] = -2;
  w[META_FEATURES.indexOf('strength') + 1] = 4;
  return sealModel({
    format: LEARNER_MODEL_FORMAT,
    contextFeatures: [...CONTEXT_FEATURES],
    metaFeatures: [...META_FEATURES],
    metaLabel: opts.meta === false ? null : { logistic: { dim: d, lambda: 1, weights: w, mean: new Array(d).fill(0), std: new Array(d).fill(1), iterations: 1 }, platt: { a: 1, b: 0 } },
    bandit: opts.bandit ?? null,
    trainedOn: { from: '2025-03-03', to: '2025-03-07', days: [], rows: 0, positives: 0, seed: 1 },
  });
}

function banditWith(rewards: Record<string, number>): LinUcbState {
  const b = new LinUcb(CONTEXT_FEATURES.length, 0.1, 1);
  const x = CONTEXT_FEATURES.map((_, i) => (i === 0 ? 1 : 0));
  for (const [arm, r] of Object.entries(rewards)) for (let i = 0; i < 50; i++) b.update(arm, x, r);
  return b.toJSON();
}

const run = (m: LearnerModel | null, input: LearnerInput[], c = cfg, extra: Partial<Parameters<typeof learner>[1]> = {}) =>
  lastValueFrom(from(input).pipe(learner(c, { model: m, signals: signalsCfg, ...extra }), toArray()));
const ts = () => new TestScheduler((a, b) => expect(a).toEqual(b));

describe('learner', () => {
  it('without a model: re-emits every decision unchanged, in order, and records each signal with its vectors', async () => {
    const a = si('a', 'vwapReversion', 0.2);
    const b = si('b', 'trendPullback', 0.9);
    const input: LearnerInput[] = [a, gd(a), oi(a), b, gd(b, false, 'active-signal'), f];
    const recs: SignalRecord[] = [];
    const out = await run(null, input, cfg, { record: (r) => recs.push(r) });
    expect(out).toEqual([a, gd(a), oi(a), b, gd(b, false, 'active-signal')]);
    expect(recs.map((r) => [r.intent.id, r.context.length, r.meta.length, r.pWin])).toEqual([
      ['a', CONTEXT_FEATURES.length, META_FEATURES.length, null],
      ['b', CONTEXT_FEATURES.length, META_FEATURES.length, null],
    ]);
  });

  it("meta-label: sets pWin, drops below break-even as 'meta-label', scales quantity by pWin / fullSizeP", async () => {
    const weak = si('w', 'vwapReversion', 0.2); // pWin σ(−1.2) ≈ 0.23 < 1/(1+2)
    const mid = si('m', 'vwapReversion', 0.55); // pWin σ(0.2) ≈ 0.55 → 4·0.55/0.6 → 3
    const out = await run(model({}), [weak, gd(weak), oi(weak), f, mid, gd(mid), oi(mid), f]);
    const p = (x: number) => 1 / (1 + Math.exp(-x));
    expect(out).toEqual([
      { ...weak, pWin: expect.closeTo(p(-1.2), 12) },
      { ...gd(weak), allowed: false, reason: 'meta-label' },
      { ...mid, pWin: expect.closeTo(p(-2 + 4 * 0.55), 12) },
      gd(mid),
      { ...oi(mid), quantity: 3 },
    ]);
    const strong = si('s', 'vwapReversion', 0.95);
    const out2 = await run(model({}), [strong, gd(strong), oi(strong, 1), f]);
    expect(out2[2]).toEqual(oi(strong, 1));
    const fixed = await run(model({}), [mid, gd(mid), oi(mid), f], { ...cfg, filter: { ...cfg.filter, threshold: 0.6 } });
    expect(fixed[1]).toMatchObject({ allowed: false, reason: 'meta-label' });
  });

  it("bandit: 'none' beats an arm with negative expected R; the better of two candidates is kept; online update from TradeClosed", async () => {
    const bandit = banditWith({ vwapReversion: -1, trendPullback: 1 });
    const a = si('a', 'vwapReversion', 0.9);
    const out = await run(model({ meta: false, bandit }), [a, gd(a), oi(a), f]);
    expect(out).toEqual([a, { ...gd(a), allowed: false, reason: 'bandit' }]);

    const b = si('b', 'trendPullback', 0.9);
    const states: LinUcbState[] = [];
    const closed: TradeClosed = { type: 'TradeClosed', ts: T + 60_000, underlying: 'SPY', playbook: 'trendPullback', pnl: -240, signalId: 'b' };
    const out2 = await run(model({ meta: false, bandit }), [b, gd(b), oi(b), a, gd(a), oi(a), f, closed], cfg, { onBanditUpdate: (s) => states.push(s) });
    expect(out2).toEqual([b, gd(b), oi(b), a, { ...gd(a), allowed: false, reason: 'bandit' }]);
    // R = −240 / ((1.2 − 0.9) × 100 × 4) = −2.
    expect(states).toHaveLength(1);
    expect(states[0]!.arms.trendPullback!.n).toBe(51);
    expect(states[0]!.arms.trendPullback!.b[0]).toBeCloseTo(50 - 2);

    const off = await run(model({ meta: false, bandit }), [a, gd(a), oi(a), f], { ...cfg, bandit: { ...cfg.bandit, enabled: false } });
    expect(off).toEqual([a, gd(a), oi(a)]);
  });

  it("pauses entries after a change point ('change-point-pause') when configured", async () => {
    const a = si('a', 'vwapReversion', 0.9);
    const c = { ...cfg, pauseAfterChangeMin: 5 };
    const cp = { type: 'ChangePoint' as const, ts: T - 60_000, underlying: 'SPY' as const };
    expect(await run(null, [cp, a, gd(a), oi(a), f], c)).toEqual([a, { ...gd(a), allowed: false, reason: 'change-point-pause' }]);
    expect(await run(null, [{ ...cp, ts: T - 600_000 }, a, gd(a), oi(a), f], c)).toEqual([a, gd(a), oi(a)]);
  });

  it('refuses a model trained on other features', () => {
    const m = { ...model({}), metaFeatures: ['x'] };
    expect(() => learner(cfg, { model: m, signals: signalsCfg })).toThrow(/other features/);
  });

  it('marbles: values (decisions released with their Features record), empty, error, early unsubscribe', () => {
    const a = si('a', 'vwapReversion', 0.2);
    const op = learner(cfg, { model: model({}), signals: signalsCfg });
    ts().run(({ cold, expectObservable, expectSubscriptions }) => {
      const vals = { s: a, g: gd(a), o: oi(a), f } as Record<string, LearnerInput>;
      const want: Record<string, LearnerOutput> = { S: { ...a, pWin: expect.closeTo(1 / (1 + Math.exp(1.2)), 12) }, G: { ...gd(a), allowed: false, reason: 'meta-label' } };
      expectObservable(cold('sgo-f----|', vals).pipe(op)).toBe('----(SG)-|', want);
      // Completion releases a pending batch; with no Features seen there is no context, so it goes on unchanged.
      expectObservable(cold('sgo|', vals).pipe(op)).toBe('---(sgo|)', { ...vals });
      expectObservable(cold<LearnerInput>('|').pipe(op)).toBe('|');
      expectObservable(cold('s-#', vals, new Error('bad')).pipe(op)).toBe('--#', undefined, new Error('bad'));
      const src = cold('f-f-f-f', vals);
      expectObservable(src.pipe(op), '^--!').toBe('----');
      expectSubscriptions(src.subscriptions).toBe('^--!');
    });
    let torn = false;
    new Observable<LearnerInput>(() => () => void (torn = true)).pipe(op).subscribe().unsubscribe();
    expect(torn).toBe(true);
  });
});
