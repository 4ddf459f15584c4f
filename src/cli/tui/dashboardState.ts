/**
 * dashboardState(prev, event) → state: the pure reducer behind every panel of the dashboard.
 *
 * Input: everything the pipeline outputs (market events, Features, RegimeState when present, signals, gate and
 * risk decisions, orders, execution reports, OMS lifecycle events, round trips, risk commands, feed/broker state,
 * controls), the dashboard's own DashboardStreamEnded / DashboardNote, and — read by shape, see readLearnerEvent —
 * the learner's events. Unknown event types are ignored, so new pipeline events never break the screen.
 *
 * State: plain immutable objects; unchanged branches are shared between states (the sampler only ever renders
 * the latest one).
 *
 * Time: event time only. `now` is the largest `ts` seen except KillSwitch / TradingControl, which come from keys
 * and files stamped in wall time. Message rates are per cluster over tumbling RATE_WINDOW_MS windows of event
 * time, so a replay at any speed shows the rates the market had.
 *
 * Hot path: a market event touches only its cluster's counters (a few small objects); option quotes also update
 * the mark of an open bracket on that contract.
 */
import { MARKET_EVENT_TYPES, assertNever, isMarketType, type MarketEvent } from '../../domain/events.js';
import type { PipelineEvent } from '../../pipeline/buildPipeline.js';
import type { FeedCluster } from '../../operators/risk/riskEvents.js';
import type { RegimeState } from '../../operators/signals/signalEvents.js';
import { TERMINAL_BRACKET_STATES, type BracketUpdate } from '../../sinks/oms/omsEvents.js';
import type {
  BracketView,
  DashboardMarketTally,
  DashboardNote,
  DashboardState,
  DashboardStreamEnded,
  FeedHealth,
  LogLevel,
  LogLine,
  SignalRow,
} from './dashboardTypes.js';
import { shortOption, shortOrderId } from './format.js';
import { clusterOf } from './marketTally.js';
import { isLearnerType, readLearnerEvent } from './readLearnerEvent.js';

/** A long option's mark: the mid of a two-sided quote, the bid when only a bid is shown (what selling would get). */
export function optionMark(bid: number, ask: number): number | null {
  return bid > 0 && ask > 0 ? (bid + ask) / 2 : bid > 0 ? bid : null;
}

export const RATE_WINDOW_MS = 5_000;
export const LOG_LINES = 50;
export const SIGNAL_ROWS = 12;
export const FILL_ROWS = 8;

/** Everything the reducer understands by type. */
export type DashboardInput = PipelineEvent | RegimeState | DashboardStreamEnded | DashboardNote | DashboardMarketTally;

/** Any other event (the learner's, future ones): read by shape or ignored. */
export interface ForeignEvent {
  readonly type: string;
  readonly ts?: number;
}

const emptyFeed = (cluster: FeedCluster): FeedHealth => ({
  cluster,
  state: null,
  messages: 0,
  rate: null,
  windowStart: 0,
  windowCount: 0,
  lagMs: null,
  lagMaxMs: null,
  windowLagMax: null,
  reconnects: 0,
  lastTs: null,
});

export function initialDashboardState(dataQuality: Readonly<Record<string, number>> = {}): DashboardState {
  return {
    now: null,
    firstTs: null,
    events: 0,
    stream: 'running',
    health: {
      feeds: { stocks: emptyFeed('stocks'), options: emptyFeed('options'), indices: emptyFeed('indices') },
      brokerReachable: null,
      tradingState: 'ACTIVE',
      tradingReason: null,
      dataQuality,
      omsErrors: 0,
      killSwitch: null,
    },
    market: {},
    signals: { recent: [], intents: 0, gateAllowed: 0, gateBlocked: 0, riskDenied: 0, approved: 0 },
    orders: { brackets: {}, watched: [], fills: [], realized: 0, trades: 0, wins: 0, brokerPositions: null },
    learner: { running: false, lastTs: null, arms: [], metaThreshold: null, runLength: {}, lastChangePoint: {} },
    log: [],
  };
}

const KNOWN = new Set<string>([
  ...MARKET_EVENT_TYPES,
  'Features',
  'RegimeState',
  'SignalIntent',
  'GateDecision',
  'OrderIntent',
  'OrderDenied',
  'TradingStateChanged',
  'ExecutionReport',
  'BracketUpdate',
  'StopAdjusted',
  'OmsError',
  'BrokerPositions',
  'BrokerState',
  'FeedState',
  'KillSwitch',
  'TradingControl',
  'CancelAllOrders',
  'FlattenAll',
  'FlatVerified',
  'TradeClosed',
  'ChangePoint',
  'DashboardStreamEnded',
  'DashboardNote',
  'DashboardMarketTally',
]);

/**
 * Count `n` messages of one cluster stamped first…last. The rate is messages per second over a window of at least
 * RATE_WINDOW_MS of event time (a tally can span more when replaying at full speed); a gap of a whole window with
 * no message means the cluster was quiet, so its rate drops to 0.
 */
function countBatch(f: FeedHealth, n: number, first: number, last: number, lagLast: number | null, lagMax: number | null): FeedHealth {
  let { windowStart, windowCount, rate, windowLagMax, lagMaxMs, lagMs } = f;
  if (f.lastTs === null || first - f.lastTs >= RATE_WINDOW_MS) {
    if (f.lastTs !== null) rate = 0;
    windowStart = first;
    windowCount = 0;
  }
  windowCount += n;
  if (lagLast !== null) {
    lagMs = lagLast;
    const m = lagMax ?? lagLast;
    windowLagMax = windowLagMax === null || m > windowLagMax ? m : windowLagMax;
  }
  if (last - windowStart >= RATE_WINDOW_MS) {
    rate = (windowCount * 1000) / (last - windowStart);
    lagMaxMs = windowLagMax;
    windowLagMax = null;
    windowStart = last;
    windowCount = 0;
  }
  return { ...f, messages: f.messages + n, rate, windowStart, windowCount, lagMs, lagMaxMs, windowLagMax, lastTs: last };
}

function countMessage(f: FeedHealth, ts: number, tsRecv: number | undefined): FeedHealth {
  const lag = tsRecv === undefined ? null : tsRecv - ts;
  return countBatch(f, 1, ts, ts, lag, lag);
}

function applyTally(prev: DashboardState, t: DashboardMarketTally): DashboardState {
  const now = prev.now === null || t.lastTs > prev.now ? t.lastTs : prev.now;
  const f = prev.health.feeds;
  const feeds = {
    stocks: t.stocks ? countBatch(f.stocks, t.stocks.count, t.stocks.firstTs, t.stocks.lastTs, t.stocks.lagLast, t.stocks.lagMax) : f.stocks,
    options: t.options ? countBatch(f.options, t.options.count, t.options.firstTs, t.options.lastTs, t.options.lagLast, t.options.lagMax) : f.options,
    indices: t.indices ? countBatch(f.indices, t.indices.count, t.indices.firstTs, t.indices.lastTs, t.indices.lagLast, t.indices.lagMax) : f.indices,
  };
  return { ...prev, now, firstTs: prev.firstTs ?? t.firstTs, events: prev.events + t.events, health: { ...prev.health, feeds } };
}

function pushLog(log: readonly LogLine[], ts: number | null, level: LogLevel, text: string): readonly LogLine[] {
  const next = log.length >= LOG_LINES ? log.slice(log.length - LOG_LINES + 1) : log.slice();
  next.push({ ts, level, text });
  return next;
}

function pushSignal(s: DashboardState['signals'], row: SignalRow): readonly SignalRow[] {
  return [row, ...s.recent.slice(0, SIGNAL_ROWS - 1)];
}

const withLog = (s: DashboardState, ts: number | null, level: LogLevel, text: string): DashboardState => ({
  ...s,
  log: pushLog(s.log, ts, level, text),
});

const fmt2 = (x: number) => x.toFixed(2);

function setBrackets(s: DashboardState, brackets: Record<string, BracketView>): DashboardState['orders'] {
  const watched: string[] = [];
  for (const id in brackets) {
    const sym = brackets[id]!.optionSymbol;
    if (!watched.includes(sym)) watched.push(sym);
  }
  return { ...s.orders, brackets, watched };
}

/** The pure reducer. `event` may be any pipeline event, a dashboard event, or a foreign (learner, future) event. */
export function dashboardState(prev: DashboardState, event: DashboardInput | ForeignEvent): DashboardState {
  if (!KNOWN.has(event.type)) return foreign(prev, event as ForeignEvent);
  const e = event as DashboardInput;
  if (e.type === 'DashboardStreamEnded') {
    const s: DashboardState = { ...prev, stream: e.error === null ? 'completed' : 'error' };
    return e.error === null ? withLog(s, prev.now, 'info', 'stream complete — q to quit') : withLog(s, prev.now, 'error', `stream failed: ${e.error}`);
  }
  if (e.type === 'DashboardNote') return withLog(prev, prev.now, e.level, e.text);
  if (e.type === 'DashboardMarketTally') return applyTally(prev, e);

  // Hot path: a market event off the watched contracts only bumps its cluster's counters (one state object).
  if (isMarketType(e.type) && e.type !== 'Timer' && !(e.type === 'OptionQuote' && prev.orders.watched.includes(e.symbol))) {
    const m = e as MarketEvent;
    const now = prev.now === null || m.ts > prev.now ? m.ts : prev.now;
    const cluster = clusterOf(m);
    const feeds = prev.health.feeds;
    return {
      ...prev,
      now,
      firstTs: prev.firstTs ?? now,
      events: prev.events + 1,
      health: cluster === null ? prev.health : { ...prev.health, feeds: { ...feeds, [cluster]: countMessage(feeds[cluster], m.ts, (m as { readonly tsRecv?: number }).tsRecv) } },
    };
  }

  // Controls are stamped in wall time by their source: they never move the dashboard's event clock.
  const timed = e.type !== 'KillSwitch' && e.type !== 'TradingControl';
  const now = timed && (prev.now === null || e.ts > prev.now) ? e.ts : prev.now;
  const s: DashboardState =
    now === prev.now ? { ...prev, events: prev.events + 1 } : { ...prev, now, firstTs: prev.firstTs ?? now, events: prev.events + 1 };

  switch (e.type) {
    case 'Trade':
    case 'Quote':
    case 'Bar':
    case 'IndexValue':
    case 'OptionTrade':
    case 'OptionQuote':
    case 'ChainSnapshot':
    case 'Heartbeat':
    case 'Timer': {
      const cluster = clusterOf(e);
      let next = s;
      if (cluster !== null) {
        const feeds = s.health.feeds;
        next = { ...s, health: { ...s.health, feeds: { ...feeds, [cluster]: countMessage(feeds[cluster], e.ts, (e as { readonly tsRecv?: number }).tsRecv) } } };
      }
      if (e.type === 'OptionQuote' && s.orders.watched.includes(e.symbol)) {
        const mark = optionMark(e.bid, e.ask);
        const brackets: Record<string, BracketView> = { ...s.orders.brackets };
        for (const id in brackets) if (brackets[id]!.optionSymbol === e.symbol) brackets[id] = { ...brackets[id]!, mark };
        next = { ...next, orders: { ...next.orders, brackets } };
      }
      if (e.type === 'Timer') next = withLog(next, e.ts, 'info', `timer ${e.name}${e.label ? ` (${e.label})` : ''}`);
      return next;
    }
    case 'Features': {
      const old = s.market[e.underlying];
      const row = {
        underlying: e.underlying,
        ts: e.ts,
        price: e.price,
        vwap: e.vwap,
        vwapLower1: e.vwapLower1,
        vwapUpper1: e.vwapUpper1,
        vwapLower2: e.vwapLower2,
        vwapUpper2: e.vwapUpper2,
        atr: e.atr,
        adx: e.adx,
        plusDi: e.plusDi,
        minusDi: e.minusDi,
        regime: old?.regime ?? null,
        regimeDirection: old?.regimeDirection ?? null,
        expectedMove: e.expectedMoveToClose,
        atmIv: e.atmIv0dte ?? e.atmIvNext,
        skew25d: e.skew25d,
        spread: e.spread,
      };
      return { ...s, market: { ...s.market, [e.underlying]: row } };
    }
    case 'RegimeState': {
      const old = s.market[e.underlying];
      if (!old) return s;
      if (old.regime === e.regime && old.regimeDirection === e.direction) return s;
      return { ...s, market: { ...s.market, [e.underlying]: { ...old, regime: e.regime, regimeDirection: e.direction } } };
    }
    case 'SignalIntent': {
      const text = `${e.direction} str ${e.strength.toFixed(2)} @${fmt2(e.refPrice)} stop ${fmt2(e.underlyingStop)} tgt ${fmt2(e.underlyingTarget)} · ${e.reason}`;
      const row: SignalRow = { ts: e.ts, kind: 'intent', underlying: e.underlying, playbook: e.playbook, text };
      return { ...s, signals: { ...s.signals, intents: s.signals.intents + 1, recent: pushSignal(s.signals, row) } };
    }
    case 'GateDecision': {
      if (e.allowed) return { ...s, signals: { ...s.signals, gateAllowed: s.signals.gateAllowed + 1 } };
      const row: SignalRow = { ts: e.ts, kind: 'gate', underlying: e.underlying, playbook: e.playbook, text: e.reason };
      return { ...s, signals: { ...s.signals, gateBlocked: s.signals.gateBlocked + 1, recent: pushSignal(s.signals, row) } };
    }
    case 'OrderDenied': {
      const row: SignalRow = { ts: e.ts, kind: 'denied', underlying: e.underlying, playbook: null, text: e.detail ? `${e.reason}: ${e.detail}` : e.reason };
      return { ...s, signals: { ...s.signals, riskDenied: s.signals.riskDenied + 1, recent: pushSignal(s.signals, row) } };
    }
    case 'OrderIntent': {
      // Only risk-approved intents reach the pipeline's output (risk consumes the raw ones).
      // The OMS reports the bracket (pending, working) before the intent itself passes its stage: keep that state.
      const early = s.orders.brackets[e.id];
      const b: BracketView = {
        orderId: e.id,
        underlying: e.underlying,
        optionSymbol: e.optionSymbol,
        playbook: e.playbook,
        quantity: e.quantity,
        state: early?.state ?? 'pending',
        openQuantity: early?.openQuantity ?? 0,
        entryLimit: e.limitPrice,
        entryFill: early?.entryFill ?? null,
        target: e.takeProfit,
        stop: e.stopPrice,
        underlyingTarget: e.underlyingTarget,
        underlyingStop: e.underlyingStop,
        timeStop: e.timeStop,
        mark: optionMark(e.bidAtDecision, e.askAtDecision),
        fees: early?.fees ?? 0,
        openedTs: e.ts,
      };
      const next: DashboardState = {
        ...s,
        signals: { ...s.signals, approved: s.signals.approved + 1 },
        orders: setBrackets(s, { ...s.orders.brackets, [e.id]: b }),
      };
      return withLog(next, e.ts, 'info', `order ${e.quantity}× ${shortOption(e.optionSymbol)} lmt ${fmt2(e.limitPrice)} tgt ${fmt2(e.takeProfit)} stop ${fmt2(e.stopPrice)} (${e.playbook})`);
    }
    case 'ExecutionReport': {
      const b = s.orders.brackets[e.orderId];
      let orders = s.orders;
      if (b) {
        const upd: BracketView =
          e.leg === 'entry'
            ? { ...b, entryFill: e.cumulativeQuantity > 0 ? e.avgFillPrice : b.entryFill, fees: b.fees + e.fees }
            : { ...b, fees: b.fees + e.fees };
        orders = { ...orders, brackets: { ...orders.brackets, [e.orderId]: upd } };
      }
      if (e.fillQuantity > 0) {
        const fill = { ts: e.ts, orderId: e.orderId, leg: e.leg, optionSymbol: e.optionSymbol, quantity: e.fillQuantity, price: e.fillPrice };
        orders = { ...orders, fills: [fill, ...orders.fills.slice(0, FILL_ROWS - 1)] };
      }
      const next = { ...s, orders };
      if (e.status === 'rejected') return withLog(next, e.ts, 'warn', `${e.leg} rejected ${e.optionSymbol}: ${e.reason ?? ''}`);
      return next;
    }
    case 'BracketUpdate': {
      const b = s.orders.brackets[e.orderId];
      const what = b?.optionSymbol ? shortOption(b.optionSymbol) : shortOrderId(e.orderId);
      const line = `bracket ${what} ${e.prev ?? 'new'} → ${e.state}${e.reason ? ` (${e.reason})` : ''}`;
      const brackets: Record<string, BracketView> = { ...s.orders.brackets };
      if (TERMINAL_BRACKET_STATES.has(e.state)) delete brackets[e.orderId];
      else brackets[e.orderId] = b ? { ...b, state: e.state, openQuantity: e.openQuantity } : stubBracket(e);
      return withLog({ ...s, orders: setBrackets(s, brackets) }, e.ts, 'info', line);
    }
    case 'StopAdjusted': {
      const b = s.orders.brackets[e.orderId];
      if (!e.accepted) return withLog(s, e.ts, 'warn', `stop move refused ${e.orderId}: ${e.reason ?? ''}`);
      if (!b) return s;
      return {
        ...s,
        orders: { ...s.orders, brackets: { ...s.orders.brackets, [e.orderId]: { ...b, stop: e.to, underlyingStop: e.underlyingStop } } },
      };
    }
    case 'TradeClosed': {
      const orders = { ...s.orders, realized: s.orders.realized + e.pnl, trades: s.orders.trades + 1, wins: s.orders.wins + (e.pnl > 0 ? 1 : 0) };
      return withLog({ ...s, orders }, e.ts, e.pnl >= 0 ? 'info' : 'warn', `closed ${e.underlying} ${e.playbook} P&L ${e.pnl >= 0 ? '+' : ''}${fmt2(e.pnl)}`);
    }
    case 'OmsError': {
      const next = { ...s, health: { ...s.health, omsErrors: s.health.omsErrors + 1 } };
      return withLog(next, e.ts, 'error', `OMS ${e.orderId ?? ''} ${e.reason}${e.detail ? `: ${e.detail}` : ''}`);
    }
    case 'BrokerPositions': {
      const open = e.positions.filter((p) => p.quantity !== 0);
      return { ...s, orders: { ...s.orders, brokerPositions: open } };
    }
    case 'BrokerState': {
      if (s.health.brokerReachable === e.reachable) return s;
      const next = { ...s, health: { ...s.health, brokerReachable: e.reachable } };
      return withLog(next, e.ts, e.reachable ? 'info' : 'error', e.reachable ? 'broker reachable' : 'broker UNREACHABLE');
    }
    case 'FeedState': {
      const f = s.health.feeds[e.cluster];
      if (f.state === e.state) return s;
      const reconnects = f.reconnects + (e.state === 'RECOVERING' ? 1 : 0);
      const next = { ...s, health: { ...s.health, feeds: { ...s.health.feeds, [e.cluster]: { ...f, state: e.state, reconnects } } } };
      return withLog(next, e.ts, e.state === 'LIVE' ? 'info' : 'warn', `feed ${e.cluster} ${f.state ?? '—'} → ${e.state}`);
    }
    case 'TradingStateChanged': {
      const next = { ...s, health: { ...s.health, tradingState: e.to, tradingReason: e.reason } };
      return withLog(next, e.ts, e.to === 'ACTIVE' ? 'info' : 'warn', `trading ${e.from} → ${e.to}: ${e.reason}`);
    }
    case 'KillSwitch': {
      const next = { ...s, health: { ...s.health, killSwitch: { ts: e.ts, reason: e.reason } } };
      return withLog(next, s.now, 'error', `KILL SWITCH (${e.source}): ${e.reason}`);
    }
    case 'TradingControl': {
      const next = e.command === 'resume' ? { ...s, health: { ...s.health, killSwitch: null } } : s;
      return withLog(next, s.now, 'warn', `control ${e.command}: ${e.reason}`);
    }
    case 'CancelAllOrders':
      return withLog(s, e.ts, 'warn', `cancel all orders: ${e.reason}`);
    case 'FlattenAll':
      return withLog(s, e.ts, 'warn', `flatten ${e.optionSymbols ? e.optionSymbols.join(' ') : 'all'}: ${e.reason}`);
    case 'FlatVerified':
      return withLog(s, e.ts, 'info', 'flat verified');
    case 'ChangePoint':
      return foreign(s, e);
    default:
      return assertNever(e, 'dashboard event');
  }
}

/** A bracket the OMS reported before its OrderIntent arrived (levels unknown until then: NaN renders as —). */
function stubBracket(e: BracketUpdate): BracketView {
  return {
    orderId: e.orderId,
    underlying: e.underlying,
    optionSymbol: '',
    playbook: '',
    quantity: NaN,
    state: e.state,
    openQuantity: e.openQuantity,
    entryLimit: NaN,
    entryFill: null,
    target: NaN,
    stop: NaN,
    underlyingTarget: NaN,
    underlyingStop: NaN,
    timeStop: NaN,
    mark: null,
    fees: 0,
    openedTs: e.ts,
  };
}

function foreign(s: DashboardState, e: ForeignEvent): DashboardState {
  if (!isLearnerType(e.type)) return s;
  const r = readLearnerEvent(e);
  const ts = typeof e.ts === 'number' ? e.ts : s.now;
  const l = s.learner;
  const runLength = r.changePoint !== null ? { ...(r.runLength ?? l.runLength), [r.changePoint]: 0 } : (r.runLength ? { ...l.runLength, ...r.runLength } : l.runLength);
  const lastChangePoint = r.changePoint !== null && ts !== null ? { ...l.lastChangePoint, [r.changePoint]: ts } : l.lastChangePoint;
  const learner = {
    running: true,
    lastTs: ts,
    arms: r.arms ?? l.arms,
    metaThreshold: r.metaThreshold ?? l.metaThreshold,
    runLength,
    lastChangePoint,
  };
  const next = { ...s, learner };
  return r.changePoint !== null ? withLog(next, ts, 'info', `change point ${r.changePoint}`) : next;
}

/** True when the book holds contracts (our brackets or the broker's own positions): quitting then asks first. */
export function hasOpenPositions(s: DashboardState): boolean {
  for (const id in s.orders.brackets) if (s.orders.brackets[id]!.openQuantity !== 0) return true;
  return s.orders.brokerPositions?.some((p) => p.quantity !== 0) ?? false;
}

/**
 * Whether dashboardState$ may fold `e` into its MarketTally instead of reducing it one by one: market events other
 * than Timers (logged) and quotes of contracts with an open bracket (they move its mark).
 */
export function isTallied(e: { readonly type: string }, s: DashboardState): e is MarketEvent {
  return isMarketType(e.type) && e.type !== 'Timer' && !(e.type === 'OptionQuote' && s.orders.watched.length > 0 && s.orders.watched.includes((e as MarketEvent & { symbol: string }).symbol));
}
