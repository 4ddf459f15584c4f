/**
 * Acceptance of the backtest outputs (issue 7):
 *  - golden: the bundled fixture day gives the committed fixtures/golden/2025-03-10/summary.csv (exact) and
 *    trades.csv. Intentional behaviour changes regenerate them: `UPDATE_GOLDEN=1 npx vitest run src/pipeline/replayRange.test.ts`
 *    (then review the diff like code);
 *  - two runs, and 1 vs 2 worker threads, give byte-identical outputs except manifest.json (run id, wall clock);
 *  - the range skips non-trading days; Parquet tables land partitioned by date and read back through DuckDB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { loadConfig } from '../domain/loadConfig.js';
import type { Config } from '../domain/configSchema.js';
import { generateSyntheticDay } from '../streams/synthetic/generateDay.js';
import { BACKTEST_FILES, writeBacktest } from '../sinks/reports/writeBacktest.js';
import { tradingDaysBetween } from '../domain/calendar.js';
import { replayRange, workerDuckdbThreads } from './replayRange.js';

const GOLDEN = join('fixtures', 'golden', '2025-03-10');
let root = '';

const cfg = (data: string, storage: string): Config =>
  loadConfig({ env: {}, overrides: { paths: { data, storage }, replay: { symbols: ['SPY', 'SPX', 'QQQ', 'NDX'] } } });

async function run(config: Config, from: string, to: string, workers: number, name: string): Promise<string> {
  const runId = `${name}-run`;
  const days = await replayRange(config, { from, to, runId, workers });
  const dir = join(root, 'backtests', name);
  writeBacktest({ dir, runId, config, days, startedAt: new Date(), finishedAt: new Date(), workers });
  return dir;
}

const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'dreambot-range-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('backtest outputs of the fixture day', () => {
  let a = '';
  let config: Config;
  beforeAll(async () => {
    config = cfg('fixtures/data', join(root, 'storage'));
    a = await run(config, '2025-03-10', '2025-03-10', 1, 'fixture-a');
  }, 120_000);

  it('match the committed golden summary.csv (exact) and trades.csv', () => {
    if (process.env.UPDATE_GOLDEN) {
      mkdirSync(GOLDEN, { recursive: true });
      for (const f of ['summary.csv', 'trades.csv']) writeFileSync(join(GOLDEN, f), read(a, f));
    }
    expect(read(a, 'summary.csv')).toBe(readFileSync(join(GOLDEN, 'summary.csv'), 'utf8'));
    expect(read(a, 'trades.csv')).toBe(readFileSync(join(GOLDEN, 'trades.csv'), 'utf8'));
  });

  it('are byte-identical across two runs except manifest.json', async () => {
    const b = await run(config, '2025-03-10', '2025-03-10', 1, 'fixture-b');
    for (const f of BACKTEST_FILES.filter((x) => x !== 'manifest.json')) expect(read(b, f), f).toBe(read(a, f));
    expect(JSON.parse(read(b, 'manifest.json')).runId).not.toBe(JSON.parse(read(a, 'manifest.json')).runId);
  }, 120_000);

  it('manifest names the config hash, seed, data files with sha256 and the data-quality report', () => {
    const m = JSON.parse(read(a, 'manifest.json'));
    expect(m.configHash).toMatch(/^[0-9a-f]{64}$/);
    expect(m.seed).toBe(42);
    expect(m.package.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(m.days[0].dataFiles.length).toBeGreaterThanOrEqual(5);
    for (const f of m.days[0].dataFiles) {
      expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(f.bytes).toBeGreaterThan(0);
    }
    expect(m.days[0].dataQuality.date).toBe('2025-03-10');
    expect(Object.keys(m.outputs).sort()).toEqual(['calibration.json', 'fill_quality.csv', 'report.html', 'summary.csv', 'trades.csv']);
  });

  it('writes every run table as date-partitioned Parquet that DuckDB reads back', async () => {
    const pq = join(root, 'storage', 'parquet');
    const tables = readdirSync(pq).sort();
    expect(tables).toEqual(['executions', 'features', 'gate_decisions', 'intents', 'order_events', 'orders', 'risk_decisions']);
    expect(readdirSync(join(pq, 'features', 'date=2025-03-10')).filter((f) => !f.endsWith('.parquet'))).toEqual([]);
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      const q = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjects();
      const f = await q(`SELECT count(*)::INT AS n, count(DISTINCT underlying)::INT AS u, min(date)::VARCHAR AS d FROM read_parquet('${pq}/features/**/*.parquet', hive_partitioning = true) WHERE run_id = 'fixture-a-run'`);
      expect(f[0]).toMatchObject({ u: 4, d: '2025-03-10' });
      expect(Number(f[0]!.n)).toBeGreaterThan(10_000);
      const ex = await q(`SELECT count(*)::INT AS n FROM read_parquet('${pq}/executions/**/*.parquet') WHERE run_id = 'fixture-a-run' AND fill_quantity > 0`);
      const fills = read(a, 'fill_quality.csv').trim().split('\n').length - 1;
      expect(Number(ex[0]!.n)).toBe(fills);
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  });

  it('report.html is self-contained: inline SVG, no scripts, no external references', () => {
    const html = read(a, 'report.html');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|https?:\/\/|src=|<link/i);
  });
});

describe('multi-day ranges', () => {
  let data = '';
  beforeAll(async () => {
    data = join(root, 'data');
    cpSync('fixtures/data', data, { recursive: true });
    // Friday a tiny synthetic day, Monday the fixture day; the weekend between is skipped.
    await generateSyntheticDay({ date: '2025-03-07', scale: 'tiny', seed: 7, outDir: data });
  }, 120_000);

  it('skips weekends and holidays', () => {
    expect(tradingDaysBetween('2025-03-07', '2025-03-10')).toEqual(['2025-03-07', '2025-03-10']);
    expect(tradingDaysBetween('2025-12-24', '2025-12-26')).toEqual(['2025-12-24', '2025-12-26']);
  });

  it('1 worker and 2 worker threads give byte-identical outputs (except manifest.json)', async () => {
    const c1 = cfg(data, join(root, 'storage-w1'));
    const c2 = cfg(data, join(root, 'storage-w2'));
    const one = await run(c1, '2025-03-07', '2025-03-10', 1, 'w1');
    const two = await run(c2, '2025-03-07', '2025-03-10', 2, 'w2');
    for (const f of BACKTEST_FILES.filter((x) => x !== 'manifest.json')) expect(read(two, f), f).toBe(read(one, f));
    const summary = read(one, 'summary.csv');
    expect(summary).toMatch(/^2025-03-07,all,all,/m);
    expect(summary).toMatch(/^2025-03-10,all,all,/m);
    expect(summary).toMatch(/^total,all,all,/m);
    expect(summary).not.toMatch(/2025-03-08|2025-03-09/);
    const m = JSON.parse(read(two, 'manifest.json'));
    expect(m.days.map((d: { date: string }) => d.date)).toEqual(['2025-03-07', '2025-03-10']);
    expect(m.workers).toBe(2);
    expect(existsSync(join(root, 'storage-w2', 'parquet', 'features', 'date=2025-03-07', 'w2-run.parquet'))).toBe(true);
  }, 180_000);
});

describe('workerDuckdbThreads: each worker gets its share of the cores', () => {
  it.each([
    [2, 2, 2, 1],
    [2, 2, 1, 2],
    [4, 8, 2, 4],
    [8, 8, 2, 4],
    [1, 16, 4, 1],
    [2, 1, 4, 1],
    [2, 2, 0, 2],
  ])('configured %i, %i cores, %i workers → %i', (configured, cores, workers, want) => {
    expect(workerDuckdbThreads(configured, cores, workers)).toBe(want);
  });
});
