/**
 * writeBacktest: a run's folder backtests/<run-id>/ —
 *   summary.csv        per day and total; overall, by playbook, by underlying (summaryRows.ts)
 *   fill_quality.csv   per fill (fillQualityCsv.ts)
 *   trades.csv         per round trip with entry/exit reasons and features at entry (tradesCsv.ts)
 *   calibration.json   predicted vs realised win probability per playbook, model/parameter versions
 *   report.html        self-contained visual report (reportHtml.ts)
 *   manifest.json      run id, wall-clock times, config (and hash), git commit, package version, seed, the
 *                      data files with sizes and sha256, the data-quality reports, Parquet files and log, and the
 *                      sha256 of every other output
 * Everything but manifest.json is a pure function of the days and config: the same data + config + seed give the
 * same bytes whatever the run id, the time or the number of workers. Each file is written to a temp name and
 * renamed.
 */
import { loadedModelInfo } from '../../operators/learner/modelStore.js';
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../../domain/configSchema.js';
import type { DayOutcome } from '../../pipeline/recordDay.js';
import { calibration } from './calibration.js';
import { configHash } from './configHash.js';
import { fillQualityCsv } from './fillQualityCsv.js';
import { gitCommit } from './gitCommit.js';
import { packageVersion } from './packageVersion.js';
import { reportHtml } from './reportHtml.js';
import { summaryCsv, summaryRows, type SummaryRow } from './summaryRows.js';
import { tradesCsv } from './tradesCsv.js';

export interface BacktestInput {
  readonly dir: string;
  readonly runId: string;
  readonly config: Config;
  readonly days: readonly DayOutcome[];
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly workers: number;
  readonly logFile?: string | null;
  readonly argv?: readonly string[];
}

export interface BacktestOutput {
  readonly dir: string;
  readonly files: Readonly<Record<string, string>>;
  readonly summary: readonly SummaryRow[];
}

export const BACKTEST_FILES = ['summary.csv', 'fill_quality.csv', 'trades.csv', 'calibration.json', 'report.html', 'manifest.json'] as const;

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export function writeBacktest(b: BacktestInput): BacktestOutput {
  mkdirSync(b.dir, { recursive: true });
  const records = b.days.map((d) => d.record);
  const summary = summaryRows(records);
  const version = packageVersion();
  const first = records[0]?.date ?? '';
  const last = records[records.length - 1]?.date ?? '';
  // The learner model in use (none until `dreambot calibrate` has written one): its version goes into both
  // calibration.json and the manifest so a result can be traced to the model that made its decisions.
  const model = loadedModelInfo(b.config);
  const models = { learner: model ? { version: model.version, hash: model.hash, path: model.path, trainedOn: model.trainedOn } : null };
  const contents: [string, string][] = [
    ['summary.csv', summaryCsv(summary)],
    ['fill_quality.csv', fillQualityCsv(records)],
    ['trades.csv', tradesCsv(records)],
    ['calibration.json', JSON.stringify(calibration(records, b.config, version, models), null, 2) + '\n'],
    ['report.html', reportHtml({ title: `DreamBot backtest ${first === last ? first : `${first} – ${last}`}`, days: records, summary })],
  ];
  const files: Record<string, string> = {};
  const hashes: Record<string, string> = {};
  for (const [name, text] of contents) {
    const p = join(b.dir, name);
    writeAtomic(p, text);
    files[name] = p;
    hashes[name] = createHash('sha256').update(text).digest('hex');
  }
  const git = gitCommit();
  const manifest = {
    runId: b.runId,
    startedAt: b.startedAt.toISOString(),
    finishedAt: b.finishedAt.toISOString(),
    wallSeconds: (b.finishedAt.getTime() - b.startedAt.getTime()) / 1000,
    package: { name: 'dreambot', version },
    node: process.version,
    git: git ?? { commit: null, dirty: null },
    argv: b.argv ?? null,
    mode: b.config.mode,
    seed: b.config.seed,
    configHash: configHash(b.config),
    models,
    config: b.config,
    workers: b.workers,
    days: b.days.map((d) => ({
      date: d.record.date,
      decisionsHash: d.record.decisionsHash,
      events: d.result.events,
      trades: d.record.trades.length,
      catalog: { dir: d.result.catalogDir, key: d.result.meta.key, rows: d.result.meta.rows, built: d.result.catalogBuilt },
      dataFiles: d.files.map((f) => ({ ...f, path: resolve(f.path) })),
      dataQuality: d.result.meta.dataQuality,
      seconds: { catalog: d.result.catalogSeconds, stream: d.result.streamSeconds, parquet: d.parquetSeconds },
      parquet: d.parquetFiles.map((p) => resolve(p)),
    })),
    log: b.logFile ? resolve(b.logFile) : null,
    outputs: hashes,
  };
  const mp = join(b.dir, 'manifest.json');
  writeAtomic(mp, JSON.stringify(manifest, null, 2) + '\n');
  files['manifest.json'] = mp;
  return { dir: b.dir, files, summary };
}
