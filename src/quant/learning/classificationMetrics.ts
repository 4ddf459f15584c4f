/**
 * Out-of-sample quality of probability forecasts: ROC AUC (Mann–Whitney, ties counted one half), Brier score
 * (mean squared error of the probability) and reliability bins (equal-width on [0, 1]: count, mean forecast,
 * observed frequency) for calibration.json.
 */

/** AUC in [0, 1]; null when one class is absent. */
export function rocAuc(p: readonly number[], y: readonly number[]): number | null {
  const idx = p.map((_, i) => i).sort((i, j) => p[i]! - p[j]! || i - j);
  let pos = 0;
  for (const v of y) pos += v > 0.5 ? 1 : 0;
  const neg = y.length - pos;
  if (pos === 0 || neg === 0) return null;
  // Sum of positive ranks with average ranks on ties.
  let rankSum = 0;
  let i = 0;
  while (i < idx.length) {
    let j = i;
    while (j + 1 < idx.length && p[idx[j + 1]!] === p[idx[i]!]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (y[idx[k]!]! > 0.5) rankSum += avgRank;
    i = j + 1;
  }
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

export function brierScore(p: readonly number[], y: readonly number[]): number | null {
  if (p.length === 0) return null;
  let s = 0;
  for (let i = 0; i < p.length; i++) s += (p[i]! - y[i]!) ** 2;
  return s / p.length;
}

export interface ReliabilityBin {
  readonly lo: number;
  readonly hi: number;
  readonly count: number;
  /** Mean forecast in the bin (null when empty). */
  readonly meanP: number | null;
  /** Observed frequency of positives (null when empty). */
  readonly observed: number | null;
}

export function reliabilityBins(p: readonly number[], y: readonly number[], bins = 10): ReliabilityBin[] {
  const n = new Array<number>(bins).fill(0);
  const sp = new Array<number>(bins).fill(0);
  const sy = new Array<number>(bins).fill(0);
  for (let i = 0; i < p.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(p[i]! * bins)));
    n[b] = n[b]! + 1;
    sp[b] = sp[b]! + p[i]!;
    sy[b] = sy[b]! + y[i]!;
  }
  return n.map((c, b) => ({
    lo: b / bins,
    hi: (b + 1) / bins,
    count: c,
    meanP: c > 0 ? sp[b]! / c : null,
    observed: c > 0 ? sy[b]! / c : null,
  }));
}
