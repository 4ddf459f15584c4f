import { describe, expect, it } from 'vitest';
import { TestScheduler } from 'rxjs/testing';
import { concat, from, map, type Observable } from 'rxjs';
import type { OptionQuote } from '../../domain/events.js';
import { formatPolygon, roundToTick } from '../../domain/instruments.js';
import { bsPrice } from '../../quant/options/blackScholes.js';
import { yearFraction } from '../../quant/options/yearFraction.js';
import type { SignalsInput, SignalsOutput, TradeClosed } from './signalEvents.js';
import { signals } from './signals.js';
import { signalsConfigSchema } from './signalsConfig.js';
import { TEST_DATE, feat, ny } from './testFeatures.js';

const cfg = signalsConfigSchema.parse({ regime: { vwapSlopeWindowSec: 10 } });
const T = ny(11);
const sched = () => new TestScheduler((a, e) => expect(a).toEqual(e));

/** SPY 0DTE chain around 571 at VOL 18 %, quoted at `ts`. */
function chain(ts: number): OptionQuote[] {
  const t = yearFraction(ts, TEST_DATE, 'PM');
  const out: OptionQuote[] = [];
  for (let k = 563; k <= 579; k++) {
    for (const right of ['C', 'P'] as const) {
      const p = bsPrice({ right, spot: 571, strike: k, t, vol: 0.18, rate: 0.045, q: 0.013 });
      const bid = Math.max(0.01, roundToTick('SPY', p - 0.01, 'down'));
      out.push({ type: 'OptionQuote', ts, symbol: formatPolygon({ root: 'SPY', expiry: TEST_DATE, right, strike: k }), bid, ask: roundToTick('SPY', p + 0.01, 'up'), bidSize: 50, askSize: 50, bidExchange: 1, askExchange: 1, seq: 0 });
    }
  }
  return out;
}

/** Compact view of the output: S(ignal) playbook direction, G(ate) reason, O(rder) right strike-side. */
const brief = (o: SignalsOutput): string =>
  o.type === 'SignalIntent' ? `S ${o.playbook} ${o.direction}` : o.type === 'GateDecision' ? `G ${o.allowed ? '+' : '-'} ${o.reason}` : `O ${o.right} ${o.playbook}`;

// One up-excursion of SPY beyond +2σ (571) and back: vwapReversion → puts.
const excursion = (s0: number) => ({
  b: feat(T + (s0 + 1) * 1000, 571.3),
  c: feat(T + (s0 + 2) * 1000, 571.5),
  d: feat(T + (s0 + 3) * 1000, 570.9),
});

describe('signals operator (marbles)', () => {
  it('values: a completed setup → SignalIntent, allowed GateDecision, OrderIntent; then active-signal; a losing TradeClosed → loss-cooldown', () => {
    sched().run(({ cold, expectObservable }) => {
      const warm = { a: feat(T, 570.5), w: feat(T + 11_000, 570.5) };
      const e1 = excursion(11);
      const e2 = excursion(40);
      const e3 = excursion(80);
      const closed: TradeClosed = { type: 'TradeClosed', ts: T + 60_000, underlying: 'SPY', playbook: 'vwapReversion', pnl: -35 };
      const src: Observable<SignalsInput> = concat(
        from(chain(T + 13_000)),
        cold<SignalsInput>('-a-w-b-c-d-|', { ...warm, ...e1 }),
        cold<SignalsInput>('-b-c-d-t-b-c-d-----|', { ...e2, t: closed, b: e3.b, c: e3.c, d: e3.d }),
      );
      expectObservable(src.pipe(signals(cfg), map(brief))).toBe('---------(xyz)--(pq)----(rs)--|', {
        x: 'S vwapReversion puts',
        y: 'G + allowed',
        z: 'O P vwapReversion',
        p: 'S vwapReversion puts',
        q: 'G - active-signal',
        r: 'S vwapReversion puts',
        s: 'G - loss-cooldown',
      });
    });
  });

  it('denies with the gate reason while the regime is still warming (slope window not covered)', () => {
    sched().run(({ cold, expectObservable }) => {
      const src = cold<SignalsInput>('-b-c-d-----|', excursion(0));
      expectObservable(src.pipe(signals(cfg), map(brief))).toBe('-----(xy)--|', { x: 'S vwapReversion puts', y: 'G - regime-warming' });
    });
  });

  it('a disabled playbook is silent; weight 0 mutes it to strength-too-low', () => {
    sched().run(({ cold, expectObservable }) => {
      const off = signalsConfigSchema.parse({ playbooks: { vwapReversion: { enabled: false } } });
      expectObservable(cold<SignalsInput>('-b-c-d-|', excursion(0)).pipe(signals(off))).toBe('-------|');
      const muted = signalsConfigSchema.parse({ regime: { vwapSlopeWindowSec: 10 }, playbooks: { vwapReversion: { weight: 0 } } });
      const src = cold<SignalsInput>('-a-w-b-c-d-----|', { a: feat(T, 570.5), w: feat(T + 11_000, 570.5), ...excursion(11) });
      expectObservable(src.pipe(signals(muted), map(brief))).toBe('---------(xy)--|', { x: 'S vwapReversion puts', y: 'G - strength-too-low' });
    });
  });

  it('error, empty, early unsubscribe', () => {
    sched().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = feat(T, 570.5);
      expectObservable(cold<SignalsInput>('-a-#', { a }, new Error('boom')).pipe(signals(cfg))).toBe('---#', undefined, new Error('boom'));
      expectObservable(cold<SignalsInput>('|').pipe(signals(cfg))).toBe('|');
      const long = cold<SignalsInput>('-a-a-a-a-|', { a });
      expectObservable(long.pipe(signals(cfg)), '^--!').toBe('----');
      expectSubscriptions(long.subscriptions).toBe('^--!');
    });
  });

  it('per-subscription state: two subscriptions give the same output', () => {
    const op = signals(cfg);
    const events: SignalsInput[] = [...chain(T + 13_000), feat(T, 570.5), feat(T + 11_000, 570.5), ...Object.values(excursion(11))];
    const run = () => {
      const out: string[] = [];
      from(events).pipe(op, map(brief)).subscribe((s) => out.push(s));
      return out;
    };
    expect(run()).toEqual(['S vwapReversion puts', 'G + allowed', 'O P vwapReversion']);
    expect(run()).toEqual(run());
  });
});
