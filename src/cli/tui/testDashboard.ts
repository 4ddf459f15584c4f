/**
 * Test helpers: event factories for the dashboard's reducer and a populated state (a bracket with an entry fill,
 * signals, denials, a round trip, log lines) for the panel and App tests.
 */
import type { Features } from '../../operators/features/featuresRecord.js';
import type { ExecutionReport, GateDecision, OrderDenied, OrderIntent, SignalIntent } from '../../domain/orders.js';
import type { BracketUpdate } from '../../sinks/oms/omsEvents.js';
import { dashboardState, initialDashboardState, type DashboardInput, type ForeignEvent } from './dashboardState.js';
import type { DashboardState } from './dashboardTypes.js';

/** 2025-03-10 12:40:00 ET. */
export const T0 = Date.UTC(2025, 2, 10, 16, 40, 0);

export function features(underlying: Features['underlying'], ts: number, price: number, over: Partial<Features> = {}): Features {
  return {
    type: 'Features',
    ts,
    underlying,
    price,
    vwap: price - 1,
    vwapSigma: 1,
    vwapUpper1: price,
    vwapLower1: price - 2,
    vwapUpper2: price + 1,
    vwapLower2: price - 3,
    vwapUpper3: null,
    vwapLower3: null,
    anchoredVwap: null,
    atr: 1.25,
    adx: 23.4,
    plusDi: 28.1,
    minusDi: 14.2,
    microSymbol: underlying,
    spread: 0.01,
    spreadBps: 0.2,
    quoteImbalance: 0,
    microPrice: price,
    ofiShort: null,
    ofiMedium: null,
    ofiLong: null,
    intensityShort: null,
    intensityMedium: null,
    intensityLong: null,
    realizedVolShort: null,
    realizedVolLong: null,
    atmIv0dte: 0.153,
    atmIvNext: 0.161,
    skew25d: 0.042,
    termSlope: null,
    expectedMoveToClose: 4.56,
    ...over,
  };
}

export const intent = (ts: number, over: Partial<SignalIntent> = {}): SignalIntent => ({
  type: 'SignalIntent',
  ts,
  id: `vwapReversion-SPY-${ts}`,
  underlying: 'SPY',
  direction: 'calls',
  playbook: 'vwapReversion',
  strength: 0.62,
  reason: 'reclaimed VWAP −2σ',
  refPrice: 569.1,
  underlyingStop: 568.66,
  underlyingTarget: 570.2,
  timeStop: ts + 1_800_000,
  contract: { expiry: '0dte', targetDelta: 0.4 },
  ...over,
});

export const gate = (ts: number, allowed: boolean, reason: string): GateDecision => ({
  type: 'GateDecision',
  ts,
  underlying: 'SPX',
  playbook: 'trendPullback',
  allowed,
  reason,
});

export const denied = (ts: number, reason: string, detail?: string): OrderDenied => ({
  type: 'OrderDenied',
  ts,
  intentId: 'x',
  underlying: 'QQQ',
  reason,
  ...(detail ? { detail } : {}),
});

export const ORDER_ID = 'vwapReversion-SPY-1741624851000-1';
export const OPTION = 'O:SPY250310C00570000';

export const orderIntent = (ts: number): OrderIntent => ({
  type: 'OrderIntent',
  ts,
  id: ORDER_ID,
  signalId: 'vwapReversion-SPY-1741624851000',
  underlying: 'SPY',
  root: 'SPY',
  optionSymbol: OPTION,
  right: 'C',
  expiry: '2025-03-10',
  strike: 570,
  quantity: 1,
  side: 'buy_to_open',
  limitPrice: 0.48,
  takeProfit: 0.7,
  stopPrice: 0.3,
  underlyingStop: 568.66,
  underlyingTarget: 570.2,
  timeStop: ts + 1_800_000,
  playbook: 'vwapReversion',
  bidAtDecision: 0.46,
  askAtDecision: 0.48,
});

export const bracket = (ts: number, state: BracketUpdate['state'], prev: BracketUpdate['prev'], openQuantity: number, reason = ''): BracketUpdate => ({
  type: 'BracketUpdate',
  ts,
  orderId: ORDER_ID,
  underlying: 'SPY',
  state,
  prev,
  openQuantity,
  reason,
});

export const fill = (ts: number, leg: ExecutionReport['leg'], price: number, qty = 1): ExecutionReport => ({
  type: 'ExecutionReport',
  ts,
  orderId: ORDER_ID,
  brokerOrderId: '1',
  leg,
  optionSymbol: OPTION,
  status: 'filled',
  fillQuantity: qty,
  fillPrice: price,
  cumulativeQuantity: qty,
  avgFillPrice: price,
  fees: 0.65,
});

export function reduceAll(events: readonly (DashboardInput | ForeignEvent)[], from: DashboardState = initialDashboardState()): DashboardState {
  return events.reduce<DashboardState>(dashboardState, from);
}

/** A mid-session state with one open bracket, signals, denials and log lines. */
export function populatedState(): DashboardState {
  return reduceAll([
    features('SPX', T0, 5712.3),
    features('SPY', T0, 569.1),
    features('QQQ', T0 + 100, 487.25, { adx: null, plusDi: null, minusDi: null }),
    { type: 'RegimeState', ts: T0 + 200, underlying: 'SPY', regime: 'trend', since: T0 - 60_000, direction: 1 } as DashboardInput,
    intent(T0 + 1_000),
    gate(T0 + 1_500, false, 'regime-mismatch'),
    denied(T0 + 2_000, 'stale-data', 'quote 31 s old'),
    bracket(T0 + 3_000, 'pending', null, 0, 'submitting bracket'),
    bracket(T0 + 3_000, 'working', 'pending', 0, 'accepted by the broker'),
    orderIntent(T0 + 3_000),
    fill(T0 + 10_000, 'entry', 0.47),
    bracket(T0 + 10_000, 'filled', 'working', 1, 'entry filled'),
    { type: 'OptionQuote', ts: T0 + 11_000, symbol: OPTION, bid: 0.5, bidSize: 10, ask: 0.52, askSize: 10, bidExchange: 1, askExchange: 1, seq: 1 },
    { type: 'TradeClosed', ts: T0 + 12_000, underlying: 'SPX', playbook: 'trendPullback', pnl: -8.7 },
  ]);
}
