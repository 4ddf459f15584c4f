/**
 * Canonical JSON: object keys sorted at every level, so equal values give equal text whatever order their keys were
 * built in. Hashed for config and parameter versions (configHash, calibration) and for learner model files.
 */

/** A deep copy with every object's keys in sorted order (arrays keep their order). */
export function sortKeysDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeysDeep);
  if (v !== null && typeof v === 'object') {
    // Null prototype: a key named like an Object.prototype member ("__proto__", "toString") stays a plain key.
    const o: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const k of Object.keys(v).sort()) o[k] = sortKeysDeep((v as Record<string, unknown>)[k]);
    return o;
  }
  return v;
}

/** JSON of `x` with keys sorted at every level (undefined-valued keys dropped, as JSON.stringify does). */
export function stableStringify(x: unknown): string {
  return JSON.stringify(sortKeysDeep(x)) ?? 'null';
}
