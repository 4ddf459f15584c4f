/**
 * BarBuilder: OHLCV bars for one symbol and one interval, built from prints in event time.
 *
 * Windows are [start, start + interval), aligned to the Unix epoch (so 1m windows sit on NY minute boundaries:
 * the New York offset is a whole number of minutes). A print stamped exactly at a window end belongs to the
 * next window.
 *
 * - OHLC come from eligible prints only (a print whose conditions say it must not update the last price — odd lot,
 *   Form T, … — still counts in `volume` and `transactions`, never in OHLC).
 * - A window is closed, and its bar returned with `ts` = window end, by the first `advance(ts)` / `update(…)` whose
 *   event time reaches the window end: any event's time closes the bar, not only the next print on this symbol.
 * - No bar for a window without an eligible print: quiet seconds produce nothing (no flat "filler" bars). The
 *   volume of ineligible prints in such a window is therefore not reported anywhere.
 * - Index values (I:SPX) are fed as eligible prints with size 0, so index bars have volume 0 and
 *   `transactions` = number of index updates.
 * - A print from a window event time has already left (emitted or not) is late: it is dropped and counted in
 *   `lateDropped` rather than rewriting a bar downstream may already have acted on. A print slightly out of order
 *   within the still-open window is kept.
 *
 * State: the open window's accumulators and the last completed bar (`value`); `reset()` clears both.
 */
import type { Bar, BarInterval } from '../../domain/events.js';

export const INTERVAL_MS: Readonly<Record<BarInterval, number>> = { '1s': 1_000, '1m': 60_000 };

export interface Print {
  readonly ts: number;
  readonly price: number;
  readonly size: number;
  readonly eligible: boolean;
}

export class BarBuilder {
  readonly symbol: string;
  readonly interval: BarInterval;
  private readonly ms: number;

  private start = Number.NaN;
  private end = Number.NaN;
  private open = Number.NaN;
  private high = Number.NaN;
  private low = Number.NaN;
  private close = Number.NaN;
  private hasPrice = false;
  private volume = 0;
  private transactions = 0;
  private last: Bar | null = null;
  private late = 0;
  /** End of the last closed window; prints before it are late. */
  private closedUpTo = -Infinity;

  constructor(symbol: string, interval: BarInterval) {
    this.symbol = symbol;
    this.interval = interval;
    this.ms = INTERVAL_MS[interval];
  }

  /** Last completed bar, null before the first one. */
  get value(): Bar | null {
    return this.last;
  }

  /** Prints dropped because their window had already been emitted. */
  get lateDropped(): number {
    return this.late;
  }

  /** Window end of the open window (NaN when none is open): the event time at which `advance` will emit. */
  get pendingEnd(): number {
    return this.end;
  }

  /** Event time moved to `ts`: returns the bar whose window ended at or before `ts`, if any. */
  advance(ts: number): Bar | null {
    if (!(ts >= this.end)) return null; // also false while no window is open (end is NaN)
    const bar = this.hasPrice ? this.emit() : null;
    this.closedUpTo = this.end;
    this.clearWindow();
    return bar;
  }

  /**
   * Add a print; returns the bar that time closed (the previous window), if any. `now` is the event-time watermark
   * when the caller has one (defaults to the print's own ts): a print from a window that event time has already
   * left is late, whether or not that window produced a bar.
   */
  update(p: Print, now = p.ts): Bar | null {
    if (!Number.isFinite(p.price) || !Number.isFinite(p.size)) {
      throw new Error(`BarBuilder(${this.symbol}): non-finite print price=${p.price} size=${p.size} at ${p.ts}`);
    }
    const t = now > p.ts ? now : p.ts;
    const closed = this.advance(t);
    if (p.ts < this.start || p.ts < this.closedUpTo || p.ts < Math.floor(t / this.ms) * this.ms) {
      this.late++;
      return closed;
    }
    if (Number.isNaN(this.end)) {
      this.start = Math.floor(p.ts / this.ms) * this.ms;
      this.end = this.start + this.ms;
    }
    this.volume += p.size;
    this.transactions++;
    if (p.eligible) {
      if (!this.hasPrice) {
        this.open = this.high = this.low = p.price;
        this.hasPrice = true;
      } else {
        if (p.price > this.high) this.high = p.price;
        if (p.price < this.low) this.low = p.price;
      }
      this.close = p.price;
    }
    return closed;
  }

  reset(): void {
    this.clearWindow();
    this.last = null;
    this.late = 0;
    this.closedUpTo = -Infinity;
  }

  private emit(): Bar {
    const bar: Bar = {
      type: 'Bar',
      ts: this.end,
      symbol: this.symbol,
      interval: this.interval,
      start: this.start,
      open: this.open,
      high: this.high,
      low: this.low,
      close: this.close,
      volume: this.volume,
      transactions: this.transactions,
    };
    this.last = bar;
    return bar;
  }

  private clearWindow(): void {
    this.start = Number.NaN;
    this.end = Number.NaN;
    this.hasPrice = false;
    this.volume = 0;
    this.transactions = 0;
  }
}
