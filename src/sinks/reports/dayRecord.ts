/**
 * DayRecord: everything the backtest reports need from one replayed day, as plain data (it crosses worker-thread
 * boundaries by structured clone). Built by RunRecorder from the pipeline's events; the reports (summary.csv,
 * trades.csv, fill_quality.csv, calibration.json, report.html) are pure functions of a list of these, so the same
 * days give the same bytes whichever worker ran them.
 *
 * Money is in dollars (option prices are per share, ×100 per contract); times are event time (epoch ms).
 */
import type { Features } from '../../operators/features/featuresRecord.js';

/** One round trip (a bracket from its first entry fill until it is flat again). */
export interface TradeRow {
  readonly date: string;
  /** The bracket's id (OrderIntent.id). */
  readonly id: string;
  readonly underlying: string;
  readonly playbook: string;
  readonly signalId: string;
  readonly optionSymbol: string;
  readonly right: string;
  readonly strike: number | null;
  readonly expiry: string;
  readonly quantity: number;
  readonly entryTs: number;
  readonly exitTs: number;
  /** Average entry and exit fill prices, per share. */
  readonly entryPrice: number;
  readonly exitPrice: number;
  /** Before fees. */
  readonly grossPnl: number;
  readonly fees: number;
  readonly netPnl: number;
  /** Dollars at risk at entry: (entry average − the intent's option stop) × 100 × quantity; null when ≤ 0. */
  readonly risk: number | null;
  /** netPnl / risk. */
  readonly rMultiple: number | null;
  /** The SignalIntent's reason (why the playbook fired). */
  readonly entryReason: string;
  /** Why the position was closed: the OMS's closing reason, else the leg that flattened it (target, stop, expiry). */
  readonly exitReason: string;
  readonly pWin: number | null;
  readonly strength: number | null;
  /** The underlying's last Features record at or before the signal (null if none yet). */
  readonly features: Features | null;
}

/** One fill (an ExecutionReport with fillQuantity > 0) and how good it was. Per-share prices. */
export interface FillRow {
  readonly date: string;
  readonly orderId: string;
  readonly bracketId: string;
  readonly leg: string;
  readonly status: string;
  readonly optionSymbol: string;
  readonly side: 'buy' | 'sell';
  readonly ts: number;
  readonly quantity: number;
  readonly fillPrice: number;
  readonly fees: number;
  /** Entry: the intent's limit; target: take-profit; stop: the stop in force; exit: the bid when the close began. */
  readonly intendedPrice: number | null;
  /** When the order's price was decided (entry: the intent; exits: when the close began / stop was last set). */
  readonly decisionTs: number | null;
  readonly bidAtDecision: number | null;
  readonly askAtDecision: number | null;
  readonly bidAtFill: number | null;
  readonly askAtFill: number | null;
  readonly timeToFillMs: number | null;
  /** Cumulative quantity of the order after this fill / the order's quantity. */
  readonly fillRatio: number | null;
  /** Prevailing option mid 1 s, 5 s and 30 s (event time) after the fill; null when the data ended first. */
  readonly midAfter1s: number | null;
  readonly midAfter5s: number | null;
  readonly midAfter30s: number | null;
}

export interface DataFileRecord {
  readonly dataset: string;
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface DayRecord {
  readonly date: string;
  /** Session open / close (epoch ms) and the 1-minute equity grid's length. */
  readonly open: number;
  readonly close: number;
  readonly trades: readonly TradeRow[];
  readonly fills: readonly FillRow[];
  /**
   * Equity (realised + open positions marked at the option mid, fees included) at the open and at every minute
   * boundary after it, per group: `all`, `playbook:<name>`, `underlying:<U>`. Only groups that traded appear.
   */
  readonly equity: Readonly<Record<string, readonly number[]>>;
  /** Time with a position open, ms, per group (union of the group's holding intervals). */
  readonly exposureMs: Readonly<Record<string, number>>;
  readonly signals: number;
  readonly decisionsHash: string;
}

export const GROUP_ALL = 'all';

/** A day's 1-minute equity for `group`: its recorded curve, or flat zero over the session when it did not trade. */
export function dayEquity(d: DayRecord, group: string): readonly number[] {
  return d.equity[group] ?? new Array<number>(Math.round((d.close - d.open) / 60_000) + 1).fill(0);
}

/**
 * The days' 1-minute equity curves for `group` chained into one (each day starts where the previous ended), and
 * the index where each day starts in it.
 */
export function chainedEquity(days: readonly DayRecord[], group: string): { readonly curve: number[]; readonly dayStarts: number[] } {
  const curve: number[] = [];
  const dayStarts: number[] = [];
  let base = 0;
  for (const d of days) {
    const e = dayEquity(d, group);
    dayStarts.push(curve.length);
    for (const x of e) curve.push(base + x);
    base += e[e.length - 1] ?? 0;
  }
  return { curve, dayStarts };
}
