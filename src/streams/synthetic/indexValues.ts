/**
 * Synthetic index values (`us_indices/values_v1`: `ticker,value,timestamp`): I:NDX, I:SPX and the decoy I:VIX,
 * about once a second during regular hours, ticker by ticker in timestamp order.
 *
 * Values come from the shared latent paths, so I:SPX tracks SPY (×10.03) and I:NDX tracks QQQ (×41) with a small
 * independent basis wobble. Each print lands a random 0–80 ms after its second, and about 1 % of seconds are
 * skipped, as the real calculator's cadence is not perfectly regular. Values are rounded to cents.
 */
import type { Prng } from '../../quant/prng.js';
import type { CsvGzWriter } from './csvGzWriter.js';
import { INDEX_TICKERS, interpolate, type MarketPaths } from './marketPaths.js';
import { nsText } from './nsText.js';

export interface IndexValuesSpec {
  readonly paths: MarketPaths;
  /** First and last second to print, epoch ms (whole seconds). */
  readonly fromMs: number;
  readonly toMs: number;
  readonly prng: Prng;
  readonly out: CsvGzWriter;
}

export async function writeIndexValues(spec: IndexValuesSpec): Promise<void> {
  const { paths, fromMs, toMs, out } = spec;
  if (fromMs % 1000 !== 0 || toMs % 1000 !== 0) throw new Error('index value window must be whole seconds');
  const baseSec = fromMs / 1000;
  for (const ticker of INDEX_TICKERS) {
    const r = spec.prng.fork(`index/${ticker}`);
    const grid = paths.grid(ticker);
    for (let sec = 0; fromMs + sec * 1000 <= toMs; sec++) {
      if (sec > 0 && r.chance(0.01)) continue;
      const offNs = sec * 1e9 + r.int(0, 80_000) * 1000;
      const ms = fromMs + offNs / 1e6;
      const v = Math.round(interpolate(grid, paths.startMs, paths.stepMs, ms) * 100) / 100;
      out.add(`${ticker},${v},${nsText(baseSec, offNs)}`);
      if (out.waiting) await out.waiting;
    }
  }
}
