/** Largest peak-to-trough fall of an equity curve, in its units (≥ 0; 0 for a curve that never falls or is empty). */
export function maxDrawdown(equity: readonly number[]): number {
  let peak = -Infinity;
  let worst = 0;
  for (const e of equity) {
    if (e > peak) peak = e;
    else if (peak - e > worst) worst = peak - e;
  }
  return worst;
}
