/**
 * Write a run's tables for one day (see parquetTables.ts for layout and columns) through DuckDB: rows go in with
 * the appender into an in-memory table, then `COPY … TO` a temp file beside the target, which is renamed into
 * place — a crash mid-write leaves only a `.tmp-*` file (not matched by `*.parquet` globs), never a truncated
 * Parquet a reader would choke on. Empty tables are written too (schema only), so globs always find each table.
 */
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { RecorderTables } from '../reports/runRecorder.js';
import { TABLE_SPECS, type CellValue, type ColumnType } from './parquetTables.js';

export interface ParquetWriteOptions {
  readonly parquetRoot: string;
  readonly date: string;
  readonly runId: string;
  readonly threads?: number;
  readonly memoryMb?: number;
}

const sqlStr = (x: string) => `'${x.replace(/'/g, "''")}'`;

export function parquetPath(root: string, table: string, date: string, runId: string): string {
  return join(root, table, `date=${date}`, `${runId}.parquet`);
}

export async function writeParquetTables(tables: RecorderTables, o: ParquetWriteOptions): Promise<string[]> {
  const instance = await DuckDBInstance.create(':memory:', {
    threads: String(o.threads ?? 1),
    memory_limit: `${o.memoryMb ?? 512}MB`,
  });
  const conn = await instance.connect();
  const written: string[] = [];
  try {
    for (const spec of TABLE_SPECS) {
      const rows = tables[spec.name] as readonly unknown[];
      const cols = [{ name: 'run_id', type: 'VARCHAR' as ColumnType, get: () => o.runId }, ...spec.columns] as {
        name: string;
        type: ColumnType;
        get: (r: unknown) => CellValue;
      }[];
      const t = `t_${spec.name}`;
      await conn.run(`CREATE OR REPLACE TABLE ${t} (${cols.map((c) => `"${c.name}" ${c.type}`).join(', ')})`);
      const app = await conn.createAppender(t);
      for (const r of rows) {
        for (const c of cols) {
          const v = c.get(r);
          if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) app.appendNull();
          else if (c.type === 'DOUBLE') app.appendDouble(v as number);
          else if (c.type === 'BOOLEAN') app.appendBoolean(v as boolean);
          else app.appendVarchar(String(v));
        }
        app.endRow();
      }
      app.closeSync();
      const final = parquetPath(o.parquetRoot, spec.name, o.date, o.runId);
      const dir = join(o.parquetRoot, spec.name, `date=${o.date}`);
      mkdirSync(dir, { recursive: true });
      const tmp = `${final}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
      try {
        await conn.run(`COPY ${t} TO ${sqlStr(tmp)} (FORMAT parquet, COMPRESSION zstd)`);
        renameSync(tmp, final);
      } catch (e) {
        rmSync(tmp, { force: true });
        throw e;
      }
      await conn.run(`DROP TABLE ${t}`);
      written.push(final);
    }
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  return written;
}
