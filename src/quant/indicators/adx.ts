/**
 * Adx: Wilder's directional movement system (+DI, −DI, DX, ADX), streaming, TA-Lib seeding.
 *
 * Per bar i ≥ 1: up = high − prevHigh, down = prevLow − low; +DM = up if up > down and up > 0, −DM = down if
 * down > up and down > 0, else 0 (a tie gives neither); TR as in Atr.
 *
 * Seeding (TA-Lib `TA_ADX` / `TA_PLUS_DI` / `TA_MINUS_DI`, checked against TA-Lib's regression values):
 * - The Wilder sums of +DM, −DM and TR start as the plain sums over bars 1..N−1 (N−1 values), then take one
 *   Wilder step S = S − S/N + x at bar N. So +DI/−DI/DX first exist at bar index N (the N+1-th bar).
 * - The first ADX, at bar index 2N−1, is the mean of the N DX values of bars N..2N−1; then
 *   ADX = (ADX·(N−1) + DX) / N.
 * StockCharts (and Stock.Indicators / technicalindicators) seed the sums with bars 1..N instead; all converge
 * as the seed decays by ((N−1)/N)^k.
 *
 * Degenerate cases follow TA-Lib: when the smoothed TR is (near) zero both DIs are 0 and DX is undefined; an
 * undefined DX contributes 0 to the seed mean and leaves ADX unchanged afterwards.
 *
 * Warm-up: `plusDi`/`minusDi`/`dx` null for the first N bars, `value` (ADX) null for the first 2N−1 bars.
 */
import { trueRange, type Hlc } from './trueRange.js';

/** TA-Lib's TA_IS_ZERO threshold. */
const EPS = 1e-8;

export class Adx {
  readonly period: number;
  private bars = 0;
  private prevHigh = Number.NaN;
  private prevLow = Number.NaN;
  private prevClose = Number.NaN;
  private sPlus = 0;
  private sMinus = 0;
  private sTr = 0;
  private dxSum = 0;
  private pdi: number | null = null;
  private mdi: number | null = null;
  private dxv: number | null = null;
  private adx: number | null = null;

  constructor(period = 14) {
    if (!Number.isInteger(period) || period < 2) throw new Error(`Adx period must be an integer ≥ 2, got ${period}`);
    this.period = period;
  }

  update(bar: Hlc): number | null {
    const i = this.bars++;
    if (i === 0) {
      this.remember(bar);
      return null;
    }
    const n = this.period;
    const up = bar.high - this.prevHigh;
    const down = this.prevLow - bar.low;
    const plusDm = up > down && up > 0 ? up : 0;
    const minusDm = down > up && down > 0 ? down : 0;
    const tr = trueRange(bar, this.prevClose);
    this.remember(bar);

    if (i < n) {
      this.sPlus += plusDm;
      this.sMinus += minusDm;
      this.sTr += tr;
      return null;
    }
    this.sPlus += plusDm - this.sPlus / n;
    this.sMinus += minusDm - this.sMinus / n;
    this.sTr += tr - this.sTr / n;

    let dx: number | null = null;
    if (Math.abs(this.sTr) < EPS) {
      this.pdi = 0;
      this.mdi = 0;
    } else {
      const p = (100 * this.sPlus) / this.sTr;
      const m = (100 * this.sMinus) / this.sTr;
      this.pdi = p;
      this.mdi = m;
      const sum = p + m;
      if (Math.abs(sum) >= EPS) dx = (100 * Math.abs(p - m)) / sum;
    }
    this.dxv = dx;

    if (i < 2 * n - 1) {
      this.dxSum += dx ?? 0;
    } else if (i === 2 * n - 1) {
      this.dxSum += dx ?? 0;
      this.adx = this.dxSum / n;
    } else if (dx !== null && this.adx !== null) {
      this.adx = (this.adx * (n - 1) + dx) / n;
    }
    return this.adx;
  }

  /** ADX, null for the first 2N−1 bars. */
  get value(): number | null {
    return this.adx;
  }

  get plusDi(): number | null {
    return this.pdi;
  }

  get minusDi(): number | null {
    return this.mdi;
  }

  /** Last DX; null during warm-up or when undefined (+DI + −DI = 0). */
  get dx(): number | null {
    return this.dxv;
  }

  reset(): void {
    this.bars = 0;
    this.prevHigh = this.prevLow = this.prevClose = Number.NaN;
    this.sPlus = this.sMinus = this.sTr = 0;
    this.dxSum = 0;
    this.pdi = this.mdi = this.dxv = this.adx = null;
  }

  private remember(bar: Hlc): void {
    this.prevHigh = bar.high;
    this.prevLow = bar.low;
    this.prevClose = bar.close;
  }
}
