/**
 * Triple-barrier labels (López de Prado, AFML ch. 3) for a SignalIntent, on the UNDERLYING's levels it carries:
 * walk the underlying's later prices until the first of
 *   - the target (`underlyingTarget`: ≥ for calls, ≤ for puts)  → label 1, R = |target − ref| / |ref − stop|
 *   - the stop   (`underlyingStop`:   ≤ for calls, ≥ for puts)  → label 0, R = −1
 *   - the time stop (`timeStop`, or the end of the path)         → label 0, R = signed move / |ref − stop|
 * The label answers the meta-labeling question "target before stop?"; R (the R-multiple on the underlying) is the
 * bandit's offline reward. Offline only (training labels): it reads prices AFTER the signal by construction.
 *
 * `path` must be in non-decreasing ts; only points with ts > intent.ts are used.
 */
import type { SignalIntent } from '../../domain/orders.js';

export interface PricePoint {
  readonly ts: number;
  readonly price: number;
}

export interface BarrierLabel {
  readonly label: 0 | 1;
  readonly outcome: 'target' | 'stop' | 'time';
  readonly r: number;
  readonly exitTs: number;
}

type Levels = Pick<SignalIntent, 'ts' | 'direction' | 'refPrice' | 'underlyingStop' | 'underlyingTarget' | 'timeStop'>;

/** A signal's planned reward/risk on the underlying, |target − ref| / |ref − stop|; null when the stop is at ref. */
export function rewardRisk(i: Pick<SignalIntent, 'refPrice' | 'underlyingStop' | 'underlyingTarget'>): number | null {
  const risk = Math.abs(i.refPrice - i.underlyingStop);
  return risk > 0 ? Math.abs(i.underlyingTarget - i.refPrice) / risk : null;
}

/** First index with ts > t (binary search). */
export function firstAfter(path: readonly PricePoint[], t: number): number {
  let lo = 0;
  let hi = path.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (path[mid]!.ts <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function tripleBarrier(intent: Levels, path: readonly PricePoint[]): BarrierLabel {
  const dir = intent.direction === 'calls' ? 1 : -1;
  const risk = Math.abs(intent.refPrice - intent.underlyingStop);
  if (!(risk > 0)) throw new Error(`tripleBarrier: stop equals the reference price (${intent.refPrice})`);
  const reward = rewardRisk(intent)!;
  let lastPrice = intent.refPrice;
  let lastTs = intent.ts;
  for (let i = firstAfter(path, intent.ts); i < path.length; i++) {
    const pt = path[i]!;
    if (pt.ts > intent.timeStop) break;
    const px = pt.price;
    if (dir * (px - intent.underlyingTarget) >= 0) return { label: 1, outcome: 'target', r: reward, exitTs: pt.ts };
    if (dir * (px - intent.underlyingStop) <= 0) return { label: 0, outcome: 'stop', r: -1, exitTs: pt.ts };
    lastPrice = px;
    lastTs = pt.ts;
  }
  return { label: 0, outcome: 'time', r: (dir * (lastPrice - intent.refPrice)) / risk, exitTs: lastTs };
}
