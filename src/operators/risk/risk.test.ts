import { describe, expect, it } from 'vitest';
import { TestScheduler } from 'rxjs/testing';
import type { OrderIntent } from '../../domain/orders.js';
import { risk } from './risk.js';
import type { RiskInput, RiskOutput } from './riskEvents.js';
import { CALENDAR, testRisk as R } from './testRisk.js';

const T = R.T;
const deps = { calendar: CALENDAR };

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('risk operator (marbles)', () => {
  const ok = R.intent(R.SPXW, T + 300);
  const bad = R.intent(R.SPXW, T + 400, { limitPrice: 9.9 });
  const ev: Record<string, RiskInput> = {
    u: R.index('I:SPX', T + 100, 5700),
    q: R.optionQuote(R.SPXW, T + 200, 4.0, 4.2),
    i: ok,
    b: bad,
  };
  const denied: RiskOutput = {
    type: 'OrderDenied',
    ts: T + 400,
    intentId: bad.id,
    underlying: 'SPX',
    reason: 'price-collar',
    detail: 'limit 9.9 outside [3.59, 4.61] (NBBO 4/4.2)',
  };

  it('approves (the same intent object) and denies, completing with the source', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const src = cold('-u-q-i-b-|', ev);
      expectObservable(src.pipe(risk(R.cfg(), deps))).toBe('-----i-d-|', { i: ok, d: denied });
      expectSubscriptions(src.subscriptions).toBe('^--------!');
    });
  });

  it('propagates a source error', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const src = cold<RiskInput>('-u-q-i-#', ev, new Error('feedback subject died'));
      expectObservable(src.pipe(risk(R.cfg(), deps))).toBe('-----i-#', { i: ok }, new Error('feedback subject died'));
    });
  });

  it('a broken invariant (NaN time) errors the stream', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const src = cold<RiskInput>('-n-', { n: { type: 'Heartbeat', ts: Number.NaN } });
      expectObservable(src.pipe(risk(R.cfg(), deps))).toBe('-#', undefined, new Error('risk: input with NaN ts'));
    });
  });

  it('empty source completes with nothing', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<RiskInput>('|').pipe(risk(R.cfg(), deps))).toBe('|');
      expectObservable(cold<RiskInput>('-u-q-|', ev).pipe(risk(R.cfg(), deps))).toBe('-----|');
    });
  });

  it('early unsubscribe tears down the source', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const src = cold('-u-q-i-b-|', ev);
      expectObservable(src.pipe(risk(R.cfg(), deps)), '^-----!').toBe('-----i', { i: ok });
      expectSubscriptions(src.subscriptions).toBe('^-----!');
    });
  });

  it('state is per subscription', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const src = cold('-u-q-i-|', ev);
      const op = src.pipe(risk(R.cfg(), deps));
      // The same intent id in a second subscription is not a duplicate of the first one's.
      expectObservable(op).toBe('-----i-|', { i: ok });
      expectObservable(op).toBe('-----i-|', { i: ok });
    });
  });
});

describe('kill switch', () => {
  const cfg = R.cfg({ positions: { maxPerUnderlying: 2 } });
  const held = R.intent(R.SPXW, T + 300);
  const working = R.intent(R.SPXW_PUT, T + 500);
  const ev: Record<string, RiskInput> = {
    u: R.index('I:SPX', T + 100, 5700),
    q: R.optionQuote(R.SPXW, T + 200, 4.0, 4.2),
    r: R.optionQuote(R.SPXW_PUT, T + 200, 4.0, 4.2),
    i: held,
    f: R.report(held.id, R.SPXW, 'entry', T + 400, 1, 4.2),
    j: working,
    s: { type: 'FeedState', ts: T + 600, cluster: 'options', state: 'STALE' },
    k: { type: 'KillSwitch', ts: T + 99_999, source: 'manual', reason: 'dreambot kill' },
    c: R.report(working.id, R.SPXW_PUT, 'entry', T + 700, 0, 0, 'cancelled'),
    e: R.report('flatten-1', R.SPXW, 'exit', T + 800, 1, 3.9),
    p: { type: 'BrokerPositions', ts: T + 900, positions: [{ optionSymbol: R.SPXW, quantity: 0 }] },
  };

  it('with an open position and a working order, while the feed is down: HALTED + CancelAllOrders + FlattenAll, a second trigger is a no-op, then FlatVerified', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const src = cold('-u-q-r-i-f-j-s-k-k-c-e-p-|', ev);
      const why = 'kill-switch: dreambot kill';
      expectObservable(src.pipe(risk(cfg, deps))).toBe('-------i---j---(hcf)---v-|', {
        i: held,
        j: working,
        h: { type: 'TradingStateChanged', ts: T + 600, from: 'ACTIVE', to: 'HALTED', reason: 'kill-switch (manual): dreambot kill' },
        c: { type: 'CancelAllOrders', ts: T + 600, reason: why },
        f: { type: 'FlattenAll', ts: T + 600, reason: why },
        v: { type: 'FlatVerified', ts: T + 900 },
      });
    });
  });

  it('keeps asking every retryMs until the broker shows flat; triggers after that change nothing', () => {
    const h = R.harness(R.cfg({ killSwitch: { retryMs: 1_000 } }));
    h.feed(R.report('a', R.SPXW, 'entry', T, 2, 4.1));
    expect(h.feed({ type: 'KillSwitch', ts: T, source: 'manual', reason: 'x' }).map((o) => o.type)).toEqual([
      'TradingStateChanged',
      'CancelAllOrders',
      'FlattenAll',
    ]);
    expect(h.feed({ type: 'Heartbeat', ts: T + 999 })).toEqual([]);
    expect(h.feed({ type: 'Heartbeat', ts: T + 1_000 })).toEqual([
      { type: 'CancelAllOrders', ts: T + 1_000, reason: 'kill-switch: x (retry 1: not verified flat)' },
      { type: 'FlattenAll', ts: T + 1_000, reason: 'kill-switch: x (retry 1: not verified flat)' },
    ]);
    // A broker snapshot still holding the position does not verify.
    expect(h.feed({ type: 'BrokerPositions', ts: T + 1_500, positions: [{ optionSymbol: R.SPXW, quantity: 2 }] })).toEqual([]);
    expect(h.feed({ type: 'BrokerPositions', ts: T + 1_600, positions: [] })).toEqual([{ type: 'FlatVerified', ts: T + 1_600 }]);
    expect(h.engine.book.positions.size).toBe(0); // the broker is the truth once verified
    expect(h.feed({ type: 'Heartbeat', ts: T + 10_000 }, { type: 'KillSwitch', ts: T + 10_000, source: 'manual', reason: 'again' })).toEqual([]);
  });

  it('a snapshot from before the trigger does not count', () => {
    const h = R.harness();
    h.feed(R.report('a', R.SPXW, 'entry', T, 1, 4.1), { type: 'BrokerPositions', ts: T + 1, positions: [] });
    h.feed({ type: 'Heartbeat', ts: T + 2 }, { type: 'KillSwitch', ts: T + 2, source: 'manual', reason: 'x' });
    expect(h.feed({ type: 'Heartbeat', ts: T + 3 })).toEqual([]);
  });

  it('book-only verification: FlatVerified as soon as the reports show flat (immediately when already flat)', () => {
    const h = R.harness(R.cfg({ killSwitch: { verifyWithBrokerPositions: false } }));
    expect(h.feed({ type: 'KillSwitch', ts: T, source: 'auto', reason: 'x' }).map((o) => o.type)).toEqual([
      'TradingStateChanged',
      'CancelAllOrders',
      'FlattenAll',
      'FlatVerified',
    ]);
    const h2 = R.harness(R.cfg({ killSwitch: { verifyWithBrokerPositions: false } }));
    h2.feed(R.report('a', R.SPXW, 'entry', T, 1, 4.1), { type: 'KillSwitch', ts: T, source: 'manual', reason: 'x' });
    expect(h2.feed(R.report('k', R.SPXW, 'exit', T + 10, 1, 4.0))).toEqual([{ type: 'FlatVerified', ts: T + 10 }]);
  });

  it('no order, entry or exit, is approved after the kill', () => {
    const h = R.harness();
    h.feed(...R.underlyings(T), R.optionQuote(R.SPXW, T, 4, 4.2), R.report('a', R.SPXW, 'entry', T, 1, 4.1));
    h.feed({ type: 'KillSwitch', ts: T, source: 'manual', reason: 'x' });
    const outs = h.feed(R.intent(R.SPXW_PUT, T + 1), R.intent(R.SPXW, T + 1, { side: 'sell_to_close', limitPrice: 4.0 }));
    expect(outs.map((o) => (o.type === 'OrderDenied' ? o.reason : o.type))).toEqual(['halted', 'halted']);
  });
});

describe('risk operator: outputs are intents untouched', () => {
  it('the approved intent is the very object that came in', () => {
    const h = R.harness();
    h.feed(...R.underlyings(T), R.optionQuote(R.SPXW, T, 4, 4.2));
    const i: OrderIntent = R.intent(R.SPXW, T);
    expect(h.feed(i)[0]).toBe(i);
  });
});
