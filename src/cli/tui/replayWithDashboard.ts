/**
 * `dreambot replay --tui [--speed 1|10|60|max]`: one day through buildPipeline with the dashboard on top. The source
 * is paced (wall-clock pacing is a source-side adapter), controls from the keys (kill, pause, resume) go in through
 * the pipeline's control input, and the pipeline never imports the UI. Backtest files are not written in this mode.
 */
import { Subject } from 'rxjs';
import type { Config } from '../../domain/configSchema.js';
import type { KillSwitch, TradingControl } from '../../operators/risk/riskEvents.js';
import { buildPipeline } from '../../pipeline/buildPipeline.js';
import { replayPorts } from '../../pipeline/environments.js';
import { openReplay } from '../../streams/replay/openReplay.js';
import { paced, type ReplaySpeed } from './paced.js';
import { runDashboard, type DashboardExit } from './runDashboard.js';

export function parseSpeed(s: string | number | undefined): ReplaySpeed {
  const v = s === undefined ? 'max' : String(s);
  if (v === 'max') return 'max';
  const n = Number(v);
  if (n === 1 || n === 10 || n === 60) return n;
  throw new Error(`--speed must be 1, 10, 60 or max (got ${v})`);
}

export async function replayWithDashboard(
  config: Config,
  date: string,
  speed: ReplaySpeed,
  opts: { fastForwardUntil?: number; exitOnComplete?: boolean } = {},
): Promise<DashboardExit> {
  const day = await openReplay(config, date);
  const control = new Subject<KillSwitch | TradingControl>();
  const source$ = day.events$.pipe(paced(speed, opts.fastForwardUntil !== undefined ? { fastForwardUntil: opts.fastForwardUntil } : {}));
  const ports = { ...replayPorts(config, source$), control$: control };
  const dq: Record<string, number> = {};
  for (const d of day.catalog.meta.dataQuality.dropped) dq[`${d.dataset}/${d.reason}`] = (dq[`${d.dataset}/${d.reason}`] ?? 0) + d.rows;
  if (day.catalog.meta.dataQuality.malformed.total > 0) dq.malformed = day.catalog.meta.dataQuality.malformed.total;
  return runDashboard({
    events$: buildPipeline(ports, config),
    control,
    title: `replay ${date} ${speed === 'max' ? 'max speed' : `×${speed}`}`,
    dataQuality: dq,
    exitOnComplete: opts.exitOnComplete ?? false,
  });
}
