/**
 * Memoise a pure one-argument function: the first call per key computes, later calls look it up. The cache is
 * cleared when it reaches `max` entries (a bound for long-running processes; the hot sets are far smaller).
 * Throws pass through and cache nothing. For calendar rules, symbol parsing and the like on hot paths.
 */
export function memoize<K, V>(compute: (key: K) => V, max = 20_000): (key: K) => V {
  const cache = new Map<K, V>();
  return (key) => {
    let v = cache.get(key);
    if (v === undefined && !cache.has(key)) {
      v = compute(key);
      if (cache.size >= max) cache.clear();
      cache.set(key, v);
    }
    return v as V;
  };
}
