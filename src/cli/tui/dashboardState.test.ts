import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../../domain/events.js';
import { dashboardState, hasOpenPositions, initialDashboardState, LOG_LINES, optionMark, RATE_WINDOW_MS, SIGNAL_ROWS, type DashboardInput } from './dashboardState.js';
import type { DashboardState } from './dashboardTypes.js';
import { bracket, denied, features, fill, gate, intent, OPTION, ORDER_ID, orderIntent, populatedState, reduceAll, T0 } from './testDashboard.js';

const quote = (ts: number, tsRecv?: number): MarketEvent => ({
  type: 'Quote', ts, symbol: 'SPY', bid: 569, bidSize: 1, ask: 569.01, askSize: 1, bidExchange: 1, askExchange: 1, seq: 1, ...(tsRecv !== undefined ? { tsRecv } : {}),
});
const index = (ts: number): MarketEvent => ({ type: 'IndexValue', ts, symbol: 'I:SPX', value: 5712 });
const optQuote = (ts: number, symbol = 'O:SPX250310C05700000'): MarketEvent => ({
  type: 'OptionQuote', ts, symbol, bid: 1, bidSize: 1, ask: 1.1, askSize: 1, bidExchange: 1, askExchange: 1, seq: 1,
});

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

describe('dashboardState: health', () => {
  it.each<[string, MarketEvent[], 'stocks' | 'options' | 'indices', number]>([
    ['stock quotes', [quote(T0), quote(T0 + 1)], 'stocks', 2],
    ['index values', [index(T0), index(T0 + 1), index(T0 + 2)], 'indices', 3],
    ['option quotes', [optQuote(T0)], 'options', 1],
    ['index bars', [{ type: 'Bar', ts: T0, symbol: 'I:SPX', interval: '1m', start: T0 - 60_000, open: 1, high: 1, low: 1, close: 1, volume: 0, transactions: 0 }], 'indices', 1],
  ])('counts %s in their cluster', (_, events, cluster, n) => {
    const s = reduceAll(events);
    expect(s.health.feeds[cluster].messages).toBe(n);
    expect(s.events).toBe(n);
    expect(s.now).toBe(events.at(-1)!.ts);
    expect(s.firstTs).toBe(T0);
  });

  it('heartbeats and timers move event time but count in no cluster', () => {
    const s = reduceAll([{ type: 'Heartbeat', ts: T0 }, { type: 'Timer', ts: T0 + 5, name: 'SessionOpen', at: T0 }]);
    expect(s.now).toBe(T0 + 5);
    expect(Object.values(s.health.feeds).map((f) => f.messages)).toEqual([0, 0, 0]);
    expect(s.log.at(-1)!.text).toBe('timer SessionOpen');
  });

  it('message rate per event-time window; a quiet gap gives 0', () => {
    const evs = Array.from({ length: 50 }, (_, i) => quote(T0 + i * 100)); // 10/s for 5 s
    let s = reduceAll([...evs, quote(T0 + RATE_WINDOW_MS)]);
    expect(s.health.feeds.stocks.rate).toBeCloseTo(10.2, 9); // 51 messages over 5 s, both ends counted
    s = reduceAll([quote(T0 + 4 * RATE_WINDOW_MS)], s);
    expect(s.health.feeds.stocks.rate).toBe(0);
  });

  it('receive lag from tsRecv (live), max over the last window', () => {
    const s = reduceAll([quote(T0, T0 + 40), quote(T0 + 10, T0 + 25), quote(T0 + RATE_WINDOW_MS, T0 + RATE_WINDOW_MS + 5)]);
    expect(s.health.feeds.stocks.lagMs).toBe(5);
    expect(s.health.feeds.stocks.lagMaxMs).toBe(40);
  });

  it.each<[string, DashboardInput[], (s: DashboardState) => unknown, unknown]>([
    ['feed state and reconnects', [{ type: 'FeedState', ts: T0, cluster: 'options', state: 'STALE' }, { type: 'FeedState', ts: T0 + 1, cluster: 'options', state: 'RECOVERING' }, { type: 'FeedState', ts: T0 + 2, cluster: 'options', state: 'LIVE' }], (s) => [s.health.feeds.options.state, s.health.feeds.options.reconnects], ['LIVE', 1]],
    ['broker connectivity', [{ type: 'BrokerState', ts: T0, reachable: false }], (s) => s.health.brokerReachable, false],
    ['trading state', [{ type: 'TradingStateChanged', ts: T0, from: 'ACTIVE', to: 'REDUCING', reason: 'manual reduce' }], (s) => [s.health.tradingState, s.health.tradingReason], ['REDUCING', 'manual reduce']],
    ['OMS errors', [{ type: 'OmsError', ts: T0, orderId: null, reason: 'broker timeout' }], (s) => s.health.omsErrors, 1],
    ['kill switch tripped', [{ type: 'KillSwitch', ts: 99, source: 'manual', reason: 'k' }], (s) => s.health.killSwitch, { ts: 99, reason: 'k' }],
    ['resume re-arms the kill switch', [{ type: 'KillSwitch', ts: 99, source: 'manual', reason: 'k' }, { type: 'TradingControl', ts: 100, command: 'resume', reason: 'r' }], (s) => s.health.killSwitch, null],
    ['controls (wall-clock stamped) never move event time', [quote(T0), { type: 'KillSwitch', ts: T0 + 9e9, source: 'manual', reason: 'k' }], (s) => s.now, T0],
  ])('%s', (_, events, pick, want) => {
    expect(pick(reduceAll(events))).toEqual(want);
  });

  it('data-quality counters seed the state', () => {
    expect(initialDashboardState({ 'stocks/crossed': 3 }).health.dataQuality).toEqual({ 'stocks/crossed': 3 });
  });
});

describe('dashboardState: market', () => {
  it('Features fill the underlying row; regime absent until a RegimeState arrives', () => {
    let s = reduceAll([features('SPX', T0, 5712.3)]);
    const r = s.market.SPX!;
    expect([r.price, r.vwap, r.vwapLower1, r.vwapUpper1, r.atr, r.adx, r.plusDi, r.minusDi, r.expectedMove, r.atmIv, r.skew25d]).toEqual([
      5712.3, 5711.3, 5710.3, 5712.3, 1.25, 23.4, 28.1, 14.2, 4.56, 0.153, 0.042,
    ]);
    expect(r.regime).toBeNull();
    s = reduceAll([{ type: 'RegimeState', ts: T0 + 1, underlying: 'SPX', regime: 'range', since: T0, direction: 0 } as DashboardInput, features('SPX', T0 + 2, 5713)], s);
    expect([s.market.SPX!.regime, s.market.SPX!.price]).toEqual(['range', 5713]);
  });

  it('ATM IV falls back to the next expiry when 0DTE is unknown', () => {
    expect(reduceAll([features('SPY', T0, 569, { atmIv0dte: null })]).market.SPY!.atmIv).toBe(0.161);
  });
});

describe('dashboardState: signals', () => {
  it('intents, gate blocks and risk denials newest first with reasons; allowed gates only counted', () => {
    const s = reduceAll([intent(T0), gate(T0 + 1, true, 'allowed'), gate(T0 + 2, false, 'regime-mismatch'), denied(T0 + 3, 'stale-data', 'quote 31 s old')]);
    expect(s.signals.recent.map((r) => [r.kind, r.text])).toEqual([
      ['denied', 'stale-data: quote 31 s old'],
      ['gate', 'regime-mismatch'],
      ['intent', 'calls str 0.62 @569.10 stop 568.66 tgt 570.20 · reclaimed VWAP −2σ'],
    ]);
    expect([s.signals.intents, s.signals.gateAllowed, s.signals.gateBlocked, s.signals.riskDenied]).toEqual([1, 1, 1, 1]);
  });

  it(`keeps the last ${SIGNAL_ROWS} rows`, () => {
    const s = reduceAll(Array.from({ length: 30 }, (_, i) => intent(T0 + i)));
    expect(s.signals.recent).toHaveLength(SIGNAL_ROWS);
    expect(s.signals.recent[0]!.ts).toBe(T0 + 29);
  });
});

describe('dashboardState: orders and positions', () => {
  it('bracket reported before its intent keeps the OMS state; fills, marks, stops, close', () => {
    let s = populatedState();
    const b = s.orders.brackets[ORDER_ID]!;
    expect([b.state, b.openQuantity, b.entryFill, b.mark, b.target, b.stop, b.underlyingStop]).toEqual(['filled', 1, 0.47, 0.51, 0.7, 0.3, 568.66]);
    expect(s.orders.fills[0]).toMatchObject({ leg: 'entry', price: 0.47, quantity: 1 });
    expect(hasOpenPositions(s)).toBe(true);
    s = reduceAll(
      [
        { type: 'StopAdjusted', ts: T0 + 13_000, orderId: ORDER_ID, from: 0.3, to: 0.42, underlyingPrice: 569, underlyingStop: 568.9, why: 'trail', accepted: true },
        { type: 'StopAdjusted', ts: T0 + 14_000, orderId: ORDER_ID, from: 0.42, to: 0.2, underlyingPrice: 569, underlyingStop: 568.9, why: 'sync', accepted: false, reason: 'stop already below' },
      ],
      s,
    );
    expect([s.orders.brackets[ORDER_ID]!.stop, s.orders.brackets[ORDER_ID]!.underlyingStop]).toEqual([0.42, 568.9]);
    expect(s.log.at(-1)!.level).toBe('warn');
    s = reduceAll([fill(T0 + 15_000, 'stop', 0.42), bracket(T0 + 15_000, 'closed', 'filled', 0, 'stop filled'), { type: 'TradeClosed', ts: T0 + 15_000, underlying: 'SPY', playbook: 'vwapReversion', pnl: -6.3 }], s);
    expect(s.orders.brackets).toEqual({});
    expect(s.orders.watched).toEqual([]);
    expect([s.orders.realized, s.orders.trades, s.orders.wins]).toEqual([-15, 2, 0]);
    expect(hasOpenPositions(s)).toBe(false);
  });

  it('marks only watched contracts; one-sided quotes mark at the bid', () => {
    let s = reduceAll([orderIntent(T0), bracket(T0, 'working', 'pending', 0)]);
    expect(s.orders.watched).toEqual([OPTION]);
    const before = s.orders;
    s = reduceAll([optQuote(T0 + 1)], s);
    expect(s.orders).toBe(before);
    s = reduceAll([{ type: 'OptionQuote', ts: T0 + 2, symbol: OPTION, bid: 0.4, bidSize: 1, ask: 0, askSize: 0, bidExchange: 1, askExchange: 0, seq: 2 }], s);
    expect(s.orders.brackets[ORDER_ID]!.mark).toBe(0.4);
  });

  it('broker positions count as open positions', () => {
    expect(hasOpenPositions(reduceAll([{ type: 'BrokerPositions', ts: T0, positions: [{ optionSymbol: OPTION, quantity: 0 }] }]))).toBe(false);
    expect(hasOpenPositions(reduceAll([{ type: 'BrokerPositions', ts: T0, positions: [{ optionSymbol: OPTION, quantity: 2 }] }]))).toBe(true);
  });
});

describe('dashboardState: learner, stream end, log, purity', () => {
  it('not running until a learner event; reads arms, threshold and run length by shape', () => {
    expect(initialDashboardState().learner.running).toBe(false);
    const s = reduceAll([
      quote(T0),
      { type: 'LearnerState', ts: T0 + 1, arms: [{ name: 'vwapReversion', mean: 0.12, pulls: 7 }, { arm: 'bad' }], metaLabelThreshold: 0.55, runLength: { SPX: 42 } } as never,
    ]);
    expect(s.learner).toMatchObject({ running: true, metaThreshold: 0.55, runLength: { SPX: 42 }, arms: [{ name: 'vwapReversion', mean: 0.12, pulls: 7 }] });
  });

  it('ChangePoint resets the run length of its underlying', () => {
    const s = reduceAll([{ type: 'ChangePoint', ts: T0, underlying: 'NDX', source: 'bocpd' }]);
    expect(s.learner).toMatchObject({ running: true, runLength: { NDX: 0 }, lastChangePoint: { NDX: T0 } });
  });

  it('unknown events change nothing (same object)', () => {
    const s = populatedState();
    expect(dashboardState(s, { type: 'SomethingNew', ts: T0 })).toBe(s);
  });

  it.each([
    [null, 'completed', 'stream complete — q to quit'],
    ['boom', 'error', 'stream failed: boom'],
  ] as const)('stream end (error %s) → %s', (error, stream, line) => {
    const s = reduceAll([{ type: 'DashboardStreamEnded', error }]);
    expect(s.stream).toBe(stream);
    expect(s.log.at(-1)!.text).toBe(line);
  });

  it(`log keeps the last ${LOG_LINES} lines`, () => {
    const s = reduceAll(Array.from({ length: LOG_LINES + 7 }, (_, i) => ({ type: 'DashboardNote', level: 'info', text: `n${i}` }) as const));
    expect(s.log).toHaveLength(LOG_LINES);
    expect(s.log.at(-1)!.text).toBe(`n${LOG_LINES + 6}`);
  });

  it('never mutates the previous state', () => {
    const s = deepFreeze(populatedState());
    expect(() => reduceAll([quote(T0 + 20_000), optQuote(T0 + 20_001, OPTION), features('SPY', T0 + 20_002, 570), intent(T0 + 20_003), fill(T0 + 20_004, 'stop', 0.4), bracket(T0 + 20_004, 'closed', 'filled', 0)], s)).not.toThrow();
  });
});

describe('dashboardState: market tallies', () => {
  it('a tally of market events gives the same counts, clock and rates as the events one by one', async () => {
    const { MarketTally } = await import('./marketTally.js');
    const evs = [...Array.from({ length: 60 }, (_, i) => quote(T0 + i * 100, T0 + i * 100 + (i % 7))), index(T0 + 3000), optQuote(T0 + 6100), { type: 'Heartbeat', ts: T0 + 6200 } as MarketEvent];
    const one = reduceAll(evs);
    const t = new MarketTally();
    for (const e of evs) t.add(e);
    const batched = dashboardState(initialDashboardState(), t.take()!);
    expect(t.take()).toBeNull();
    expect([batched.now, batched.firstTs, batched.events]).toEqual([one.now, one.firstTs, one.events]);
    for (const c of ['stocks', 'options', 'indices'] as const) {
      const [a, b] = [batched.health.feeds[c], one.health.feeds[c]];
      expect([a.messages, a.lastTs, a.lagMs]).toEqual([b.messages, b.lastTs, b.lagMs]);
    }
    expect(batched.health.feeds.stocks.rate).toBeCloseTo(60_000 / 5_900, 9);
    expect(one.health.feeds.stocks.rate).toBeCloseTo(51_000 / 5_000, 9);
  });
});

describe('optionMark (one rule for quotes and for intents)', () => {
  it.each([
    [1.25, 1.75, 1.5],
    [1.2, 0, 1.2],
    [0, 1.4, null],
    [0, 0, null],
  ])('bid %s ask %s → %s', (bid, ask, mark) => {
    expect(optionMark(bid, ask)).toBe(mark);
  });
});
