/**
 * `npx tsx bench/tui.bench.ts [--rounds N]` — replay throughput of a day (default the fixture day 2025-03-10; see
 * BENCH_DATA below), SPY SPX QQQ NDX,
 * through the whole pipeline, with the dashboard (`runDashboard`, speed 'max', rendering at 10 fps into an
 * in-memory 120×40 terminal) vs without it (the pipeline's output just counted). Target (issue #10): with / without
 * ≥ 0.8. Each phase runs in its own process (`--phase plain|tui`), alternating, medians compared; the catalog is
 * built once beforehand so neither phase pays for it.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Subject } from 'rxjs';
import { loadConfig } from '../src/domain/loadConfig.js';
import type { KillSwitch, TradingControl } from '../src/operators/risk/riskEvents.js';
import { buildPipeline } from '../src/pipeline/buildPipeline.js';
import { replayPorts } from '../src/pipeline/environments.js';
import { openReplay } from '../src/streams/replay/openReplay.js';
import { FakeStdin, FakeStdout } from '../src/cli/tui/fakeTerminal.js';
import { paced } from '../src/cli/tui/paced.js';
import { runDashboard } from '../src/cli/tui/runDashboard.js';

// BENCH_DATA / BENCH_STORAGE point it at a bigger day (e.g. the full-scale synthetic day of bench:replay under
// storage/bench), where the dashboard's fixed start-up cost (React/Ink's first renders) is amortised.
const DATE = process.env.BENCH_DATE ?? '2025-03-10';
const config = loadConfig({
  overrides: {
    paths: { data: process.env.BENCH_DATA ?? 'fixtures/data', ...(process.env.BENCH_STORAGE ? { storage: process.env.BENCH_STORAGE } : {}) },
    replay: { symbols: ['SPY', 'SPX', 'QQQ', 'NDX'] },
  },
});

interface Result {
  readonly phase: string;
  readonly events: number;
  readonly seconds: number;
  readonly rate: number;
  /** Events per CPU second (user + system, all threads): less sensitive to other load on the machine. */
  readonly cpuRate: number;
  readonly frames?: number;
}

async function phase(name: 'plain' | 'tui'): Promise<Result> {
  const day = await openReplay(config, DATE);
  const control = new Subject<KillSwitch | TradingControl>();
  const events$ = buildPipeline({ ...replayPorts(config, day.events$.pipe(paced('max'))), control$: control }, config);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const cpu = () => {
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1e6;
  };
  if (name === 'plain') {
    let n = 0;
    await new Promise<void>((resolve, reject) => events$.subscribe({ next: () => void n++, error: reject, complete: resolve }));
    const s = (performance.now() - t0) / 1000;
    return { phase: name, events: n, seconds: s, rate: n / s, cpuRate: n / cpu() };
  }
  const stdout = new FakeStdout(120, 40, false);
  const exit = await runDashboard({
    events$,
    control,
    title: `replay ${DATE} max speed`,
    exitOnComplete: true,
    stdout: stdout as never,
    stdin: new FakeStdin() as never,
    patchConsole: false,
  });
  const s = (performance.now() - t0) / 1000;
  return { phase: name, events: exit.state.events, seconds: s, rate: exit.state.events / s, cpuRate: exit.state.events / cpu(), frames: stdout.writes };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const i = process.argv.indexOf('--phase');
if (i >= 0) {
  const r = await phase(process.argv[i + 1] as 'plain' | 'tui');
  process.stdout.write(JSON.stringify(r) + '\n');
  process.exit(0);
} else {
  const j = process.argv.indexOf('--rounds');
  const rounds = j >= 0 ? Number(process.argv[j + 1]) : 3;
  await openReplay(config, DATE); // build the catalog once
  const self = fileURLToPath(import.meta.url);
  const run = (p: string): Result => JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', self, '--phase', p], { encoding: 'utf8' }).trim().split('\n').at(-1)!) as Result;
  const plain: Result[] = [];
  const tui: Result[] = [];
  for (let r = 0; r < rounds; r++) {
    plain.push(run('plain'));
    tui.push(run('tui'));
    const [a, b] = [plain.at(-1)!, tui.at(-1)!];
    process.stderr.write(
      `round ${r + 1}: plain ${a.rate.toFixed(0)} ev/s (${a.cpuRate.toFixed(0)} per CPU s), tui ${b.rate.toFixed(0)} ev/s (${b.cpuRate.toFixed(0)} per CPU s, ${b.frames} terminal writes)\n`,
    );
  }
  const p = median(plain.map((x) => x.rate));
  const t = median(tui.map((x) => x.rate));
  const pc = median(plain.map((x) => x.cpuRate));
  const tc = median(tui.map((x) => x.cpuRate));
  process.stdout.write(
    `day ${DATE}: ${plain[0]!.events.toLocaleString('en-US')} pipeline events, medians of ${rounds} alternating runs\n` +
      `                     wall events/s   events per CPU s\n` +
      `  without dashboard  ${p.toFixed(0).padStart(13)}   ${pc.toFixed(0).padStart(16)}\n` +
      `  with dashboard     ${t.toFixed(0).padStart(13)}   ${tc.toFixed(0).padStart(16)}   (speed max, ≤ 10 fps)\n` +
      `  ratio              ${(t / p).toFixed(3).padStart(13)}   ${(tc / pc).toFixed(3).padStart(16)}   (target ≥ 0.8)\n`,
  );
}
