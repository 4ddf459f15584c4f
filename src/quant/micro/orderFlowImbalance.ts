/**
 * OrderFlowImbalance: signed-volume imbalance of prints over a rolling event-time window,
 * (buyVolume − sellVolume) / (buyVolume + sellVolume) ∈ [−1, 1], with buy/sell from TradeSigner.
 *
 * This is the trade-flow form (volume-signed prints), not Cont–Kukanov–Stoikov's quote-based OFI. Unsigned prints
 * (sign 0) count in neither side.
 *
 * Window: (now − windowMs, now] in event time; entries leave when `update`/`advance` moves time past them.
 * Warm-up: `value` is null until a full window of event time has passed since the first observation (a
 * half-filled window over-weights the first prints). Afterwards a window without signed volume reads 0 (no
 * imbalance), not null. `buyVolume`/`sellVolume`/`netVolume` are always available.
 */
import { RollingTimeWindow } from './rollingTimeWindow.js';

export class OrderFlowImbalance {
  private readonly win: RollingTimeWindow;
  private first = Number.NaN;

  constructor(windowMs: number) {
    this.win = new RollingTimeWindow(windowMs);
  }

  get windowMs(): number {
    return this.win.windowMs;
  }

  update(ts: number, sign: -1 | 0 | 1, size: number): void {
    if (Number.isNaN(this.first)) this.first = ts;
    this.win.push(ts, sign > 0 ? size : 0, sign < 0 ? size : 0);
  }

  advance(ts: number): void {
    if (Number.isNaN(this.first)) this.first = ts;
    this.win.evict(ts);
  }

  get value(): number | null {
    if (Number.isNaN(this.first) || this.win.time - this.first < this.win.windowMs) return null;
    const total = this.win.sumA + this.win.sumB;
    return total > 0 ? (this.win.sumA - this.win.sumB) / total : 0;
  }

  get buyVolume(): number {
    return this.win.sumA;
  }

  get sellVolume(): number {
    return this.win.sumB;
  }

  get netVolume(): number {
    return this.win.sumA - this.win.sumB;
  }

  reset(): void {
    this.win.clear();
    this.first = Number.NaN;
  }
}
