/** Clamp to 0..1; NaN → 0 (a strength that cannot be computed is no strength). */
export function clamp01(x: number): number {
  return x > 1 ? 1 : x > 0 ? x : 0;
}
