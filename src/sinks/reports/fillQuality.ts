/**
 * Fill-quality measures of one fill (per share unless named `_usd`). Sign convention: `side` +1 buy, −1 sell, so
 * every cost below is positive when it hurt us:
 *   slippage_vs_mid   = side × (fill − mid at decision)          (effective half-spread paid)
 *   slippage_usd      = slippage_vs_mid × quantity × 100
 *   slippage_spread   = slippage_vs_mid / spread at decision     (0.5 = paid the half spread, 1 = a full spread)
 *   vs_intended       = side × (fill − intended price)           (> 0: worse than the price we asked for)
 *   adverse_Ns        = −side × (mid N s after the fill − mid at the fill)   (> 0: the market moved against the
 *                       fill right after it — adverse selection)
 */
import type { FillRow } from './dayRecord.js';

export interface FillQuality {
  readonly midAtDecision: number | null;
  readonly spreadAtDecision: number | null;
  readonly midAtFill: number | null;
  readonly slippageVsMid: number | null;
  readonly slippageUsd: number | null;
  readonly slippageSpreadFrac: number | null;
  readonly vsIntended: number | null;
  readonly adverse1s: number | null;
  readonly adverse5s: number | null;
  readonly adverse30s: number | null;
}

const mid = (bid: number | null, ask: number | null) => (bid !== null && ask !== null && bid > 0 && ask > 0 ? (bid + ask) / 2 : null);

export function fillQuality(f: FillRow): FillQuality {
  const side = f.side === 'buy' ? 1 : -1;
  const md = mid(f.bidAtDecision, f.askAtDecision);
  const spread = md !== null ? f.askAtDecision! - f.bidAtDecision! : null;
  const mf = mid(f.bidAtFill, f.askAtFill);
  const slip = md !== null ? side * (f.fillPrice - md) : null;
  const adv = (m: number | null) => (m !== null && mf !== null ? -side * (m - mf) : null);
  return {
    midAtDecision: md,
    spreadAtDecision: spread,
    midAtFill: mf,
    slippageVsMid: slip,
    slippageUsd: slip !== null ? slip * f.quantity * 100 : null,
    slippageSpreadFrac: slip !== null && spread !== null && spread > 0 ? slip / spread : null,
    vsIntended: f.intendedPrice !== null ? side * (f.fillPrice - f.intendedPrice) : null,
    adverse1s: adv(f.midAfter1s),
    adverse5s: adv(f.midAfter5s),
    adverse30s: adv(f.midAfter30s),
  };
}
