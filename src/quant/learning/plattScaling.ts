/**
 * Platt scaling: P(y=1 | s) = σ(a·s + b) fitted on held-out scores s (log-odds of an uncalibrated model) by
 * Newton's method, with Platt's smoothed targets (N₊+1)/(N₊+2) and 1/(N₋+2) so a perfectly separated calibration
 * set cannot drive a, b to infinity. Deterministic. Identity (a=1, b=0) when there are no rows.
 */
import { sigmoid } from './logisticRegression.js';

export interface PlattState {
  readonly a: number;
  readonly b: number;
}

export function fitPlatt(scores: readonly number[], labels: readonly number[], maxIter = 100): PlattState {
  const n = scores.length;
  if (n === 0) return { a: 1, b: 0 };
  let pos = 0;
  for (const y of labels) pos += y > 0.5 ? 1 : 0;
  const neg = n - pos;
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (neg + 2);
  let a = 1;
  let b = 0;
  for (let it = 0; it < maxIter; it++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-9;
    let hab = 0;
    let hbb = 1e-9;
    for (let i = 0; i < n; i++) {
      const s = scores[i]!;
      const t = labels[i]! > 0.5 ? hi : lo;
      const p = sigmoid(a * s + b);
      const r = p - t;
      const w = Math.max(p * (1 - p), 1e-12);
      ga += r * s;
      gb += r;
      haa += w * s * s;
      hab += w * s;
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (!(Math.abs(det) > 1e-18)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) < 1e-10 && Math.abs(db) < 1e-10) break;
  }
  return { a, b };
}

export function applyPlatt(p: PlattState, score: number): number {
  return sigmoid(p.a * score + p.b);
}
