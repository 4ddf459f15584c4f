/**
 * `npm run bench:replay` — the replay source over a full-scale synthetic day.
 *
 * Reports, each phase in its own child process so peak RSS belongs to that phase alone:
 *  - catalog build time (flat files → Parquet catalog, forced rebuild);
 *  - raw DuckDB scan of the catalog (the same query the source runs, touching every value; the baseline);
 *  - the replay source (catalogEvents: typed arrays → MarketEvent objects → one subscriber that counts);
 * scan and replay alternate BENCH_ROUNDS times; medians and the replay/scan ratio are printed.
 * Targets (issue #2): replay ≥ 1.5M events/s, ≥ 70% of the raw scan, peak RSS < 400 MB.
 */
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { DuckDBInstance } from '@duckdb/node-api';
import { buildCatalog } from '../src/streams/replay/buildCatalog.js';
import { catalogEvents } from '../src/streams/replay/catalogEvents.js';
import { BENCH_ROUNDS, benchRequest, ensureFullDay, fmt, median, peakRssMb, phaseArg, runPhase, type PhaseResult } from './benchDay.js';

async function phase(name: string): Promise<PhaseResult> {
  if (name === 'build') {
    const t0 = performance.now();
    const c = await buildCatalog(benchRequest(true));
    const s = (performance.now() - t0) / 1000;
    return { phase: name, seconds: s, rows: c.meta.rows, rate: c.meta.rows / s, maxRssMb: peakRssMb() };
  }
  const catalog = await buildCatalog(benchRequest(false));
  if (name === 'scan') {
    const instance = await DuckDBInstance.create(':memory:', { memory_limit: '256MB', threads: '2' });
    const conn = await instance.connect();
    const t0 = performance.now();
    const res = await conn.stream(
      `SELECT kind, sym, ts, p1, p2, p3, p4, s1, s2, x1, x2, seq, cond FROM read_parquet('${catalog.parquet.replace(/'/g, "''")}')`,
    );
    let rows = 0;
    let acc = 0;
    for (;;) {
      const chunk = await res.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const n = chunk.rowCount;
      for (let c = 0; c < 13; c++) {
        const items = (chunk.getColumnVector(c) as unknown as { items: ArrayLike<number> }).items;
        for (let i = 0; i < n; i++) acc += items[i]!;
      }
      rows += n;
    }
    const s = (performance.now() - t0) / 1000;
    conn.closeSync();
    instance.closeSync();
    if (Number.isNaN(acc)) throw new Error('scan checksum is NaN');
    return { phase: name, seconds: s, rows, rate: rows / s, maxRssMb: peakRssMb() };
  }
  if (name === 'replay') {
    const t0 = performance.now();
    let rows = 0;
    let acc = 0;
    await new Promise<void>((resolve, reject) =>
      catalogEvents(catalog).subscribe({
        next: (e) => {
          rows++;
          acc += e.ts;
        },
        error: reject,
        complete: resolve,
      }),
    );
    const s = (performance.now() - t0) / 1000;
    if (Number.isNaN(acc)) throw new Error('replay checksum is NaN');
    return { phase: name, seconds: s, rows, rate: rows / s, maxRssMb: peakRssMb() };
  }
  throw new Error(`unknown phase ${name}`);
}

async function mainBench(): Promise<void> {
  await ensureFullDay();
  const self = fileURLToPath(import.meta.url);
  const build = runPhase(self, 'build');
  console.log(`catalog build: ${build.seconds.toFixed(2)} s for ${fmt(build.rows)} rows, peak RSS ${build.maxRssMb.toFixed(0)} MB`);
  const scans: PhaseResult[] = [];
  const replays: PhaseResult[] = [];
  for (let r = 0; r < BENCH_ROUNDS; r++) {
    scans.push(runPhase(self, 'scan'));
    replays.push(runPhase(self, 'replay'));
  }
  const scanRate = median(scans.map((p) => p.rate));
  const replayRate = median(replays.map((p) => p.rate));
  const ratio = replayRate / scanRate;
  const rss = Math.max(...replays.map((p) => p.maxRssMb));
  console.log(`raw DuckDB scan : median ${fmt(scanRate)} rows/s   (runs: ${scans.map((p) => fmt(p.rate)).join(', ')})`);
  console.log(`replay source   : median ${fmt(replayRate)} events/s (runs: ${replays.map((p) => fmt(p.rate)).join(', ')})`);
  console.log(`ratio replay/scan: ${(ratio * 100).toFixed(1)}%   events per run: ${fmt(replays[0]!.rows)}`);
  console.log(`peak RSS: replay ${rss.toFixed(0)} MB, scan ${Math.max(...scans.map((p) => p.maxRssMb)).toFixed(0)} MB`);
  const ok = replayRate >= 1.5e6 && ratio >= 0.7 && rss < 400;
  console.log(`targets (≥1.5M events/s, ≥70% of scan, RSS < 400 MB): ${ok ? 'met' : 'NOT met'}`);
}

const p = phaseArg();
if (p !== null) process.stdout.write(JSON.stringify(await phase(p)) + '\n');
else await mainBench();
