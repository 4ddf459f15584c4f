/**
 * resolveExpiry: a signal's contract wish → the option root and expiry to trade, given what the chain view
 * has fresh quotes for.
 *   - '0dte': the PM-settled root expiring today (`zeroDteRoot`: SPXW for SPX, NDXP for NDX, SPY, QQQ); when
 *     none is listed today or it has no fresh quotes, the next expiry if `fallbackToNext`.
 *   - 'next': the first expiry after today of the underlying's PM-settled root (AM-settled SPX/NDX monthlies
 *     are never chosen: their last trade is the day before expiry and they settle on the next open).
 * Null when the chosen expiry has no fresh two-sided quote.
 */
import { hasExpiry, nextExpiry, zeroDteRoot } from '../../domain/expirations.js';
import { ROOT_INFO, UNDERLYING_INFO, type OptionRoot, type Underlying } from '../../domain/instruments.js';
import { addDays } from '../../domain/time.js';
import type { ChainView } from './chainView.js';

export interface ResolvedExpiry {
  readonly root: OptionRoot;
  readonly expiry: string;
}

export function resolveExpiry(
  underlying: Underlying,
  wish: '0dte' | 'next',
  date: string,
  chain: ChainView,
  ts: number,
  maxAgeMs: number,
  fallbackToNext: boolean,
): ResolvedExpiry | null {
  if (wish === '0dte') {
    const root = zeroDteRoot(underlying, date);
    if (root !== null && hasExpiry(root, date) && chain.hasFresh(root, date, ts, maxAgeMs)) return { root, expiry: date };
    if (!fallbackToNext) return null;
  }
  let best: ResolvedExpiry | null = null;
  for (const root of UNDERLYING_INFO[underlying].roots) {
    if (ROOT_INFO[root].settlement !== 'PM') continue;
    const expiry = nextExpiry(root, addDays(date, 1));
    if (best === null || expiry < best.expiry) best = { root, expiry };
  }
  return best !== null && chain.hasFresh(best.root, best.expiry, ts, maxAgeMs) ? best : null;
}
