/**
 * calibrateRange: walk-forward calibration of the learner over a range of trading days (`dreambot calibrate`).
 *
 * 1. Record: each day is replayed through buildPipeline with no model and the learner's `record` hook, which
 *    yields every SignalIntent with exactly the context/meta vectors the online learner computes; each is labelled
 *    offline by the triple barrier on the underlying's later Features prices (label: target before stop; R).
 *    The same pass gives the day's baseline (no learner) P&L.
 * 2. Walk-forward: for each of the last `folds` days, a model is trained ONLY on rows of earlier days
 *    (`trainFold` throws on any row dated ≥ the evaluated day) and evaluated on that day: out-of-sample AUC,
 *    Brier (and the base-rate Brier for reference), reliability bins, and replays of the day with the filter only,
 *    the bandit only and both, against the baseline: simulated P&L (fees included) and the triple-barrier R of the
 *    entries the learner let through (GateDecision allowed after the learner — what the system wanted to trade,
 *    independent of later risk denials).
 * 3. Final model: trained on every day of the range, stored as the next version under <storage>/models (or
 *    `modelPath`), and calibration.json written under <backtests>/<run>/ with run = calibrate-<from>_<to>-<hash8>.
 * Deterministic: same days + config + seed → same model bytes and the same calibration.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../domain/configSchema.js';
import type { Underlying } from '../domain/instruments.js';
import { tradingDaysBetween } from '../domain/calendar.js';
import { brierScore, reliabilityBins, rocAuc, type ReliabilityBin } from '../quant/learning/classificationMetrics.js';
import type { LearnerModel, LearnerModelBody } from '../quant/learning/learnerModel.js';
import { sealModel } from '../quant/learning/learnerModel.js';
import { LogisticRegression } from '../quant/learning/logisticRegression.js';
import { applyPlatt } from '../quant/learning/plattScaling.js';
import { trainFold, trainLearner, walkForwardFolds, type TrainingRow, type TrainOptions } from '../quant/learning/trainLearner.js';
import { tripleBarrier, type PricePoint } from '../quant/learning/tripleBarrier.js';
import type { SignalRecord } from '../operators/learner/learner.js';
import { modelsDir, writeModel } from '../operators/learner/modelStore.js';
import { openReplay } from '../streams/replay/openReplay.js';
import { buildPipeline, type PipelineEvent } from './buildPipeline.js';
import { replayPorts } from './environments.js';

export interface CalibrateOptions {
  readonly from: string;
  readonly to: string;
  readonly folds: number;
  /** Write the model here instead of the next version under <storage>/models. */
  readonly modelPath?: string;
  readonly onProgress?: (label: string, fraction: number) => void;
}

export interface RunStats {
  readonly trades: number;
  readonly netPnl: number;
  /** Entries allowed after the learner. */
  readonly entries: number;
  /** Σ triple-barrier R of those entries. */
  readonly entryR: number;
  readonly deniedByLearner: Readonly<Record<string, number>>;
}

export interface FoldReport {
  readonly evalDay: string;
  readonly trainDays: readonly string[];
  readonly trainRows: number;
  readonly testRows: number;
  readonly testPositives: number;
  readonly auc: number | null;
  readonly brier: number | null;
  readonly brierBaseRate: number | null;
  readonly pnl: { readonly baseline: RunStats; readonly filter: RunStats; readonly bandit: RunStats; readonly both: RunStats };
}

export interface CalibrationReport {
  readonly kind: 'learner-calibration';
  readonly from: string;
  readonly to: string;
  readonly days: readonly string[];
  readonly seed: number;
  readonly rowsPerDay: Readonly<Record<string, number>>;
  readonly folds: readonly FoldReport[];
  readonly outOfSample: {
    readonly rows: number;
    readonly auc: number | null;
    readonly brier: number | null;
    readonly brierBaseRate: number | null;
    readonly reliability: readonly ReliabilityBin[];
    readonly pnl: Readonly<Record<'baseline' | 'filter' | 'bandit' | 'both', RunStats>>;
  };
  readonly model: { readonly path: string; readonly version: string; readonly hash: string; readonly reused: boolean; readonly rows: number; readonly positives: number };
}

export interface CalibrateResult {
  readonly report: CalibrationReport;
  readonly runDir: string;
  readonly reportPath: string;
  readonly modelPath: string;
}

export function trainOptions(config: Config): TrainOptions {
  const t = config.learner.train;
  return {
    seed: config.seed,
    l2: t.l2,
    plattFolds: t.plattFolds,
    banditAlpha: config.learner.bandit.alpha,
    banditLambda: t.banditLambda,
    rewardClip: config.learner.bandit.rewardClip,
    minClassRows: t.minClassRows,
  };
}

const round = (x: number, k = 1e6) => Math.round(x * k) / k;

interface DayRun {
  readonly events: PipelineEvent[];
  readonly records: SignalRecord[];
  readonly paths: Map<Underlying, PricePoint[]>;
}

async function runDay(config: Config, date: string, model: LearnerModel | null, record: boolean): Promise<DayRun> {
  const day = await openReplay(config, date);
  const records: SignalRecord[] = [];
  const events: PipelineEvent[] = [];
  const paths = new Map<Underlying, PricePoint[]>();
  const ports = {
    ...replayPorts(config, day.events$),
    learnerModel: model,
    ...(record ? { learnerRecord: (r: SignalRecord) => void records.push(r) } : {}),
  };
  await new Promise<void>((resolve, reject) => {
    buildPipeline(ports, config).subscribe({
      next: (e) => {
        if (e.type === 'Features') {
          let p = paths.get(e.underlying);
          if (p === undefined) paths.set(e.underlying, (p = []));
          p.push({ ts: e.ts, price: e.price });
          return;
        }
        if (e.type === 'GateDecision' || e.type === 'TradeClosed') events.push(e);
      },
      error: reject,
      complete: resolve,
    });
  });
  return { events, records, paths };
}

function statsOf(run: DayRun, rByIntent: ReadonlyMap<string, number>): RunStats {
  let trades = 0;
  let pnl = 0;
  let entries = 0;
  let entryR = 0;
  const denied: Record<string, number> = {};
  for (const e of run.events) {
    if (e.type === 'TradeClosed') {
      trades++;
      pnl += e.pnl;
    } else if (e.type === 'GateDecision') {
      if (e.allowed) {
        entries++;
        entryR += e.intentId !== undefined ? (rByIntent.get(e.intentId) ?? 0) : 0;
      } else if (e.reason === 'meta-label' || e.reason === 'bandit' || e.reason === 'change-point-pause') {
        denied[e.reason] = (denied[e.reason] ?? 0) + 1;
      }
    }
  }
  return { trades, netPnl: round(pnl, 100), entries, entryR: round(entryR, 1e4), deniedByLearner: denied };
}

function addStats(a: RunStats, b: RunStats): RunStats {
  const denied: Record<string, number> = { ...a.deniedByLearner };
  for (const [k, v] of Object.entries(b.deniedByLearner)) denied[k] = (denied[k] ?? 0) + v;
  return { trades: a.trades + b.trades, netPnl: round(a.netPnl + b.netPnl, 100), entries: a.entries + b.entries, entryR: round(a.entryR + b.entryR, 1e4), deniedByLearner: denied };
}

const ZERO: RunStats = { trades: 0, netPnl: 0, entries: 0, entryR: 0, deniedByLearner: {} };

function label(date: string, recs: readonly SignalRecord[], paths: ReadonlyMap<Underlying, PricePoint[]>): TrainingRow[] {
  return recs.map((rec) => {
    const b = tripleBarrier(rec.intent, paths.get(rec.intent.underlying) ?? []);
    return { date, id: rec.intent.id, ts: rec.intent.ts, playbook: rec.intent.playbook, context: rec.context, meta: rec.meta, label: b.label, r: round(b.r) };
  });
}

export function predictRows(model: LearnerModelBody, rows: readonly TrainingRow[]): number[] | null {
  if (model.metaLabel === null) return null;
  const lr = LogisticRegression.fromJSON(model.metaLabel.logistic);
  return rows.map((r) => applyPlatt(model.metaLabel!.platt, lr.logit(r.meta)));
}

function withLearner(config: Config, filter: boolean, bandit: boolean): Config {
  return { ...config, learner: { ...config.learner, filter: { ...config.learner.filter, enabled: filter }, bandit: { ...config.learner.bandit, enabled: bandit } } };
}

export async function calibrateRange(config: Config, opts: CalibrateOptions): Promise<CalibrateResult> {
  const progress = opts.onProgress ?? (() => {});
  const days = tradingDaysBetween(opts.from, opts.to);
  if (days.length < 2) throw new Error(`calibrate: need at least 2 trading days between ${opts.from} and ${opts.to} (got ${days.length})`);
  const folds = walkForwardFolds(days, opts.folds);
  const steps = days.length + folds.length * 3 + 1;
  let done = 0;
  const tick = (label: string) => progress(label, ++done / steps);
  const topts = trainOptions(config);

  // 1. Record and label every day; baseline (no learner) runs come with it.
  const rowsByDay = new Map<string, TrainingRow[]>();
  const baseline = new Map<string, DayRun>();
  for (const d of days) {
    const run = await runDay(config, d, null, true);
    rowsByDay.set(d, label(d, run.records, run.paths));
    baseline.set(d, run);
    tick(`record ${d}`);
  }
  const rByIntent = new Map<string, number>();
  for (const rows of rowsByDay.values()) for (const r of rows) rByIntent.set(r.id, r.r);

  // 2. Walk-forward.
  const foldReports: FoldReport[] = [];
  const oosP: number[] = [];
  const oosY: number[] = [];
  const oosBase: number[] = [];
  let pooled = { baseline: ZERO, filter: ZERO, bandit: ZERO, both: ZERO };
  for (const fold of folds) {
    const train = fold.train.flatMap((d) => rowsByDay.get(d) ?? []);
    const test = rowsByDay.get(fold.test) ?? [];
    const body = trainFold(train, fold.test, topts, { from: fold.train[0]!, to: fold.train.at(-1)! });
    const model = sealModel(body);
    const p = predictRows(body, test);
    const y: number[] = test.map((r) => r.label);
    const baseRate = train.length > 0 ? train.reduce((s, r) => s + r.label, 0) / train.length : 0.5;
    if (p !== null) {
      oosP.push(...p);
      oosY.push(...y);
      oosBase.push(...y.map(() => baseRate));
    }
    const runs: Record<'filter' | 'bandit' | 'both', RunStats> = { filter: ZERO, bandit: ZERO, both: ZERO };
    for (const [name, f, b] of [
      ['filter', true, false],
      ['bandit', false, true],
      ['both', true, true],
    ] as const) {
      runs[name] = statsOf(await runDay(withLearner(config, f, b), fold.test, model, false), rByIntent);
      tick(`evaluate ${fold.test} ${name}`);
    }
    const pnl = { baseline: statsOf(baseline.get(fold.test)!, rByIntent), ...runs };
    pooled = {
      baseline: addStats(pooled.baseline, pnl.baseline),
      filter: addStats(pooled.filter, pnl.filter),
      bandit: addStats(pooled.bandit, pnl.bandit),
      both: addStats(pooled.both, pnl.both),
    };
    const brier = p !== null ? brierScore(p, y) : null;
    const auc = p !== null ? rocAuc(p, y) : null;
    foldReports.push({
      evalDay: fold.test,
      trainDays: fold.train,
      trainRows: train.length,
      testRows: test.length,
      testPositives: y.reduce((s, v) => s + v, 0),
      auc: auc === null ? null : round(auc),
      brier: brier === null ? null : round(brier),
      brierBaseRate: test.length > 0 ? round(brierScore(y.map(() => baseRate), y)!) : null,
      pnl,
    });
  }

  // 3. Final model on every day of the range.
  const allRows = days.flatMap((d) => rowsByDay.get(d) ?? []);
  const finalBody = trainLearner(allRows, topts, { from: days[0]!, to: days.at(-1)! });
  const stored = writeModel(modelsDir(config), finalBody, opts.modelPath);
  tick('model written');

  const aucAll = oosP.length > 0 ? rocAuc(oosP, oosY) : null;
  const brierAll = oosP.length > 0 ? brierScore(oosP, oosY) : null;
  const brierBase = oosBase.length > 0 ? brierScore(oosBase, oosY) : null;
  const report: CalibrationReport = {
    kind: 'learner-calibration',
    from: opts.from,
    to: opts.to,
    days,
    seed: config.seed,
    rowsPerDay: Object.fromEntries(days.map((d) => [d, rowsByDay.get(d)?.length ?? 0])),
    folds: foldReports,
    outOfSample: {
      rows: oosP.length,
      auc: aucAll === null ? null : round(aucAll),
      brier: brierAll === null ? null : round(brierAll),
      brierBaseRate: brierBase === null ? null : round(brierBase),
      reliability: reliabilityBins(oosP, oosY).map((b) => ({ ...b, meanP: b.meanP === null ? null : round(b.meanP), observed: b.observed === null ? null : round(b.observed) })),
      pnl: pooled,
    },
    model: { path: stored.path, version: stored.version, hash: stored.model.hash, reused: stored.reused, rows: finalBody.trainedOn.rows, positives: finalBody.trainedOn.positives },
  };
  const runDir = join(config.paths.backtests, `calibrate-${days[0]}_${days.at(-1)}-${stored.model.hash.slice(0, 8)}`);
  mkdirSync(runDir, { recursive: true });
  const reportPath = join(runDir, 'calibration.json');
  writeFileSync(reportPath, JSON.stringify(report, null, 2) + '\n');
  return { report, runDir, reportPath, modelPath: stored.path };
}
