/**
 * Offline training of the learner model from labelled signal rows, and the walk-forward split that keeps it
 * honest.
 *
 * - Meta-labeling: L2 logistic regression (IRLS) on `meta` → triple-barrier label; Platt calibration fitted on
 *   out-of-fold scores (k folds assigned by a seeded shuffle, so no row is calibrated by a model that saw it);
 *   skipped (null) with fewer than `minClassRows` rows of either class.
 * - Bandit: LinUCB updated with every row in time order, arm = the row's playbook, reward = its triple-barrier
 *   R-multiple clipped to ±rewardClip (offline, every signal's outcome is known — a full-information warm start;
 *   online, the pipeline adds realised trade R-multiples).
 * - Walk-forward: `walkForwardFolds(days, k)` evaluates each of the last k days on a model trained only on the
 *   days strictly before it; `trainFold` refuses (throws) any training row dated on or after the evaluated day.
 */
import { Prng } from '../prng.js';
import { LinUcb } from './linUcb.js';
import { CONTEXT_FEATURES, META_FEATURES } from './learnerFeatures.js';
import { LEARNER_MODEL_FORMAT, type LearnerModelBody } from './learnerModel.js';
import { LogisticRegression } from './logisticRegression.js';
import { fitPlatt } from './plattScaling.js';

export interface TrainingRow {
  /** Trading date of the signal (YYYY-MM-DD). */
  readonly date: string;
  readonly id: string;
  readonly ts: number;
  readonly playbook: string;
  readonly context: readonly number[];
  readonly meta: readonly number[];
  readonly label: 0 | 1;
  /** Triple-barrier R-multiple on the underlying. */
  readonly r: number;
}

export interface TrainOptions {
  readonly seed: number;
  readonly l2: number;
  readonly plattFolds: number;
  readonly banditAlpha: number;
  readonly banditLambda: number;
  readonly rewardClip: number;
  readonly minClassRows: number;
}

export const DEFAULT_TRAIN: TrainOptions = { seed: 42, l2: 1, plattFolds: 5, banditAlpha: 0.5, banditLambda: 1, rewardClip: 5, minClassRows: 5 };

export interface Fold {
  readonly train: readonly string[];
  readonly test: string;
}

/** Expanding-window walk-forward: the last `k` days are evaluated, each trained on every earlier day. */
export function walkForwardFolds(days: readonly string[], k: number): Fold[] {
  const sorted = [...new Set(days)].sort();
  const n = Math.min(Math.max(1, Math.floor(k)), sorted.length - 1);
  if (n < 1) throw new Error(`walk-forward needs at least 2 days (got ${sorted.length})`);
  return sorted.slice(sorted.length - n).map((test) => ({ train: sorted.filter((d) => d < test), test }));
}

/** Throws when any row is dated on or after `evalDay` (look-ahead). */
export function assertNoLookAhead(rows: readonly Pick<TrainingRow, 'date' | 'id'>[], evalDay: string): void {
  const bad = rows.find((r) => r.date >= evalDay);
  if (bad) throw new Error(`look-ahead: training row ${bad.id} is from ${bad.date}, not before the evaluated day ${evalDay}`);
}

export function trainLearner(rows: readonly TrainingRow[], opts: TrainOptions, range: { from: string; to: string }): LearnerModelBody {
  const ordered = [...rows].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
  const positives = ordered.reduce((s, r) => s + r.label, 0);
  const negatives = ordered.length - positives;

  let metaLabel: LearnerModelBody['metaLabel'] = null;
  if (positives >= opts.minClassRows && negatives >= opts.minClassRows) {
    const x = ordered.map((r) => r.meta);
    const y: number[] = ordered.map((r) => r.label);
    const model = LogisticRegression.fit(x, y, { lambda: opts.l2 });
    // Out-of-fold scores for Platt: seeded fold assignment.
    const k = Math.max(2, Math.min(opts.plattFolds, ordered.length));
    const rng = new Prng(opts.seed).fork('platt-folds');
    const perm = ordered.map((_, i) => i);
    for (let i = perm.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
    const foldOf = new Array<number>(ordered.length);
    perm.forEach((row, pos) => (foldOf[row] = pos % k));
    const scores: number[] = [];
    const labels: number[] = [];
    for (let f = 0; f < k; f++) {
      const trI = ordered.map((_, i) => i).filter((i) => foldOf[i] !== f);
      const teI = ordered.map((_, i) => i).filter((i) => foldOf[i] === f);
      const ytr = trI.map((i) => y[i]!);
      const pos = ytr.reduce((s, v) => s + v, 0);
      if (teI.length === 0 || pos === 0 || pos === ytr.length) continue;
      const m = LogisticRegression.fit(
        trI.map((i) => x[i]!),
        ytr,
        { lambda: opts.l2 },
      );
      for (const i of teI) {
        scores.push(m.logit(x[i]!));
        labels.push(y[i]!);
      }
    }
    metaLabel = { logistic: model.toJSON(), platt: fitPlatt(scores, labels) };
  }

  const bandit = new LinUcb(CONTEXT_FEATURES.length, opts.banditAlpha, opts.banditLambda);
  for (const r of ordered) bandit.update(r.playbook, r.context, Math.max(-opts.rewardClip, Math.min(opts.rewardClip, r.r)));

  return {
    format: LEARNER_MODEL_FORMAT,
    contextFeatures: [...CONTEXT_FEATURES],
    metaFeatures: [...META_FEATURES],
    metaLabel,
    bandit: ordered.length > 0 ? bandit.toJSON() : null,
    trainedOn: {
      from: range.from,
      to: range.to,
      days: [...new Set(ordered.map((r) => r.date))].sort(),
      rows: ordered.length,
      positives,
      seed: opts.seed,
    },
  };
}

/** Train for evaluating `evalDay`: only rows strictly before it (throws otherwise). */
export function trainFold(rows: readonly TrainingRow[], evalDay: string, opts: TrainOptions, range: { from: string; to: string }): LearnerModelBody {
  assertNoLookAhead(rows, evalDay);
  return trainLearner(rows, opts, range);
}
