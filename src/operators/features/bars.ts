/**
 * bars: 1s / 1m OHLCV bars built from prints in event time.
 *
 * Input events: every MarketEvent. Trade on a configured symbol → a print (OHLC from eligible prints only, volume
 * and transactions from all); IndexValue on a configured symbol (I:SPX, I:NDX) → a print of size 0 (index bars
 * carry volume 0). Every event's `ts` — Quote, Heartbeat, Timer, anything — advances event time.
 * Source `Bar` events (Polygon minute aggregates) are NOT merged in: they only advance time, so a bar is never
 * counted twice.
 * Output events: `Bar` with `ts` = window END, emitted by the first event whose time reaches the window end (before
 * that event's own print is applied: a print at exactly the end belongs to the next window). Bars closed by the same
 * event come out ordered by ts, then by configured symbol order, then configured interval order.
 * State (per subscription): one BarBuilder per symbol × interval; the event-time watermark.
 * Warm-up: none. No bar for a window without eligible prints (quiet seconds produce nothing); an open window is
 * not flushed on completion (it never ended in event time). Late prints (window already emitted) are dropped.
 * Time: event time only — max `ts` seen; no timers, no wall clock.
 */
import { Observable, type OperatorFunction } from 'rxjs';
import type { Bar, BarInterval, MarketEvent } from '../../domain/events.js';
import { BarClock } from '../../quant/indicators/barClock.js';

export interface BarsConfig {
  /** Trade symbols (SPY, QQQ) and index tickers (I:SPX, I:NDX) to build bars for. */
  readonly symbols: readonly string[];
  /** Default ['1s', '1m']. */
  readonly intervals?: readonly BarInterval[];
}

export function bars(config: BarsConfig): OperatorFunction<MarketEvent, Bar> {
  const intervals = config.intervals ?? (['1s', '1m'] as const);
  return (source) =>
    new Observable<Bar>((subscriber) => {
      const clock = new BarClock(config.symbols, intervals);
      return source.subscribe({
        next(ev) {
          const closed = clock.onEvent(ev);
          if (closed !== null) for (const b of closed) subscriber.next(b);
        },
        error(err: unknown) {
          subscriber.error(err);
        },
        complete() {
          subscriber.complete();
        },
      });
    });
}
