/**
 * Replay one day end to end: the day's catalog → buildPipeline (features → signals → risk → OMS on the simulated
 * broker) → a summary: market events per type, features, signals per playbook, gate and risk decisions per
 * reason, orders, fills, round trips and P&L, plus a hash of every decision event (same data + config + seed →
 * same hash). `sourceOnly` streams the catalog without the stages (to measure the source). An `observer` sees
 * every event too (the backtest recorder: src/sinks/reports/runRecorder.ts).
 */
import { performance } from 'node:perf_hooks';
import type { Config } from '../domain/configSchema.js';
import { MARKET_EVENT_TYPES, isMarketEvent, type MarketEventType } from '../domain/events.js';
import { openReplay } from '../streams/replay/openReplay.js';
import type { CatalogMeta } from '../streams/replay/buildCatalog.js';
import { buildPipeline, type PipelineEvent } from './buildPipeline.js';
import { DecisionTally } from './decisionTally.js';
import { replayPorts } from './environments.js';

export interface TradingSummary {
  readonly features: number;
  readonly signalsByPlaybook: Readonly<Record<string, number>>;
  readonly gateByReason: Readonly<Record<string, number>>;
  readonly ordersApproved: number;
  readonly deniedByReason: Readonly<Record<string, number>>;
  readonly stateChanges: readonly string[];
  readonly fills: number;
  readonly trades: number;
  readonly wins: number;
  readonly netPnl: number;
  readonly pnlByPlaybook: Readonly<Record<string, number>>;
  readonly omsErrors: number;
  /** sha256 of every non-market event in order (EventHasher): the determinism fingerprint of a run. */
  readonly decisionsHash: string;
  readonly calendarProblem: string | null;
}

export interface ReplayDayResult {
  readonly date: string;
  readonly catalogDir: string;
  readonly catalogBuilt: boolean;
  readonly meta: CatalogMeta;
  readonly counts: Readonly<Record<MarketEventType, number>>;
  readonly events: number;
  readonly firstTs: number | null;
  readonly lastTs: number | null;
  readonly catalogSeconds: number;
  readonly streamSeconds: number;
  /** Null with `sourceOnly`. */
  readonly trading: TradingSummary | null;
}

export interface ReplayDayOptions {
  readonly rebuild?: boolean;
  readonly sourceOnly?: boolean;
  readonly onProgress?: (stage: string, fraction: number) => void;
  /** Sees every pipeline event in order (reports, storage); a leaf observer, never feeds back into decisions. */
  readonly observer?: (e: PipelineEvent) => void;
}

export async function replayDay(config: Config, date: string, opts: ReplayDayOptions = {}): Promise<ReplayDayResult> {
  const progress = opts.onProgress ?? (() => {});
  const t0 = performance.now();
  const day = await openReplay(config, date, {
    rebuild: opts.rebuild ?? false,
    onProgress: (s, f) => progress(`catalog: ${s}`, f * 0.5),
  });
  const t1 = performance.now();
  const counts = Object.fromEntries(MARKET_EVENT_TYPES.map((t) => [t, 0])) as Record<MarketEventType, number>;
  let n = 0;
  let firstTs: number | null = null;
  let lastTs: number | null = null;
  const total = Math.max(1, day.catalog.meta.rows);

  const tally = new DecisionTally();

  const observer = opts.observer;
  const onEvent = (e: PipelineEvent) => {
    if (observer) observer(e);
    if (isMarketEvent(e)) {
      counts[e.type as MarketEventType]++;
      if (firstTs === null) firstTs = e.ts;
      lastTs = e.ts;
      if ((++n & 0xffff) === 0) progress('replaying', 0.5 + (0.5 * n) / total);
      return;
    }
    tally.onEvent(e);
  };

  let calendarProblem: string | null = null;
  await new Promise<void>((resolve, reject) => {
    if (opts.sourceOnly) {
      day.events$.subscribe({ next: onEvent, error: reject, complete: resolve });
      return;
    }
    const ports = replayPorts(config, day.events$);
    calendarProblem = ports.calendarProblem;
    buildPipeline(ports, config).subscribe({ next: onEvent, error: reject, complete: resolve });
  });
  const t2 = performance.now();
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    date,
    catalogDir: day.catalog.dir,
    catalogBuilt: day.catalog.built,
    meta: day.catalog.meta,
    counts,
    events: n,
    firstTs,
    lastTs,
    catalogSeconds: (t1 - t0) / 1000,
    streamSeconds: (t2 - t1) / 1000,
    trading: opts.sourceOnly
      ? null
      : {
          features: tally.features,
          signalsByPlaybook: tally.signalsByPlaybook,
          gateByReason: tally.gateByReason,
          ordersApproved: tally.approved,
          deniedByReason: tally.denied,
          stateChanges: tally.stateChanges,
          fills: tally.fills,
          trades: tally.trades,
          wins: tally.wins,
          netPnl: round(tally.netPnl),
          pnlByPlaybook: Object.fromEntries(Object.entries(tally.pnlByPlaybook).map(([k, v]) => [k, round(v)])),
          omsErrors: tally.omsErrors,
          decisionsHash: tally.digest().decisionsHash,
          calendarProblem,
        },
  };
}
