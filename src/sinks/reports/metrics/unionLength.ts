/** Total length covered by a set of [start, end] intervals, overlaps counted once (exposure time of a group). */
export function unionLength(intervals: readonly (readonly [number, number])[]): number {
  const xs = intervals.filter(([a, b]) => b > a).map(([a, b]) => [a, b] as const).sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  let total = 0;
  let curA = -Infinity;
  let curB = -Infinity;
  for (const [a, b] of xs) {
    if (a > curB) {
      if (curB > curA) total += curB - curA;
      curA = a;
      curB = b;
    } else if (b > curB) curB = b;
  }
  if (curB > curA) total += curB - curA;
  return total;
}
