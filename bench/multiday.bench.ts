/**
 * `npm run bench:multiday` — a 5-day synthetic range (Mon 2025-03-10 … Fri 2025-03-14, seeds 42…46) replayed
 * through the whole pipeline with the backtest recorder and Parquet store, on 1 worker (in-process) and on 2
 * worker threads; prints both wall times, the speed-up and checks the outputs are byte-identical.
 *
 * Days are generated once under storage/bench/multiday/ (BENCH_SCALE=full by default as issue 7 asks; `small`
 * for a quick look) and their catalogs are built before timing, so the runs compare replay work only.
 * BENCH_ROUNDS (default 1) alternates 1- and 2-worker runs and reports medians.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/domain/loadConfig.js';
import { replayRange } from '../src/pipeline/replayRange.js';
import { datasetPath } from '../src/streams/replay/flatFiles.js';
import { openReplay } from '../src/streams/replay/openReplay.js';
import { generateSyntheticDay, type SyntheticScale } from '../src/streams/synthetic/generateDay.js';
import { writeBacktest } from '../src/sinks/reports/writeBacktest.js';
import { median } from './benchDay.js';

const SCALE = (process.env.BENCH_SCALE ?? 'full') as SyntheticScale;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const ROOT = join(process.env.BENCH_DIR ?? join('storage', 'bench'), 'multiday', SCALE);
const DATA = join(ROOT, 'data');
const DAYS = ['2025-03-10', '2025-03-11', '2025-03-12', '2025-03-13', '2025-03-14'];

const config = loadConfig({
  env: {},
  overrides: { paths: { data: DATA, storage: join(ROOT, 'storage'), backtests: join(ROOT, 'backtests') }, replay: { symbols: ['SPY', 'QQQ', 'SPX', 'NDX'] } },
});

for (const [i, date] of DAYS.entries()) {
  if (existsSync(datasetPath(DATA, 'optionQuotes', date))) continue;
  process.stderr.write(`generating ${SCALE} synthetic day ${date} (one-off)…\n`);
  await generateSyntheticDay({ date, scale: SCALE, seed: 42 + i, outDir: DATA });
}
process.stderr.write('building catalogs (not timed)…\n');
for (const date of DAYS) await openReplay(config, date);

async function once(workers: number, round: number): Promise<{ seconds: number; summary: string; trades: string; events: number }> {
  const runId = `bench-w${workers}-r${round}`;
  const t0 = performance.now();
  const days = await replayRange(config, { from: DAYS[0]!, to: DAYS[DAYS.length - 1]!, runId, workers });
  const seconds = (performance.now() - t0) / 1000;
  const dir = join(ROOT, 'backtests', runId);
  rmSync(dir, { recursive: true, force: true });
  writeBacktest({ dir, runId, config, days, startedAt: new Date(), finishedAt: new Date(), workers });
  const events = days.reduce((s, d) => s + d.result.events, 0);
  process.stderr.write(`  ${workers} worker(s): ${seconds.toFixed(1)} s, ${events.toLocaleString('en-US')} events\n`);
  return { seconds, summary: readFileSync(join(dir, 'summary.csv'), 'utf8'), trades: readFileSync(join(dir, 'trades.csv'), 'utf8'), events };
}

const w1: number[] = [];
const w2: number[] = [];
let identical = true;
for (let r = 0; r < ROUNDS; r++) {
  const a = await once(1, r);
  const b = await once(2, r);
  w1.push(a.seconds);
  w2.push(b.seconds);
  identical &&= a.summary === b.summary && a.trades === b.trades;
}
const s1 = median(w1);
const s2 = median(w2);
process.stdout.write(
  `bench:multiday  ${DAYS.length} ${SCALE} synthetic days (${DAYS[0]} … ${DAYS[DAYS.length - 1]})\n` +
    `  1 worker   ${s1.toFixed(1)} s\n  2 workers  ${s2.toFixed(1)} s\n  speed-up   ${(s1 / s2).toFixed(2)}×\n` +
    `  outputs identical (summary.csv, trades.csv): ${identical ? 'yes' : 'NO'}\n`,
);
if (!identical) process.exitCode = 1;
