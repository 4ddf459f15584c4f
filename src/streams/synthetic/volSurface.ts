/**
 * Implied volatility for the synthetic option quotes: an ATM level per underlying that moves with the synthetic
 * VIX, a term structure (the shortest expiries a little richer, decaying over a couple of days) and a skewed
 * smile in standardised moneyness m = ln(K/F) / (σ_atm √t): iv = σ_atm · (1 − 0.12 m + 0.04 m²), m clamped to
 * ±3.5, so downside strikes (OTM puts, ITM calls) are richer than upside ones, as in equity-index markets.
 */
import type { Underlying } from '../../domain/instruments.js';

/** ATM vol at a VIX ratio of 1 (current VIX / VIX at the open), per underlying. */
const BASE_ATM: Readonly<Record<Underlying, number>> = { SPX: 0.17, NDX: 0.21, SPY: 0.17, QQQ: 0.21 };

export function impliedVol(
  underlying: Underlying,
  forward: number,
  strike: number,
  tYears: number,
  vixRatio: number,
): number {
  const days = tYears * 365;
  const atm = BASE_ATM[underlying] * vixRatio * (1 + 0.12 * Math.exp(-days / 2));
  const sd = atm * Math.sqrt(Math.max(tYears, 1e-6));
  let m = Math.log(strike / forward) / sd;
  if (m > 3.5) m = 3.5;
  else if (m < -3.5) m = -3.5;
  return Math.max(0.05, atm * (1 - 0.12 * m + 0.04 * m * m));
}
