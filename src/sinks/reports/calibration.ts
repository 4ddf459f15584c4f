/**
 * calibration.json: per playbook, how well the predicted win probability matched what happened.
 *
 * Predicted: the SignalIntent's `pWin` (the learner's model) when present. Until a model provides one, the
 * playbook's `strength` (0..1) stands in and `predictedSource` says so — it is a confidence score, not a calibrated
 * probability, so its Brier score is a baseline to beat, not a claim. Realised: net P&L > 0 (fees included).
 * Brier score = mean (p − outcome)²; reliability: 10 equal-width bins of p with count, mean p and win rate.
 *
 * `versions` names the model and parameter versions in force: a hash per config section (the same parameters give
 * the same hash) and `models`, which the learner fills in (empty until it exists).
 */
import { brierScore as brierOf, reliabilityBins as reliabilityOf } from '../../quant/learning/classificationMetrics.js';
import { createHash } from 'node:crypto';
import type { Config } from '../../domain/configSchema.js';
import type { DayRecord } from './dayRecord.js';
import { stableStringify } from '../../domain/canonicalJson.js';

export interface ReliabilityBin {
  readonly lo: number;
  readonly hi: number;
  readonly count: number;
  readonly meanPredicted: number | null;
  readonly winRate: number | null;
}

export interface PlaybookCalibration {
  readonly playbook: string;
  readonly trades: number;
  readonly predictedSource: 'pWin' | 'strength' | 'mixed' | 'none';
  readonly meanPredicted: number | null;
  readonly winRate: number | null;
  readonly brier: number | null;
  readonly bins: readonly ReliabilityBin[];
}

export interface Calibration {
  readonly playbooks: readonly PlaybookCalibration[];
  readonly versions: {
    readonly package: string;
    readonly parameters: Readonly<Record<string, string>>;
    readonly models: Readonly<Record<string, unknown>>;
  };
}

const BINS = 10;
const r6 = (x: number | null) => (x === null ? null : Math.round(x * 1e6) / 1e6);

const split = (pairs: readonly (readonly [number, 0 | 1])[]) => [pairs.map((x) => x[0]), pairs.map((x) => x[1])] as const;

/** Brier score of (predicted, outcome) pairs — the learner's metric (classificationMetrics) over trade pairs. */
export function brierScore(pairs: readonly (readonly [number, 0 | 1])[]): number | null {
  return brierOf(...split(pairs));
}

/** Reliability bins of (predicted, outcome) pairs, in the report's field names, rounded to 1e-6. */
export function reliabilityBins(pairs: readonly (readonly [number, 0 | 1])[], bins = BINS): ReliabilityBin[] {
  const [p, y] = split(pairs);
  return reliabilityOf(p, y, bins).map((b) => ({ lo: b.lo, hi: b.hi, count: b.count, meanPredicted: r6(b.meanP), winRate: r6(b.observed) }));
}

export const sectionHash = (x: unknown): string => createHash('sha256').update(stableStringify(x)).digest('hex').slice(0, 16);

export function calibration(days: readonly DayRecord[], config: Config, packageVersion: string, models: Readonly<Record<string, unknown>> = {}): Calibration {
  const by = new Map<string, { pairs: [number, 0 | 1][]; pWin: number; strength: number; trades: number }>();
  for (const t of days.flatMap((d) => d.trades)) {
    let g = by.get(t.playbook);
    if (!g) by.set(t.playbook, (g = { pairs: [], pWin: 0, strength: 0, trades: 0 }));
    g.trades++;
    const p = t.pWin ?? t.strength;
    if (t.pWin !== null) g.pWin++;
    else if (t.strength !== null) g.strength++;
    if (p !== null) g.pairs.push([p, t.netPnl > 0 ? 1 : 0]);
  }
  const playbooks = [...by.keys()].sort().map((name): PlaybookCalibration => {
    const g = by.get(name)!;
    const n = g.pairs.length;
    return {
      playbook: name,
      trades: g.trades,
      predictedSource: g.pWin && g.strength ? 'mixed' : g.pWin ? 'pWin' : g.strength ? 'strength' : 'none',
      meanPredicted: n ? r6(g.pairs.reduce((s, [p]) => s + p, 0) / n) : null,
      winRate: n ? r6(g.pairs.reduce((s, [, o]) => s + o, 0) / n) : null,
      brier: r6(brierScore(g.pairs)),
      bins: reliabilityBins(g.pairs),
    };
  });
  return {
    playbooks,
    versions: {
      package: packageVersion,
      parameters: {
        features: sectionHash(config.features),
        signals: sectionHash(config.signals),
        risk: sectionHash(config.risk),
        oms: sectionHash(config.oms),
        seed: String(config.seed),
      },
      models,
    },
  };
}
