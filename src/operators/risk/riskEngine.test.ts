import { describe, expect, it } from 'vitest';
import { nyTimeToMs } from '../../domain/time.js';
import type { RiskInput, RiskOutput } from './riskEvents.js';
import { testRisk as R } from './testRisk.js';

const T = R.T;
const fresh = (ts: number, symbols: readonly string[] = [R.SPXW]): RiskInput[] => [
  ...R.underlyings(ts),
  ...symbols.map((s) => R.optionQuote(s, ts, 4.0, 4.2)),
];
const states = (outs: RiskOutput[]) =>
  outs.filter((o) => o.type === 'TradingStateChanged').map((o) => (o.type === 'TradingStateChanged' ? `${o.from}→${o.to}: ${o.reason}` : ''));
const types = (outs: RiskOutput[]) => outs.map((o) => o.type);

describe('TradingState transitions', () => {
  it('ACTIVE → REDUCING on a reject storm, REDUCING → ACTIVE after the cool-down', () => {
    const h = R.harness(R.cfg({ storm: { throttleCount: 3, haltCount: 6, windowMs: 10_000, cooldownMs: 60_000 } }));
    h.feed(...fresh(T));
    const outs = h.feed(
      R.report('a', R.SPXW, 'entry', T + 1, 0, 0, 'rejected'),
      R.report('b', R.SPXW, 'entry', T + 2, 0, 0, 'rejected'),
      R.report('c', R.SPXW, 'entry', T + 3, 0, 0, 'rejected'),
    );
    expect(states(outs)).toEqual(['ACTIVE→REDUCING: reject-storm throttle: 3 rejects/malformed orders in 10000 ms (last: broker reject c)']);
    expect(h.engine.tradingState).toBe('REDUCING');
    expect(h.feed(R.intent(R.SPXW, T + 4))[0]).toMatchObject({ type: 'OrderDenied', reason: 'reducing' });
    expect(states(h.feed({ type: 'Heartbeat', ts: T + 3 + 59_999 }))).toEqual([]);
    expect(states(h.feed({ type: 'Heartbeat', ts: T + 3 + 60_000 }))).toEqual(['REDUCING→ACTIVE: reject-storm throttle cooled down after 60000 ms']);
  });

  it('malformed-order denials count toward the storm; policy denials do not', () => {
    const h = R.harness(R.cfg({ storm: { throttleCount: 2, haltCount: 3 } }));
    h.feed(...fresh(T));
    // Two stale-data denials (policy): no throttle.
    h.feed(R.intent('O:SPXW250310C05900000', T), R.intent('O:SPXW250310C05900000', T));
    expect(h.engine.tradingState).toBe('ACTIVE');
    const outs = h.feed(R.intent(R.SPXW, T, { limitPrice: 4.15 }), R.intent(R.SPXW, T, { limitPrice: 9.9 }));
    expect(types(outs)).toEqual(['OrderDenied', 'OrderDenied', 'TradingStateChanged']);
    expect(h.engine.tradingState).toBe('REDUCING');
  });

  it('storm beyond the halt count → kill switch (HALTED, cancel, flatten)', () => {
    const h = R.harness(R.cfg({ storm: { throttleCount: 2, haltCount: 3 } }));
    h.feed(...fresh(T));
    const outs = h.feed(...[1, 2, 3].map((i) => R.report(`r${i}`, R.SPXW, 'entry', T + i, 0, 0, 'rejected')));
    expect(types(outs)).toEqual(['TradingStateChanged', 'TradingStateChanged', 'CancelAllOrders', 'FlattenAll']);
    expect(states(outs)[1]).toMatch(/^REDUCING→HALTED: kill-switch \(auto\): reject-storm: 3 rejects/);
  });

  it('manual reduce (ACTIVE → REDUCING) and resume (REDUCING → ACTIVE)', () => {
    const h = R.harness();
    expect(states(h.feed({ type: 'TradingControl', ts: T, command: 'reduce', reason: 'lunch' }))).toEqual(['ACTIVE→REDUCING: manual reduce: lunch']);
    expect(states(h.feed({ type: 'TradingControl', ts: T, command: 'resume', reason: 'back' }))).toEqual(['REDUCING→ACTIVE: manual resume: back']);
  });

  it('consecutive losing round trips → HALTED without cancelling or flattening', () => {
    const h = R.harness(R.cfg({ losses: { maxConsecutive: 2, maxDailyLoss: 100_000 } }));
    h.feed(...fresh(T, [R.SPXW, R.SPXW_PUT]));
    const outs = h.feed(
      R.report('a', R.SPXW, 'entry', T + 1, 1, 4.2),
      R.report('a', R.SPXW, 'stop', T + 2, 1, 3.5),
      R.report('b', R.SPXW, 'entry', T + 3, 1, 4.2),
      R.report('b', R.SPXW, 'target', T + 4, 1, 4.5), // a win resets the count
      R.report('c', R.SPXW, 'entry', T + 5, 1, 4.2),
      R.report('c', R.SPXW, 'stop', T + 6, 1, 4.0),
      R.report('d', R.SPXW_PUT, 'entry', T + 7, 1, 4.2),
      R.report('d', R.SPXW_PUT, 'exit', T + 8, 1, 4.1),
    );
    expect(types(outs)).toEqual(['TradingStateChanged']);
    expect(states(outs)).toEqual(['ACTIVE→HALTED: consecutive-losses: 2 losing round trips in a row (max 2)']);
    expect(h.engine.killed).toBe(false);
  });

  it('fees turn a scratch trade into a loss', () => {
    const h = R.harness(R.cfg({ losses: { maxConsecutive: 1 } }));
    const outs = h.feed(R.report('a', R.SPXW, 'entry', T, 1, 4.2, 'filled', 0.65), R.report('a', R.SPXW, 'target', T + 1, 1, 4.2, 'filled', 0.65));
    expect(states(outs)).toEqual(['ACTIVE→HALTED: consecutive-losses: 1 losing round trips in a row (max 1)']);
  });

  it('daily loss (realised + unrealised from the option mid) → kill switch', () => {
    const h = R.harness(R.cfg({ losses: { maxDailyLoss: 500 } }));
    h.feed(...fresh(T));
    h.feed(R.report('a', R.SPXW, 'entry', T, 2, 4.2), R.report('a', R.SPXW, 'stop', T + 1, 1, 2.9)); // realised −130
    expect(h.engine.tradingState).toBe('ACTIVE');
    // Remaining contract marked at mid 0.9: unrealised −330 → −460, still inside.
    expect(h.feed(R.optionQuote(R.SPXW, T + 2, 0.8, 1.0))).toEqual([]);
    const outs = h.feed(R.optionQuote(R.SPXW, T + 3, 0.3, 0.5)); // mid 0.4: −380 → −510
    expect(types(outs)).toEqual(['TradingStateChanged', 'CancelAllOrders', 'FlattenAll']);
    expect(states(outs)[0]).toMatch(/^ACTIVE→HALTED: kill-switch \(auto\): daily-loss: P&L -510\.00/);
  });

  it('stale feed beyond N s → kill switch; recovering in time does not', () => {
    const h = R.harness(R.cfg({ staleFeedHaltSeconds: 30 }));
    h.feed({ type: 'FeedState', ts: T, cluster: 'options', state: 'STALE' }, { type: 'FeedState', ts: T + 10_000, cluster: 'options', state: 'RECOVERING' });
    h.feed({ type: 'FeedState', ts: T + 20_000, cluster: 'options', state: 'LIVE' }, { type: 'Heartbeat', ts: T + 60_000 });
    expect(h.engine.tradingState).toBe('ACTIVE');
    h.feed({ type: 'FeedState', ts: T + 70_000, cluster: 'stocks', state: 'STALE' }, { type: 'FeedState', ts: T + 80_000, cluster: 'stocks', state: 'RECOVERING' });
    expect(h.feed({ type: 'Heartbeat', ts: T + 99_999 })).toEqual([]);
    const outs = h.feed({ type: 'Heartbeat', ts: T + 100_000 });
    expect(states(outs)).toEqual(['ACTIVE→HALTED: kill-switch (auto): stale-feed: stocks RECOVERING for 30 s (max 30 s)']);
  });

  it('broker unreachable beyond N s → kill switch', () => {
    const h = R.harness(R.cfg({ brokerUnreachableHaltSeconds: 10 }));
    h.feed({ type: 'BrokerState', ts: T, reachable: false }, { type: 'BrokerState', ts: T + 5_000, reachable: true });
    h.feed({ type: 'BrokerState', ts: T + 6_000, reachable: false }, { type: 'Heartbeat', ts: T + 15_999 });
    expect(h.engine.tradingState).toBe('ACTIVE');
    const outs = h.feed({ type: 'Heartbeat', ts: T + 16_000 });
    expect(types(outs)).toEqual(['TradingStateChanged', 'CancelAllOrders', 'FlattenAll']);
    expect(states(outs)[0]).toBe('ACTIVE→HALTED: kill-switch (auto): broker-unreachable for 10 s (max 10 s)');
  });

  it('HALTED → ACTIVE on manual resume; a condition still present trips again', () => {
    const h = R.harness(R.cfg({ brokerUnreachableHaltSeconds: 10 }));
    h.feed({ type: 'KillSwitch', ts: T, source: 'manual', reason: 'test' });
    expect(h.engine.tradingState).toBe('HALTED');
    expect(states(h.feed({ type: 'TradingControl', ts: T, command: 'resume', reason: 'ok' }))).toEqual(['HALTED→ACTIVE: manual resume: ok']);
    h.feed({ type: 'BrokerState', ts: T + 1, reachable: false });
    const outs = h.feed({ type: 'Heartbeat', ts: T + 20_000 }, { type: 'TradingControl', ts: T + 20_000, command: 'resume', reason: 'again' });
    expect(states(outs)).toEqual([
      'ACTIVE→HALTED: kill-switch (auto): broker-unreachable for 20 s (max 10 s)',
      'HALTED→ACTIVE: manual resume: again',
      'ACTIVE→HALTED: kill-switch (auto): broker-unreachable for 20 s (max 10 s)',
    ]);
  });

  it('a new trading date restarts the daily counters but not the state', () => {
    const h = R.harness(R.cfg({ maxTradesPerDay: 1 }));
    h.feed(...fresh(T));
    const first = R.intent(R.SPXW, T);
    expect(h.feed(first)[0]?.type).toBe('OrderIntent');
    h.feed(R.report(first.id, R.SPXW, 'entry', T + 1, 0, 0, 'cancelled'));
    const t2 = nyTimeToMs('2025-03-11', 11, 0);
    const sym2 = 'O:SPXW250311C05700000';
    h.feed(...fresh(t2, [sym2]));
    expect(h.feed(R.intent(sym2, t2))[0]?.type).toBe('OrderIntent');
    expect(h.engine.currentDay?.date).toBe('2025-03-11');
  });

  it('late feedback reports do not move event time backwards', () => {
    const h = R.harness();
    h.feed(...fresh(T));
    h.feed(R.report('a', R.SPXW, 'entry', T - 5_000, 1, 4.2));
    const [o] = h.feed(R.intent(R.SPXW_PUT, T + 1, { limitPrice: 4.2 }));
    expect(o).toMatchObject({ type: 'OrderDenied', ts: T + 1 }); // per-underlying limit: the late fill counted
  });

  it('NaN event time is a broken invariant', () => {
    const h = R.harness();
    expect(() => h.feed({ type: 'Heartbeat', ts: Number.NaN })).toThrow(/NaN ts/);
  });
});
