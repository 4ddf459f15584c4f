/**
 * Demo launcher: the dashboard over a paced replay of the bundled fixture day (what scripts/tui-demo.sh runs in
 * tmux). The same wiring `dreambot replay --tui --speed S` uses:
 *
 *   openReplay → events$.pipe(paced(speed)) → replayPorts(…, control$) → buildPipeline → runDashboard
 *
 * Pacing is applied to the SOURCE, so the pipeline (and what k / p / r act on) runs at the pace on screen.
 *
 *   npx tsx src/cli/tui/demoReplay.ts [--speed 1|10|60|max] [--from HH:MM] [--date YYYY-MM-DD] [--exit]
 *
 * --from fast-forwards (unpaced) to that New York time; --exit closes when the replay ends.
 */
import { loadConfig } from '../../domain/loadConfig.js';
import { nyTimeToMs } from '../../domain/time.js';
import { replayWithDashboard } from './replayWithDashboard.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const date = arg('date') ?? '2025-03-10';
const speedArg = arg('speed') ?? '60';
const speed = speedArg === 'max' ? 'max' : Number(speedArg);
if (speed !== 'max' && ![1, 10, 60].includes(speed)) throw new Error(`--speed must be 1, 10, 60 or max (got ${speedArg})`);
const from = arg('from');
const fastForwardUntil = from ? nyTimeToMs(date, Number(from.split(':')[0]), Number(from.split(':')[1] ?? 0)) : undefined;

const config = loadConfig({ overrides: { paths: { data: 'fixtures/data' }, replay: { symbols: ['SPY', 'SPX', 'QQQ', 'NDX'] } } });
const exit = await replayWithDashboard(config, date, speed as 1 | 10 | 60 | 'max', {
  ...(fastForwardUntil !== undefined ? { fastForwardUntil } : {}),
  exitOnComplete: process.argv.includes('--exit'),
});
process.stdout.write(
  `dashboard closed (${exit.reason}${exit.error ? `: ${exit.error}` : ''}): ${exit.state.events} events, realised P&L ${exit.state.orders.realized.toFixed(2)}\n`,
);
process.exit(exit.error ? 1 : 0);
