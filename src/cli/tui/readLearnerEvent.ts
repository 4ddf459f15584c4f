/**
 * The learner's events are not defined yet, so the dashboard reads them by shape rather than by type: any event
 * whose `type` starts with `Learner`, `Bandit`, `MetaLabel` or `RunLength` (or is `ChangePoint`) counts as
 * learner output, and these fields are picked up when present:
 *
 *   arms: [{ name | arm | playbook, mean | estimate | value, pulls | n | count }]   bandit arm estimates
 *   threshold | metaLabelThreshold: number                                         meta-label probability cut-off
 *   runLength: number (with `underlying`) | Record<underlying, number>             change-point run length
 *
 * The preferred form (what the learner should emit) is
 *   { type: 'LearnerState', ts, arms, metaLabelThreshold, runLength: Record<Underlying, number> }.
 */
import type { ArmEstimate } from './dashboardTypes.js';

export interface LearnerReading {
  readonly arms: readonly ArmEstimate[] | null;
  readonly metaThreshold: number | null;
  readonly runLength: Readonly<Record<string, number>> | null;
  /** Underlying of a ChangePoint event. */
  readonly changePoint: string | null;
}

const PREFIXES = ['Learner', 'Bandit', 'MetaLabel', 'RunLength'];

export function isLearnerType(type: string): boolean {
  return type === 'ChangePoint' || PREFIXES.some((p) => type.startsWith(p));
}

const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
const str = (x: unknown): string | null => (typeof x === 'string' ? x : null);

export function readLearnerEvent(e: { readonly type: string }): LearnerReading {
  const r = e as Record<string, unknown>;
  let arms: ArmEstimate[] | null = null;
  if (Array.isArray(r.arms)) {
    arms = [];
    for (const a of r.arms as unknown[]) {
      if (typeof a !== 'object' || a === null) continue;
      const o = a as Record<string, unknown>;
      const name = str(o.name) ?? str(o.arm) ?? str(o.playbook);
      const mean = num(o.mean) ?? num(o.estimate) ?? num(o.value);
      if (name === null || mean === null) continue;
      arms.push({ name, mean, pulls: num(o.pulls) ?? num(o.n) ?? num(o.count) });
    }
  }
  const metaThreshold = num(r.metaLabelThreshold) ?? num(r.threshold);
  let runLength: Record<string, number> | null = null;
  if (typeof r.runLength === 'number') {
    runLength = { [str(r.underlying) ?? 'all']: r.runLength };
  } else if (typeof r.runLength === 'object' && r.runLength !== null) {
    runLength = {};
    for (const [k, v] of Object.entries(r.runLength as Record<string, unknown>)) {
      const n = num(v);
      if (n !== null) runLength[k] = n;
    }
  }
  const changePoint = e.type === 'ChangePoint' ? (str(r.underlying) ?? 'all') : null;
  return { arms, metaThreshold, runLength, changePoint };
}
