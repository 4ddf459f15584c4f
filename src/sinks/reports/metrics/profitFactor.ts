/** Gross profit / gross loss of a trade list's P&L. Null when there is no loss (undefined); 0 with only losers. */
export function profitFactor(pnls: readonly number[]): number | null {
  let won = 0;
  let lost = 0;
  for (const p of pnls) {
    if (p > 0) won += p;
    else if (p < 0) lost -= p;
  }
  return lost > 0 ? won / lost : null;
}
