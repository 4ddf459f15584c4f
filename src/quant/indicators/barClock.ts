/**
 * BarClock: the bar builders of several symbols × intervals driven by one event-time clock (used by the `bars`
 * and `features` operators).
 *
 * `onEvent` first advances every builder to the event's time and returns the bars that closed — ordered by ts,
 * then symbol order, then interval order as configured — and only then applies the event's own print (Trade →
 * print; IndexValue → print of size 0). Event time is the max ts seen, so a slightly out-of-order event never
 * moves the clock back. The earliest pending window end is cached, so an event that closes nothing costs one
 * comparison.
 */
import type { Bar, BarInterval, MarketEvent } from '../../domain/events.js';
import { BarBuilder } from './barBuilder.js';

export class BarClock {
  readonly builders: readonly BarBuilder[];
  private readonly bySymbol = new Map<string, BarBuilder[]>();
  private now = Number.NEGATIVE_INFINITY;
  private nextDue = Number.POSITIVE_INFINITY;

  constructor(symbols: readonly string[], intervals: readonly BarInterval[]) {
    const all: BarBuilder[] = [];
    for (const s of symbols) {
      const list = intervals.map((i) => new BarBuilder(s, i));
      this.bySymbol.set(s, list);
      all.push(...list);
    }
    this.builders = all;
  }

  /** Event-time watermark (max ts seen). */
  get time(): number {
    return this.now;
  }

  /** Advance to `ev.ts`; returns the bars that closed (null when none — no allocation on the hot path). */
  onEvent(ev: MarketEvent): Bar[] | null {
    const closed = this.advance(ev.ts);
    if (ev.type === 'Trade' || ev.type === 'IndexValue') {
      const list = this.bySymbol.get(ev.symbol);
      if (list !== undefined) {
        const print =
          ev.type === 'Trade'
            ? { ts: ev.ts, price: ev.price, size: ev.size, eligible: ev.eligible }
            : { ts: ev.ts, price: ev.value, size: 0, eligible: true };
        for (const b of list) {
          b.update(print, this.now);
          const end = b.pendingEnd;
          if (end < this.nextDue) this.nextDue = end;
        }
      }
    }
    return closed;
  }

  /** Move event time to `ts` (never backwards) and return the bars that closed, ordered. */
  advance(ts: number): Bar[] | null {
    if (ts > this.now) this.now = ts;
    if (!(this.now >= this.nextDue)) return null;
    let out: Bar[] | null = null;
    let due = Number.POSITIVE_INFINITY;
    for (const b of this.builders) {
      const bar = b.advance(this.now);
      if (bar !== null) (out ??= []).push(bar);
      const end = b.pendingEnd;
      if (end < due) due = end;
    }
    this.nextDue = due;
    // Builders are in (symbol, interval) config order; a stable sort by ts keeps that order among equal ts.
    // In place and allocation-free (runs every second of event time): insertion sort, stable like Array#sort.
    if (out !== null) {
      for (let i = 1; i < out.length; i++) {
        const x = out[i]!;
        let j = i - 1;
        while (j >= 0 && out[j]!.ts > x.ts) {
          out[j + 1] = out[j]!;
          j--;
        }
        out[j + 1] = x;
      }
    }
    return out;
  }
}
