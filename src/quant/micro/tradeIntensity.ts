/**
 * TradeIntensity: prints per second over a rolling event-time window (now − windowMs, now].
 *
 * Counts every print (eligible or not: an odd lot is still activity). Warm-up: `value` null until a full window
 * of event time has passed since the first observation, so the rate is never divided over time we did not watch.
 */
import { RollingTimeWindow } from './rollingTimeWindow.js';

export class TradeIntensity {
  private readonly win: RollingTimeWindow;
  private first = Number.NaN;

  constructor(windowMs: number) {
    this.win = new RollingTimeWindow(windowMs);
  }

  get windowMs(): number {
    return this.win.windowMs;
  }

  update(ts: number): void {
    if (Number.isNaN(this.first)) this.first = ts;
    this.win.push(ts, 1);
  }

  advance(ts: number): void {
    if (Number.isNaN(this.first)) this.first = ts;
    this.win.evict(ts);
  }

  get value(): number | null {
    if (Number.isNaN(this.first) || this.win.time - this.first < this.win.windowMs) return null;
    return this.win.count / (this.win.windowMs / 1000);
  }

  /** Prints currently in the window. */
  get count(): number {
    return this.win.count;
  }

  reset(): void {
    this.win.clear();
    this.first = Number.NaN;
  }
}
