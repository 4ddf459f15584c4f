/**
 * Atr: Wilder's Average True Range, streaming, TA-Lib seeding.
 *
 * TR[i] = max(high − low, |high − close[i−1]|, |low − close[i−1]|), defined from the second bar on (bar 0 has
 * no previous close, and TA-Lib does not use its high − low).
 * Seeding (TA-Lib `TA_ATR`, also technicalindicators and Stock.Indicators): the first ATR, at bar index N
 * (the N+1-th bar), is the simple mean of TR[1..N]; after that ATR = (ATR·(N−1) + TR) / N.
 * StockCharts (bukosabino `ta`'s cs-atr.csv) instead averages TR[0..N−1] including bar 0's high − low; the two
 * converge as the seed decays by ((N−1)/N)^k.
 *
 * Warm-up: `value` null for the first N bars. State: previous close, TR sum during warm-up, current ATR.
 */
import { trueRange, type Hlc } from './trueRange.js';

export class Atr {
  readonly period: number;
  private prevClose = Number.NaN;
  private n = 0;
  private sum = 0;
  private atr: number | null = null;
  private tr: number | null = null;

  constructor(period = 14) {
    if (!Number.isInteger(period) || period < 1) throw new Error(`Atr period must be a positive integer, got ${period}`);
    this.period = period;
  }

  update(bar: Hlc): number | null {
    if (Number.isNaN(this.prevClose)) {
      this.prevClose = bar.close;
      return null;
    }
    const tr = trueRange(bar, this.prevClose);
    this.prevClose = bar.close;
    this.tr = tr;
    if (this.atr === null) {
      this.n++;
      this.sum += tr;
      if (this.n === this.period) this.atr = this.sum / this.period;
    } else {
      this.atr = (this.atr * (this.period - 1) + tr) / this.period;
    }
    return this.atr;
  }

  get value(): number | null {
    return this.atr;
  }

  /** Last true range (null before the second bar). */
  get trueRange(): number | null {
    return this.tr;
  }

  reset(): void {
    this.prevClose = Number.NaN;
    this.n = 0;
    this.sum = 0;
    this.atr = null;
    this.tr = null;
  }
}
