/**
 * Market events: the one stream every source emits and every operator reads.
 *
 * Time: `ts` is event time in epoch milliseconds as a float (sub-millisecond precision kept; flat files give
 * nanoseconds and are converted once at the edge, see `nsToMs`). Live sources also set `tsRecv`, the wall-clock
 * receive time; nothing downstream may use it for decisions, only to measure lag.
 *
 * A Bar's `ts` is the END of its window (the moment the bar is known), never the start: emitting a bar at its
 * start would leak the window's future prices into everything that reads it.
 */

/** Trade print on an underlying (SPY, QQQ). `conditions` empty when the feed gave none. */
export interface Trade {
  readonly type: 'Trade';
  readonly ts: number;
  readonly tsRecv?: number;
  readonly symbol: string;
  readonly price: number;
  readonly size: number;
  readonly exchange: number;
  readonly conditions: readonly number[];
  /** False when a condition code says the print must not update the last price (odd lot, Form T, …). */
  readonly eligible: boolean;
  readonly seq: number;
}

/** NBBO quote on an underlying. A side with price 0 means no quote on that side. */
export interface Quote {
  readonly type: 'Quote';
  readonly ts: number;
  readonly tsRecv?: number;
  readonly symbol: string;
  readonly bid: number;
  readonly bidSize: number;
  readonly ask: number;
  readonly askSize: number;
  readonly bidExchange: number;
  readonly askExchange: number;
  readonly seq: number;
}

export type BarInterval = '1s' | '1m';

/** OHLCV bar; `ts` is the window end (start + interval), `start` the window start. */
export interface Bar {
  readonly type: 'Bar';
  readonly ts: number;
  readonly tsRecv?: number;
  readonly symbol: string;
  readonly interval: BarInterval;
  readonly start: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** 0 for index bars, which carry no volume. */
  readonly volume: number;
  readonly transactions: number;
}

/** Index value (I:SPX, I:NDX): roughly one a second from the index calculator. */
export interface IndexValue {
  readonly type: 'IndexValue';
  readonly ts: number;
  readonly tsRecv?: number;
  readonly symbol: string;
  readonly value: number;
}

/** Option trade; `symbol` is the Polygon form `O:SPXW250314C05700000`, price per share, size in contracts. */
export interface OptionTrade {
  readonly type: 'OptionTrade';
  readonly ts: number;
  readonly tsRecv?: number;
  readonly symbol: string;
  readonly price: number;
  readonly size: number;
  readonly exchange: number;
  readonly conditions: readonly number[];
  /** False for late, out-of-sequence, multi-leg and stock-tied prints (OPRA conditions), which are not a last price. */
  readonly eligible: boolean;
}

/** Option NBBO quote; sizes in contracts; a 0 price side is one-sided (no bid / no offer). */
export interface OptionQuote {
  readonly type: 'OptionQuote';
  readonly ts: number;
  readonly tsRecv?: number;
  readonly symbol: string;
  readonly bid: number;
  readonly bidSize: number;
  readonly ask: number;
  readonly askSize: number;
  readonly bidExchange: number;
  readonly askExchange: number;
  readonly seq: number;
}

/** One contract of a chain snapshot (REST). Greeks and IV may be missing: never assume them. */
export interface ChainEntry {
  readonly symbol: string;
  readonly bid: number | null;
  readonly ask: number | null;
  readonly bidSize: number | null;
  readonly askSize: number | null;
  readonly last: number | null;
  readonly iv: number | null;
  readonly delta: number | null;
  readonly gamma: number | null;
  readonly theta: number | null;
  readonly vega: number | null;
  readonly openInterest: number | null;
  /** Event time of the contract's last quote update, epoch ms. */
  readonly updated: number | null;
}

export interface ChainSnapshot {
  readonly type: 'ChainSnapshot';
  readonly ts: number;
  readonly tsRecv?: number;
  /** Polygon underlying asset, e.g. `I:SPX`, `SPY`. */
  readonly underlying: string;
  readonly underlyingPrice: number | null;
  readonly contracts: readonly ChainEntry[];
}

/** Wall-clock tick injected by the live heartbeat source only, so event time advances when the market is quiet. */
export interface Heartbeat {
  readonly type: 'Heartbeat';
  readonly ts: number;
}

export type TimerName =
  | 'PreOpen'
  | 'SessionOpen'
  | 'EntryCutoff'
  | 'Flatten'
  | 'SessionClose'
  | 'HaltWindowStart'
  | 'HaltWindowEnd';

/** Emitted by the clock operator when event time crosses a boundary; `at` is the boundary, `ts` the crossing event's time. */
export interface Timer {
  readonly type: 'Timer';
  readonly ts: number;
  readonly name: TimerName;
  readonly at: number;
  readonly label?: string;
}

export type MarketEvent =
  | Trade
  | Quote
  | Bar
  | IndexValue
  | OptionTrade
  | OptionQuote
  | ChainSnapshot
  | Heartbeat
  | Timer;

export type MarketEventType = MarketEvent['type'];

export const MARKET_EVENT_TYPES: readonly MarketEventType[] = [
  'Trade',
  'Quote',
  'Bar',
  'IndexValue',
  'OptionTrade',
  'OptionQuote',
  'ChainSnapshot',
  'Heartbeat',
  'Timer',
];

const MARKET_TYPES = new Set<string>(MARKET_EVENT_TYPES);

/** Whether an item type is a market-data type (as opposed to a decision, order or state event). */
export function isMarketType(type: string): boolean {
  return MARKET_TYPES.has(type);
}

/** Whether a pipeline item is market data (a type guard). */
export function isMarketEvent(x: { readonly type: string }): x is MarketEvent {
  return MARKET_TYPES.has(x.type);
}

/** Exhaustiveness guard for switches over tagged unions. */
export function assertNever(x: never, what = 'value'): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(x)}`);
}
