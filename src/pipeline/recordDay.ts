/**
 * recordDay: replay one day with the backtest recorder attached — replayDay + RunRecorder → the day's DayRecord,
 * its run tables written to storage/parquet (optional), and the input files' sizes and sha256 for the manifest.
 * The unit of work of a multi-day run, identical in-process and in a worker thread.
 */
import { join } from 'node:path';
import type { Config } from '../domain/configSchema.js';
import type { DataFileRecord, DayRecord } from '../sinks/reports/dayRecord.js';
import { hashFile } from '../streams/replay/hashFile.js';
import { RunRecorder } from '../sinks/reports/runRecorder.js';
import { writeParquetTables } from '../sinks/storage/writeParquetTables.js';
import { replayDay, type ReplayDayResult } from './replayDay.js';

export interface RecordDayOptions {
  readonly runId: string;
  readonly rebuild?: boolean;
  /** Write storage/parquet/<table>/date=D/<runId>.parquet (default true). */
  readonly parquet?: boolean;
  readonly onProgress?: (stage: string, fraction: number) => void;
}

export interface DayOutcome {
  readonly record: DayRecord;
  /** Counts, data quality, timings (wall clock: manifest and console only). */
  readonly result: ReplayDayResult;
  readonly files: readonly DataFileRecord[];
  readonly parquetFiles: readonly string[];
  readonly parquetSeconds: number;
}

export async function recordDay(config: Config, date: string, o: RecordDayOptions): Promise<DayOutcome> {
  const parquet = o.parquet ?? true;
  const rec = new RunRecorder(date, { keepTables: parquet });
  const result = await replayDay(config, date, {
    rebuild: o.rebuild ?? false,
    observer: rec.onEvent,
    ...(o.onProgress ? { onProgress: (s: string, f: number) => o.onProgress!(s, f * 0.95) } : {}),
  });
  if (!result.trading) throw new Error('recordDay: the replay ran without the trading stages');
  const record = rec.finish(result.trading.decisionsHash);
  const t0 = performance.now();
  const parquetFiles = parquet
    ? await writeParquetTables(rec.tables, {
        parquetRoot: join(config.paths.storage, 'parquet'),
        date,
        runId: o.runId,
        threads: config.replay.duckdbThreads,
      })
    : [];
  const parquetSeconds = (performance.now() - t0) / 1000;
  const files = await Promise.all(
    // The catalog build hashed the raw files (its key pins their path, size and mtime); older catalogs: hash now.
    result.meta.files.map(async (f) => ({ dataset: f.dataset, path: f.path, bytes: f.bytes, sha256: f.sha256 ?? (await hashFile(f.path)) })),
  );
  o.onProgress?.('done', 1);
  return { record, result, files, parquetFiles, parquetSeconds };
}
