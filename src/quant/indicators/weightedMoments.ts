/**
 * WeightedMoments: volume-weighted mean and standard deviation of prices, accumulated one observation at a time.
 *
 * Uses West's (1979) weighted incremental update instead of Σw·p² / Σw − mean², which cancels catastrophically at
 * index levels (p² ≈ 3e7 for SPX): mean += (w/W)·δ, S += w·δ·(p − mean'), variance = S / W (population, i.e.
 * the volume-weighted dispersion of traded prices around VWAP — the usual VWAP-band σ).
 *
 * Warm-up: `mean`/`sigma` are null until some positive weight has been added. Zero-weight observations are ignored.
 */
export class WeightedMoments {
  private w = 0;
  private m = 0;
  private s = 0;
  private n = 0;

  add(price: number, weight: number): void {
    if (!(weight > 0)) return;
    this.n++;
    this.w += weight;
    const delta = price - this.m;
    this.m += (weight / this.w) * delta;
    this.s += weight * delta * (price - this.m);
  }

  /** Volume-weighted mean (VWAP), null before any volume. */
  get mean(): number | null {
    return this.w > 0 ? this.m : null;
  }

  /** Volume-weighted standard deviation, null before any volume. */
  get sigma(): number | null {
    return this.w > 0 ? Math.sqrt(Math.max(0, this.s / this.w)) : null;
  }

  get weight(): number {
    return this.w;
  }

  get count(): number {
    return this.n;
  }

  reset(): void {
    this.w = 0;
    this.m = 0;
    this.s = 0;
    this.n = 0;
  }
}
