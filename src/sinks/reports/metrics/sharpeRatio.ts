/**
 * Annualised Sharpe ratio of per-period P&L: mean / sample standard deviation (n − 1) × √periodsPerYear, with a
 * zero risk-free rate (intraday option scalping holds no cash leg worth charging). The ratio is scale-free, so
 * dollar P&L per minute serves as the return series without a capital base.
 * Null when it is not defined: fewer than two periods or zero variance (a flat curve, or a constant drift).
 */
export const MINUTES_PER_YEAR = 252 * 390;

export function sharpeRatio(returns: readonly number[], periodsPerYear = MINUTES_PER_YEAR): number | null {
  const n = returns.length;
  if (n < 2) return null;
  let sum = 0;
  for (const r of returns) sum += r;
  const mean = sum / n;
  let ss = 0;
  for (const r of returns) ss += (r - mean) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  if (!(sd > 1e-12)) return null;
  return (mean / sd) * Math.sqrt(periodsPerYear);
}
