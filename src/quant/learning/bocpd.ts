/**
 * Bayesian online change-point detection (Adams & MacKay 2007) with a constant hazard H = 1/λ and a normal-gamma
 * conjugate model of the observations (unknown mean AND variance), so both shifts in the mean of 1-minute returns
 * and shifts in their volatility move the run-length posterior. The predictive of each run length is the Student-t
 *   x | r ~ t_{2α}(μ, β(κ+1)/(ακ)).
 *
 * Per observation x_t (message passing over run lengths r = 0…maxRun):
 *   growth  P(r_t = r+1, x_1:t) = P(r_{t−1} = r, x_1:t−1) · π_r(x_t) · (1 − H)
 *   change  P(r_t = 0,   x_1:t) = Σ_r P(r_{t−1} = r, x_1:t−1) · π_r(x_t) · H
 * then normalised; the run-length mass beyond `maxRun` is folded into the last cell (bounded memory). Sufficient
 * statistics update as μ' = (κμ + x)/(κ+1), κ' = κ+1, α' = α + ½, β' = β + κ(x − μ)²/(2(κ+1)); r = 0 takes the prior.
 *
 * Detection rule (what the operator turns into a ChangePoint): `pShort` = P(r_t < `shortRun`) — the posterior mass
 * on "the current regime began only a few observations ago". After a change that mass jumps from ≈ H·shortRun to
 * near 1 within a few observations; `update` reports `changed` when it crosses `threshold` and at least
 * `minSeparation` observations have passed since the last report (and since the start).
 *
 * Values: `expectedRunLength` (posterior mean of r, in observations) and `mapRunLength`. Pure; `reset()` forgets
 * everything (a new session).
 */

export interface BocpdParams {
  /** Expected run length between change points (observations): hazard H = 1/hazardLambda. */
  readonly hazardLambda: number;
  readonly maxRun: number;
  /** Normal-gamma prior. */
  readonly mu0: number;
  readonly kappa0: number;
  readonly alpha0: number;
  readonly beta0: number;
  readonly shortRun: number;
  readonly threshold: number;
  readonly minSeparation: number;
}

export const DEFAULT_BOCPD: BocpdParams = {
  hazardLambda: 120,
  maxRun: 400,
  mu0: 0,
  kappa0: 1,
  alpha0: 1,
  beta0: 1,
  shortRun: 8,
  threshold: 0.5,
  minSeparation: 15,
};

export interface BocpdStep {
  readonly changed: boolean;
  readonly pShort: number;
  readonly expectedRunLength: number;
  readonly mapRunLength: number;
}

function logStudentT(x: number, nu: number, mu: number, scale2: number): number {
  const z = (x - mu) ** 2 / (nu * scale2);
  return lgamma((nu + 1) / 2) - lgamma(nu / 2) - 0.5 * Math.log(nu * Math.PI * scale2) - ((nu + 1) / 2) * Math.log1p(z);
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9). */
const LANCZOS = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];

export function lgamma(x: number): number {
  const c = LANCZOS;
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lgamma(1 - x);
  const xx = x - 1;
  let a = c[0]!;
  const t = xx + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (xx + i);
  return 0.5 * Math.log(2 * Math.PI) + (xx + 0.5) * Math.log(t) - t + Math.log(a);
}

export class Bocpd {
  private r: Float64Array;
  private mu: Float64Array;
  private kappa: Float64Array;
  private alpha: Float64Array;
  private beta: Float64Array;
  // Scratch and the spare set of statistics, swapped each update: no allocation per observation.
  private readonly ll: Float64Array;
  private readonly next: Float64Array;
  private spare: [Float64Array, Float64Array, Float64Array, Float64Array];
  private n = 0; // live cells (run lengths 0..n-1)
  private t = 0;
  private lastChange = 0;
  private last: BocpdStep | null = null;

  constructor(readonly params: BocpdParams = DEFAULT_BOCPD) {
    if (!(params.hazardLambda > 1) || !(params.maxRun >= 2) || !(params.kappa0 > 0) || !(params.alpha0 > 0) || !(params.beta0 > 0)) {
      throw new Error('Bocpd: hazardLambda > 1, maxRun ≥ 2 and a proper normal-gamma prior are required');
    }
    const m = params.maxRun + 1;
    this.r = new Float64Array(m);
    this.mu = new Float64Array(m);
    this.kappa = new Float64Array(m);
    this.alpha = new Float64Array(m);
    this.beta = new Float64Array(m);
    this.ll = new Float64Array(m);
    this.next = new Float64Array(m);
    this.spare = [new Float64Array(m), new Float64Array(m), new Float64Array(m), new Float64Array(m)];
    this.reset();
  }

  /** Last step's values; null before the first observation. */
  get value(): BocpdStep | null {
    return this.last;
  }

  /** Observations seen since the last reset. */
  get count(): number {
    return this.t;
  }

  reset(): void {
    const p = this.params;
    this.r.fill(0);
    this.r[0] = 1;
    this.mu[0] = p.mu0;
    this.kappa[0] = p.kappa0;
    this.alpha[0] = p.alpha0;
    this.beta[0] = p.beta0;
    this.n = 1;
    this.t = 0;
    this.lastChange = 0;
    this.last = null;
  }

  update(x: number): BocpdStep {
    if (!Number.isFinite(x)) throw new Error(`Bocpd.update: non-finite observation ${x}`);
    const p = this.params;
    const h = 1 / p.hazardLambda;
    const n = this.n;
    const cap = p.maxRun + 1;
    // Predictive log-likelihoods, shifted by their max for stability.
    const ll = this.ll;
    let maxLl = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const a = this.alpha[i]!;
      const k = this.kappa[i]!;
      ll[i] = logStudentT(x, 2 * a, this.mu[i]!, (this.beta[i]! * (k + 1)) / (a * k));
      if (ll[i]! > maxLl) maxLl = ll[i]!;
    }
    const nn = Math.min(n + 1, cap);
    const next = this.next;
    next.fill(0, 0, nn);
    let cp = 0;
    for (let i = 0; i < n; i++) {
      const m = this.r[i]! * Math.exp(ll[i]! - maxLl);
      cp += m * h;
      const j = Math.min(i + 1, cap - 1);
      next[j] = next[j]! + m * (1 - h);
    }
    next[0] = cp;
    let z = 0;
    for (let i = 0; i < nn; i++) z += next[i]!;
    if (!(z > 0)) {
      // Every run length found x impossible (underflow): start afresh rather than divide by zero.
      next.fill(0, 0, nn);
      next[0] = 1;
      z = 1;
    }
    // Sufficient statistics: cell j ← cell j−1 updated with x (the folded last cell keeps its own, updated).
    const [mu, ka, al, be] = this.spare;
    mu[0] = p.mu0;
    ka[0] = p.kappa0;
    al[0] = p.alpha0;
    be[0] = p.beta0;
    for (let i = 0; i < n; i++) {
      const j = Math.min(i + 1, cap - 1);
      if (j === i + 1 || i === n - 1) {
        const k = this.kappa[i]!;
        const m0 = this.mu[i]!;
        mu[j] = (k * m0 + x) / (k + 1);
        ka[j] = k + 1;
        al[j] = this.alpha[i]! + 0.5;
        be[j] = this.beta[i]! + (k * (x - m0) ** 2) / (2 * (k + 1));
      }
    }
    let pShort = 0;
    let mean = 0;
    let map = 0;
    let best = -1;
    for (let i = 0; i < nn; i++) {
      const v = next[i]! / z;
      this.r[i] = v;
      if (i < p.shortRun) pShort += v;
      mean += i * v;
      if (v > best) {
        best = v;
        map = i;
      }
    }
    this.spare = [this.mu, this.kappa, this.alpha, this.beta];
    this.mu = mu;
    this.kappa = ka;
    this.alpha = al;
    this.beta = be;
    this.n = nn;
    this.t++;
    const changed = pShort >= p.threshold && this.t - this.lastChange >= p.minSeparation && this.t > p.shortRun;
    if (changed) this.lastChange = this.t;
    this.last = { changed, pShort, expectedRunLength: mean, mapRunLength: map };
    return this.last;
  }
}
