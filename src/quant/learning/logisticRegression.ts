/**
 * L2-regularised logistic regression fitted by IRLS (Newton–Raphson on the penalised log-likelihood):
 *   w ← w − H⁻¹g,  g = Xᵀ(p − y) + λ·w̃,  H = Xᵀ diag(p(1−p)) X + λ·Ĩ
 * where the intercept (column 0, added internally) is not penalised (w̃, Ĩ zero it). Inputs are standardised with
 * the training means / standard deviations (kept in the model, applied at prediction), so λ acts evenly on every
 * feature. Deterministic: no randomness, same rows → bit-identical weights. Converges when the largest step
 * component is < `tol` or after `maxIter` steps.
 *
 * `weights` are on the standardised scale; `coefficients()` maps them back to the raw feature scale.
 */
import { choleskySolve } from './linalg.js';

export interface LogisticState {
  readonly dim: number;
  readonly lambda: number;
  /** [intercept, w₁…w_d] on standardised inputs. */
  readonly weights: readonly number[];
  readonly mean: readonly number[];
  readonly std: readonly number[];
  readonly iterations: number;
}

export interface LogisticOptions {
  readonly lambda?: number;
  readonly maxIter?: number;
  readonly tol?: number;
}

export const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

export class LogisticRegression {
  private constructor(private readonly s: LogisticState) {}

  static fit(x: readonly (readonly number[])[], y: readonly number[], opts: LogisticOptions = {}): LogisticRegression {
    const n = x.length;
    if (n === 0 || y.length !== n) throw new Error(`LogisticRegression.fit: need matching non-empty rows (x ${n}, y ${y.length})`);
    const d = x[0]!.length;
    const lambda = opts.lambda ?? 1;
    const maxIter = opts.maxIter ?? 50;
    const tol = opts.tol ?? 1e-8;
    const mean = new Array<number>(d).fill(0);
    const std = new Array<number>(d).fill(0);
    for (const r of x) {
      if (r.length !== d) throw new Error(`LogisticRegression.fit: ragged rows (${r.length} vs ${d})`);
      for (let j = 0; j < d; j++) mean[j] = mean[j]! + r[j]! / n;
    }
    for (const r of x) for (let j = 0; j < d; j++) std[j] = std[j]! + (r[j]! - mean[j]!) ** 2 / n;
    for (let j = 0; j < d; j++) std[j] = std[j]! > 1e-12 ? Math.sqrt(std[j]!) : 1;
    const p1 = d + 1;
    const z = x.map((r) => {
      const o = new Array<number>(p1);
      o[0] = 1;
      for (let j = 0; j < d; j++) o[j + 1] = (r[j]! - mean[j]!) / std[j]!;
      return o;
    });
    const w = new Array<number>(p1).fill(0);
    let it = 0;
    for (; it < maxIter; it++) {
      const g = new Array<number>(p1).fill(0);
      const h = new Array<number>(p1 * p1).fill(0);
      for (let i = 0; i < n; i++) {
        const zi = z[i]!;
        let eta = 0;
        for (let j = 0; j < p1; j++) eta += w[j]! * zi[j]!;
        const p = sigmoid(eta);
        const r = p - y[i]!;
        const s = Math.max(p * (1 - p), 1e-10);
        for (let j = 0; j < p1; j++) {
          g[j] = g[j]! + r * zi[j]!;
          const szj = s * zi[j]!;
          for (let k = 0; k <= j; k++) h[j * p1 + k] = h[j * p1 + k]! + szj * zi[k]!;
        }
      }
      for (let j = 0; j < p1; j++) for (let k = j + 1; k < p1; k++) h[j * p1 + k] = h[k * p1 + j]!;
      for (let j = 1; j < p1; j++) {
        g[j] = g[j]! + lambda * w[j]!;
        h[j * p1 + j] = h[j * p1 + j]! + lambda;
      }
      h[0] = h[0]! + 1e-9; // keeps the intercept's pivot positive when every label is equal
      const step = choleskySolve(h, g, p1);
      let maxStep = 0;
      for (let j = 0; j < p1; j++) {
        w[j] = w[j]! - step[j]!;
        maxStep = Math.max(maxStep, Math.abs(step[j]!));
      }
      if (maxStep < tol) {
        it++;
        break;
      }
    }
    return new LogisticRegression({ dim: d, lambda, weights: w, mean, std, iterations: it });
  }

  get dim(): number {
    return this.s.dim;
  }

  /** Linear score (log-odds) of a raw feature row. */
  logit(row: readonly number[]): number {
    const { weights: w, mean, std, dim } = this.s;
    if (row.length !== dim) throw new Error(`LogisticRegression: row has ${row.length} features, model ${dim}`);
    let eta = w[0]!;
    for (let j = 0; j < dim; j++) eta += w[j + 1]! * ((row[j]! - mean[j]!) / std[j]!);
    return eta;
  }

  predict(row: readonly number[]): number {
    return sigmoid(this.logit(row));
  }

  /** [intercept, β₁…β_d] on the raw feature scale. */
  coefficients(): number[] {
    const { weights: w, mean, std, dim } = this.s;
    const beta = new Array<number>(dim + 1).fill(0);
    let b0 = w[0]!;
    for (let j = 0; j < dim; j++) {
      beta[j + 1] = w[j + 1]! / std[j]!;
      b0 -= (w[j + 1]! * mean[j]!) / std[j]!;
    }
    beta[0] = b0;
    return beta;
  }

  toJSON(): LogisticState {
    return { ...this.s, weights: [...this.s.weights], mean: [...this.s.mean], std: [...this.s.std] };
  }

  static fromJSON(s: LogisticState): LogisticRegression {
    if (s.weights.length !== s.dim + 1 || s.mean.length !== s.dim || s.std.length !== s.dim) throw new Error('LogisticRegression.fromJSON: wrong dimensions');
    return new LogisticRegression(s);
  }
}
