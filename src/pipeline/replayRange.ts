/**
 * replayRange: replay every NYSE trading day in [from, to] (weekends and holidays skipped by the calendar) and
 * return the days' outcomes in date order.
 *
 * workers ≤ 1: days run one after another in this thread. workers ≥ 2: that many worker threads
 * (replayRangeWorker.ts, started with `--import tsx`), each taking the next day from a queue; each day is a
 * self-contained replay (own catalog read, own pipeline, own seed-driven state), so the outcomes do not depend on
 * which worker ran them or in which order they finished, and sorting by date makes the merge deterministic.
 * A refused day fails the whole range (its error names the day), and the other workers are stopped.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { tradingDaysBetween } from '../domain/calendar.js';
import type { Config } from '../domain/configSchema.js';
import { recordDay, type DayOutcome } from './recordDay.js';
import type { WorkerInit, WorkerMessage } from './replayRangeWorker.js';

export interface ReplayRangeOptions {
  readonly from: string;
  readonly to: string;
  readonly runId: string;
  readonly workers?: number;
  readonly rebuild?: boolean;
  readonly parquet?: boolean;
  /** Overall fraction done (0..1) and a label. */
  readonly onProgress?: (fraction: number, label: string) => void;
  /** Called as each day finishes (in completion order). */
  readonly onDay?: (o: DayOutcome) => void;
}

/**
 * DuckDB threads for each of `workers` worker threads: the configured number, capped at the worker's share of the
 * cores (each worker runs its own DuckDB; more DuckDB threads than cores only get in each other's way). Never 0.
 */
export function workerDuckdbThreads(configured: number, cores: number, workers: number): number {
  return Math.max(1, Math.min(configured, Math.floor(cores / Math.max(1, workers))));
}

export async function replayRange(config: Config, o: ReplayRangeOptions): Promise<DayOutcome[]> {
  // A single date is replayed as asked, so a holiday is refused with its name; a range skips closed days.
  const days = o.from === o.to ? [o.from] : tradingDaysBetween(o.from, o.to);
  if (days.length === 0) throw new Error(`no NYSE trading day between ${o.from} and ${o.to}`);
  const frac = new Map<string, number>(days.map((d) => [d, 0]));
  const report = (date: string, f: number, stage: string) => {
    frac.set(date, f);
    let sum = 0;
    for (const v of frac.values()) sum += v;
    const done = [...frac.values()].filter((v) => v >= 1).length;
    o.onProgress?.(sum / days.length, days.length > 1 ? `${done}/${days.length} days` : stage);
  };
  const workers = Math.max(1, Math.min(o.workers ?? 1, days.length));
  const outcomes: DayOutcome[] = [];
  if (workers <= 1) {
    for (const date of days) {
      const out = await recordDay(config, date, {
        runId: o.runId,
        rebuild: o.rebuild ?? false,
        parquet: o.parquet ?? true,
        onProgress: (s, f) => report(date, f, s),
      });
      report(date, 1, 'done');
      o.onDay?.(out);
      outcomes.push(out);
    }
  } else {
    outcomes.push(...(await inWorkers(config, days, workers, o, report)));
  }
  return outcomes.sort((a, b) => (a.record.date < b.record.date ? -1 : a.record.date > b.record.date ? 1 : 0));
}

/**
 * A worker running replayRangeWorker.ts. `execArgv: ['--import', 'tsx']` does not reach worker threads on Node 20
 * (module hooks are per-thread), so a tiny bootstrap registers tsx's loader inside the worker — as bin/dreambot.js
 * does for the CLI — and then imports the TypeScript module.
 */
function spawnWorker(init: WorkerInit): Worker {
  const tsxPkg = createRequire(import.meta.url).resolve('tsx/package.json');
  const tsxApi = pathToFileURL(join(dirname(tsxPkg), 'dist', 'esm', 'api', 'index.mjs')).href;
  const entry = new URL('./replayRangeWorker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData: init });
}

function inWorkers(
  config: Config,
  days: readonly string[],
  n: number,
  o: ReplayRangeOptions,
  report: (date: string, f: number, stage: string) => void,
): Promise<DayOutcome[]> {
  const threads = workerDuckdbThreads(config.replay.duckdbThreads, availableParallelism(), n);
  const workerConfig = threads === config.replay.duckdbThreads ? config : { ...config, replay: { ...config.replay, duckdbThreads: threads } };
  const init: WorkerInit = { config: workerConfig, runId: o.runId, rebuild: o.rebuild ?? false, parquet: o.parquet ?? true };
  const queue = [...days];
  const results: DayOutcome[] = [];
  const pool: Worker[] = [];
  return new Promise<DayOutcome[]>((resolve, reject) => {
    let failed = false;
    const stopAll = () => {
      for (const w of pool) void w.terminate();
    };
    const fail = (e: Error) => {
      if (failed) return;
      failed = true;
      stopAll();
      reject(e);
    };
    const next = (w: Worker) => {
      const date = queue.shift();
      if (date === undefined) {
        w.postMessage({ stop: true });
        return;
      }
      w.postMessage({ date });
    };
    for (let i = 0; i < n; i++) {
      const w = spawnWorker(init);
      pool.push(w);
      w.on('message', (m: WorkerMessage) => {
        if (failed) return;
        if (m.kind === 'progress') report(m.date, m.fraction, m.stage);
        else if (m.kind === 'error') fail(new Error(m.message));
        else {
          report(m.date, 1, 'done');
          o.onDay?.(m.outcome);
          results.push(m.outcome);
          if (results.length === days.length) {
            stopAll();
            resolve(results);
          } else next(w);
        }
      });
      w.on('error', (e) => fail(e));
      w.on('exit', (code) => {
        if (!failed && results.length < days.length && code !== 0) fail(new Error(`replay worker exited with code ${code}`));
      });
      next(w);
    }
  });
}
