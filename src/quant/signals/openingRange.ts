/**
 * OpeningRange: high and low of the price over the first `rangeMin` minutes of a session, in event time.
 *
 * `value` is null until the window has closed, and stays null for the session when the first observation came
 * later than `startGraceSec` after the open (a feed that started mid-window never saw the real range). Samples
 * at ts ≤ open + rangeMin are inside the window (records are stamped with their bar's end). A new session date
 * starts a new range.
 */
import type { Session } from '../../domain/calendar.js';

export interface OpeningRangeValue {
  readonly high: number;
  readonly low: number;
}

export class OpeningRange {
  private date: string | null = null;
  private valid = false;
  private high = Number.NEGATIVE_INFINITY;
  private low = Number.POSITIVE_INFINITY;
  private complete = false;

  constructor(
    private readonly rangeMin: number,
    private readonly startGraceSec: number,
  ) {}

  update(ts: number, price: number, session: Session | null): void {
    if (session === null) return;
    if (session.date !== this.date) {
      this.reset();
      this.date = session.date;
    }
    const t = ts - session.open;
    if (t <= 0) return;
    if (t <= this.rangeMin * 60_000) {
      if (this.high === Number.NEGATIVE_INFINITY) this.valid = t <= this.startGraceSec * 1000;
      if (price > this.high) this.high = price;
      if (price < this.low) this.low = price;
    } else {
      this.complete = true;
    }
  }

  get value(): OpeningRangeValue | null {
    return this.complete && this.valid && this.high >= this.low ? { high: this.high, low: this.low } : null;
  }

  reset(): void {
    this.date = null;
    this.valid = false;
    this.high = Number.NEGATIVE_INFINITY;
    this.low = Number.POSITIVE_INFINITY;
    this.complete = false;
  }
}
