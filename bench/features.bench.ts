/**
 * `npm run bench:features` — the whole feature stage over a full-scale synthetic day, beside the replay source
 * alone in the same run. Each phase runs in its own process (own peak RSS); phases alternate BENCH_ROUNDS times
 * and medians are compared. Target (issue #3): features/source events-per-second ratio ≥ 0.5.
 * Also reports the per-event latency percentiles of the feature stage (time spent in the operator per input
 * event, sampled every 64th event) from a separate run, so timing does not slow the throughput runs.
 */
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Subject, tap } from 'rxjs';
import { buildCatalog } from '../src/streams/replay/buildCatalog.js';
import { catalogEvents } from '../src/streams/replay/catalogEvents.js';
import { features } from '../src/operators/features/features.js';
import { featuresConfigSchema } from '../src/operators/features/featuresConfig.js';
import type { MarketEvent } from '../src/domain/events.js';
import { BENCH_ROUNDS, benchRequest, ensureFullDay, fmt, median, peakRssMb, phaseArg, runPhase, type PhaseResult } from './benchDay.js';

async function phase(name: string): Promise<PhaseResult> {
  const catalog = await buildCatalog(benchRequest(false));
  const source = catalogEvents(catalog);
  if (name === 'source') {
    const t0 = performance.now();
    let rows = 0;
    await new Promise<void>((resolve, reject) => source.subscribe({ next: () => void rows++, error: reject, complete: resolve }));
    const s = (performance.now() - t0) / 1000;
    return { phase: name, seconds: s, rows, rate: rows / s, maxRssMb: peakRssMb() };
  }
  if (name === 'features') {
    let out = 0;
    let rows = 0;
    const counted = source.pipe(tap(() => void rows++));
    const t0 = performance.now();
    await new Promise<void>((resolve, reject) =>
      counted.pipe(features(featuresConfigSchema.parse({}))).subscribe({ next: () => void out++, error: reject, complete: resolve }),
    );
    const s = (performance.now() - t0) / 1000;
    return { phase: name, seconds: s, rows, rate: rows / s, maxRssMb: peakRssMb(), extra: { featuresOut: out } };
  }
  if (name === 'latency') {
    // Time every 64th event through the (synchronous) feature stage; a separate run so timing does not slow the
    // throughput runs.
    const samples: number[] = [];
    const inner = new Subject<MarketEvent>();
    inner.pipe(features(featuresConfigSchema.parse({}))).subscribe();
    let rows = 0;
    const t0 = performance.now();
    await new Promise<void>((resolve, reject) =>
      source.subscribe({
        next: (e) => {
          if ((++rows & 63) === 0) {
            const m = performance.now();
            inner.next(e);
            samples.push(performance.now() - m);
          } else inner.next(e);
        },
        error: reject,
        complete: resolve,
      }),
    );
    const s = (performance.now() - t0) / 1000;
    samples.sort((a, b) => a - b);
    const pct = (p: number) => (samples[Math.min(samples.length - 1, Math.floor(p * samples.length))] ?? 0) * 1000;
    return { phase: name, seconds: s, rows, rate: rows / s, maxRssMb: peakRssMb(), extra: { p50us: pct(0.5), p99us: pct(0.99), p999us: pct(0.999) } };
  }
  throw new Error(`unknown phase ${name}`);
}

async function mainBench(): Promise<void> {
  await ensureFullDay();
  const self = fileURLToPath(import.meta.url);
  runPhase(self, 'source'); // warm the catalog (built once, reused)
  const src: PhaseResult[] = [];
  const feat: PhaseResult[] = [];
  for (let r = 0; r < BENCH_ROUNDS; r++) {
    src.push(runPhase(self, 'source'));
    feat.push(runPhase(self, 'features'));
  }
  const a = median(src.map((p) => p.rate));
  const b = median(feat.map((p) => p.rate));
  const last = feat[feat.length - 1]!;
  const lat = runPhase(self, 'latency');
  console.log(`replay source alone : median ${fmt(a)} events/s (runs: ${src.map((p) => fmt(p.rate)).join(', ')})`);
  console.log(`source + features   : median ${fmt(b)} events/s (runs: ${feat.map((p) => fmt(p.rate)).join(', ')})`);
  console.log(`ratio features/source: ${(b / a).toFixed(2)} (target ≥ 0.5)   events: ${fmt(last.rows)}, Features records: ${fmt(last.extra?.featuresOut ?? 0)}`);
  console.log(
    `feature-stage latency per event (every 64th, separate run): p50 ${lat.extra?.p50us?.toFixed(2)} µs, p99 ${lat.extra?.p99us?.toFixed(2)} µs, p99.9 ${lat.extra?.p999us?.toFixed(2)} µs`,
  );
  console.log(`peak RSS: source ${Math.max(...src.map((p) => p.maxRssMb)).toFixed(0)} MB, features ${Math.max(...feat.map((p) => p.maxRssMb)).toFixed(0)} MB`);
}

const p = phaseArg();
if (p !== null) process.stdout.write(JSON.stringify(await phase(p)) + '\n');
else await mainBench();
