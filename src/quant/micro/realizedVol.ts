/**
 * RealizedVol: annualised realised volatility from bar-close log returns over a rolling event-time window.
 *
 * Convention (documented because every desk differs):
 * - r = ln(close / previous close) for consecutive bars; squared returns are summed WITHOUT demeaning (at 1 s–1 m
 *   horizons the mean is noise).
 * - Time-normalised: σ²_ann = Σ r² / Σ Δt · Y, where Δt is each return's span in seconds (bar end − previous bar
 *   end). Quiet seconds with no bar are thus handled exactly: a return spanning 3 s counts as 3 s of variance.
 * - Y = annualizationSeconds, default 252 × 6.5 h × 3600 s = 5,896,800 regular-session seconds per year
 *   (trading-time, overnight excluded). Multiply by √(365·86400 / Y) ≈ 2.31 to compare with a calendar-time IV.
 * - A return spanning more than maxGapMs (overnight, a halt, a feed gap) is not a diffusion step: it is skipped
 *   and the next bar starts afresh.
 * - Window: returns whose bar end lies in (now − windowMs, now].
 *
 * Input: `{ ts, close }` with ts = bar END. Warm-up: null until event time has covered one full window since the
 * first bar and the window holds at least `minReturns` returns.
 */
import { RollingTimeWindow } from './rollingTimeWindow.js';

export const TRADING_SECONDS_PER_YEAR = 252 * 6.5 * 3600;

export interface RealizedVolConfig {
  readonly windowMs: number;
  readonly annualizationSeconds?: number;
  readonly maxGapMs?: number;
  readonly minReturns?: number;
}

export class RealizedVol {
  private readonly win: RollingTimeWindow;
  private readonly yearSeconds: number;
  private readonly maxGapMs: number;
  private readonly minReturns: number;
  private prevTs = Number.NaN;
  private prevClose = Number.NaN;
  private first = Number.NaN;

  constructor(cfg: RealizedVolConfig) {
    this.win = new RollingTimeWindow(cfg.windowMs);
    this.yearSeconds = cfg.annualizationSeconds ?? TRADING_SECONDS_PER_YEAR;
    this.maxGapMs = cfg.maxGapMs ?? 60_000;
    this.minReturns = cfg.minReturns ?? 2;
  }

  update(bar: { readonly ts: number; readonly close: number }): number | null {
    if (!(bar.close > 0)) throw new Error(`RealizedVol: non-positive close ${bar.close} at ${bar.ts}`);
    if (Number.isNaN(this.first)) this.first = bar.ts;
    const dt = bar.ts - this.prevTs;
    if (dt > 0 && dt <= this.maxGapMs) {
      const r = Math.log(bar.close / this.prevClose);
      this.win.push(bar.ts, r * r, dt / 1000);
    } else {
      this.win.evict(bar.ts);
    }
    this.prevTs = bar.ts;
    this.prevClose = bar.close;
    return this.value;
  }

  /** Move event time without a bar (evicts old returns). */
  advance(ts: number): void {
    if (Number.isNaN(this.first)) this.first = ts;
    this.win.evict(ts);
  }

  get value(): number | null {
    if (Number.isNaN(this.first) || this.win.time - this.first < this.win.windowMs) return null;
    if (this.win.count < this.minReturns || !(this.win.sumB > 0)) return null;
    return Math.sqrt((this.win.sumA / this.win.sumB) * this.yearSeconds);
  }

  reset(): void {
    this.win.clear();
    this.prevTs = Number.NaN;
    this.prevClose = Number.NaN;
    this.first = Number.NaN;
  }
}
