/**
 * Annualised Sortino ratio of per-period P&L: mean / downside deviation × √periodsPerYear, the downside deviation
 * being √(Σ min(r, 0)² / n) (target 0, all periods in the denominator). Null with fewer than two periods or no
 * losing period (undefined, not infinite).
 */
import { MINUTES_PER_YEAR } from './sharpeRatio.js';

export function sortinoRatio(returns: readonly number[], periodsPerYear = MINUTES_PER_YEAR): number | null {
  const n = returns.length;
  if (n < 2) return null;
  let sum = 0;
  let down = 0;
  for (const r of returns) {
    sum += r;
    if (r < 0) down += r * r;
  }
  const dd = Math.sqrt(down / n);
  if (!(dd > 1e-12)) return null;
  return (sum / n / dd) * Math.sqrt(periodsPerYear);
}
