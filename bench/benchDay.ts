/**
 * Shared by the benchmarks: the full-scale synthetic day they run on (generated once under storage/bench/ and
 * reused), its catalog request, child-process phases (so each phase's peak RSS is its own) and medians.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CatalogRequest } from '../src/streams/replay/buildCatalog.js';
import { datasetPath } from '../src/streams/replay/flatFiles.js';
import { generateSyntheticDay } from '../src/streams/synthetic/generateDay.js';

export const BENCH_DATE = process.env.BENCH_DATE ?? '2025-03-10';
export const BENCH_SEED = Number(process.env.BENCH_SEED ?? 42);
export const BENCH_ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
export const BENCH_DIR = process.env.BENCH_DIR ?? join('storage', 'bench');
const DATA = join(BENCH_DIR, 'data');

export function benchRequest(force: boolean): CatalogRequest {
  return {
    dataRoot: DATA,
    date: BENCH_DATE,
    underlyings: ['SPY', 'QQQ', 'SPX', 'NDX'],
    strikeWindowPct: 0.02,
    expiries: 2,
    minuteAggs: true,
    verifyGzip: true,
    catalogRoot: join(BENCH_DIR, 'catalog'),
    duckdbMemoryMb: 1024,
    duckdbThreads: 2,
    force,
  };
}

export async function ensureFullDay(): Promise<void> {
  if (existsSync(datasetPath(DATA, 'optionQuotes', BENCH_DATE))) return;
  process.stderr.write(`generating a full-scale synthetic day ${BENCH_DATE} under ${DATA} (one-off)…\n`);
  const t0 = performance.now();
  await generateSyntheticDay({ date: BENCH_DATE, scale: 'full', seed: BENCH_SEED, outDir: DATA });
  process.stderr.write(`  generated in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}

export interface PhaseResult {
  readonly phase: string;
  readonly seconds: number;
  readonly rows: number;
  readonly rate: number;
  readonly maxRssMb: number;
  readonly extra?: Record<string, number>;
}

export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Run `script --phase name` in a fresh Node process and parse the PhaseResult it prints last. */
export function runPhase(script: string, name: string): PhaseResult {
  const out = execFileSync(process.execPath, ['--import', 'tsx', script, '--phase', name], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as PhaseResult;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export function phaseArg(): string | null {
  const i = process.argv.indexOf('--phase');
  return i === -1 ? null : (process.argv[i + 1] ?? '');
}
