/**
 * LinUCB (Li, Chu, Langford & Schapire 2010, disjoint linear models): one ridge regression per arm of reward on
 * the context vector x; an arm's score is its upper confidence bound θₐ·x + α·√(xᵀAₐ⁻¹x), with Aₐ = λI + Σ x xᵀ
 * and θₐ = Aₐ⁻¹bₐ, bₐ = Σ reward·x over the rounds the arm was played.
 *
 * The learner uses it over playbooks; the 'none' arm (do not trade) has a KNOWN reward of 0 R (no position, no
 * outcome), so it needs no model: `choose` returns null when no candidate's score beats `noneScore`. Ties go to the
 * earliest candidate in the order given (deterministic, no randomness needed; exploration comes from the bound).
 *
 * State: Aₐ⁻¹ (kept by Sherman–Morrison, O(d²) per update) and bₐ per arm, plus play counts. `toJSON`/`fromJSON`
 * round-trip it exactly.
 */
import { dot, identity, matVec, shermanMorrison } from './linalg.js';

export interface LinUcbState {
  readonly dim: number;
  readonly alpha: number;
  readonly lambda: number;
  readonly arms: Readonly<Record<string, { readonly ainv: readonly number[]; readonly b: readonly number[]; readonly n: number }>>;
}

interface Arm {
  ainv: number[];
  b: number[];
  n: number;
}

export interface ArmScore {
  readonly arm: string;
  readonly mean: number;
  readonly bonus: number;
  readonly ucb: number;
}

export class LinUcb {
  private readonly arms = new Map<string, Arm>();

  constructor(
    readonly dim: number,
    readonly alpha = 1,
    readonly lambda = 1,
  ) {
    if (!(dim >= 1) || !(lambda > 0) || !(alpha >= 0)) throw new Error(`LinUcb: bad parameters dim=${dim} alpha=${alpha} lambda=${lambda}`);
  }

  private armOf(name: string): Arm {
    let a = this.arms.get(name);
    if (a === undefined) {
      a = { ainv: identity(this.dim, 1 / this.lambda), b: new Array<number>(this.dim).fill(0), n: 0 };
      this.arms.set(name, a);
    }
    return a;
  }

  private check(x: readonly number[]): void {
    if (x.length !== this.dim) throw new Error(`LinUcb: context has ${x.length} dims, model has ${this.dim}`);
  }

  score(arm: string, x: readonly number[]): ArmScore {
    this.check(x);
    const a = this.arms.get(arm);
    if (a === undefined) {
      const bonus = this.alpha * Math.sqrt(dot(x, x) / this.lambda);
      return { arm, mean: 0, bonus, ucb: bonus };
    }
    const u = matVec(a.ainv, x, this.dim);
    const mean = dot(u, a.b); // θ·x = (A⁻¹b)·x = b·(A⁻¹x)
    const bonus = this.alpha * Math.sqrt(Math.max(0, dot(x, u)));
    return { arm, mean, bonus, ucb: mean + bonus };
  }

  /** Best candidate by UCB, or null when none beats `noneScore` (the 'none' arm). */
  choose(x: readonly number[], candidates: readonly string[], noneScore = Number.NEGATIVE_INFINITY): ArmScore | null {
    let best: ArmScore | null = null;
    for (const c of candidates) {
      const s = this.score(c, x);
      if (best === null || s.ucb > best.ucb) best = s;
    }
    return best !== null && best.ucb > noneScore ? best : null;
  }

  update(arm: string, x: readonly number[], reward: number): void {
    this.check(x);
    if (!Number.isFinite(reward)) throw new Error(`LinUcb: non-finite reward ${reward} for arm ${arm}`);
    const a = this.armOf(arm);
    shermanMorrison(a.ainv, x, this.dim);
    for (let i = 0; i < this.dim; i++) a.b[i] = a.b[i]! + reward * x[i]!;
    a.n++;
  }

  /** Ridge estimate θₐ (zeros for an arm never played). */
  theta(arm: string): number[] {
    const a = this.arms.get(arm);
    return a === undefined ? new Array<number>(this.dim).fill(0) : matVec(a.ainv, a.b, this.dim);
  }

  plays(arm: string): number {
    return this.arms.get(arm)?.n ?? 0;
  }

  toJSON(): LinUcbState {
    const arms: Record<string, LinUcbState['arms'][string]> = {};
    for (const name of [...this.arms.keys()].sort()) {
      const a = this.arms.get(name)!;
      arms[name] = { ainv: [...a.ainv], b: [...a.b], n: a.n };
    }
    return { dim: this.dim, alpha: this.alpha, lambda: this.lambda, arms };
  }

  static fromJSON(s: LinUcbState, alpha = s.alpha): LinUcb {
    const m = new LinUcb(s.dim, alpha, s.lambda);
    for (const [name, a] of Object.entries(s.arms)) {
      if (a.ainv.length !== s.dim * s.dim || a.b.length !== s.dim) throw new Error(`LinUcb.fromJSON: arm ${name} has wrong dimensions`);
      m.arms.set(name, { ainv: [...a.ainv], b: [...a.b], n: a.n });
    }
    return m;
  }
}
