/**
 * Small dense linear algebra for the learning models (dimensions ≤ ~40): row-major `number[]` matrices, a
 * Cholesky solve for symmetric positive-definite systems (IRLS Newton steps) and the rank-one Sherman–Morrison
 * update of an inverse (LinUCB). Pure and deterministic: the same inputs give bit-identical outputs.
 */

export function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** y = M x for a d×d row-major M. */
export function matVec(m: readonly number[], x: readonly number[], d: number): number[] {
  const y = new Array<number>(d).fill(0);
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += m[i * d + j]! * x[j]!;
    y[i] = s;
  }
  return y;
}

export function identity(d: number, scale = 1): number[] {
  const m = new Array<number>(d * d).fill(0);
  for (let i = 0; i < d; i++) m[i * d + i] = scale;
  return m;
}

/** Solve A x = b for symmetric positive-definite A (d×d, row-major). Throws when A is not positive definite. */
export function choleskySolve(a: readonly number[], b: readonly number[], d: number): number[] {
  const l = new Array<number>(d * d).fill(0);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j]!;
      for (let k = 0; k < j; k++) s -= l[i * d + k]! * l[j * d + k]!;
      if (i === j) {
        if (!(s > 0)) throw new Error(`choleskySolve: matrix not positive definite at pivot ${i} (${s})`);
        l[i * d + i] = Math.sqrt(s);
      } else {
        l[i * d + j] = s / l[j * d + j]!;
      }
    }
  }
  const y = new Array<number>(d).fill(0);
  for (let i = 0; i < d; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * d + k]! * y[k]!;
    y[i] = s / l[i * d + i]!;
  }
  const x = new Array<number>(d).fill(0);
  for (let i = d - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < d; k++) s -= l[k * d + i]! * x[k]!;
    x[i] = s / l[i * d + i]!;
  }
  return x;
}

/** In place: Ainv ← (A + x xᵀ)⁻¹ given Ainv = A⁻¹ (Sherman–Morrison). */
export function shermanMorrison(ainv: number[], x: readonly number[], d: number): void {
  const u = matVec(ainv, x, d); // A⁻¹x (A⁻¹ symmetric, so xᵀA⁻¹ = uᵀ)
  const denom = 1 + dot(x, u);
  for (let i = 0; i < d; i++) {
    const ui = u[i]! / denom;
    for (let j = 0; j < d; j++) ainv[i * d + j] = ainv[i * d + j]! - ui * u[j]!;
  }
}
