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
import { EventHasher } from './eventHasher.js';
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

const bump = (m: Record<string, number>, k: string, by = 1) => {
  m[k] = (m[k] ?? 0) + by;
};

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

  const signalsByPlaybook: Record<string, number> = {};
  const gateByReason: Record<string, number> = {};
  const deniedByReason: Record<string, number> = {};
  const pnlByPlaybook: Record<string, number> = {};
  const stateChanges: string[] = [];
  let featuresN = 0;
  let approved = 0;
  let fills = 0;
  let trades = 0;
  let wins = 0;
  let netPnl = 0;
  let omsErrors = 0;
  const hash = new EventHasher();

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
    hash.add(e);
    switch (e.type) {
      case 'Features':
        featuresN++;
        return;
      case 'SignalIntent':
        bump(signalsByPlaybook, e.playbook);
        return;
      case 'GateDecision':
        bump(gateByReason, e.reason);
        return;
      case 'OrderIntent':
        approved++;
        return;
      case 'OrderDenied':
        bump(deniedByReason, e.reason);
        return;
      case 'TradingStateChanged':
        stateChanges.push(`${e.from}→${e.to}: ${e.reason}`);
        return;
      case 'ExecutionReport':
        if (e.fillQuantity > 0) fills++;
        return;
      case 'TradeClosed':
        trades++;
        if (e.pnl > 0) wins++;
        netPnl += e.pnl;
        bump(pnlByPlaybook, e.playbook, e.pnl);
        return;
      case 'OmsError':
        omsErrors++;
        return;
      default:
        return;
    }
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
          features: featuresN,
          signalsByPlaybook,
          gateByReason,
          ordersApproved: approved,
          deniedByReason,
          stateChanges,
          fills,
          trades,
          wins,
          netPnl: round(netPnl),
          pnlByPlaybook: Object.fromEntries(Object.entries(pnlByPlaybook).map(([k, v]) => [k, round(v)])),
          omsErrors,
          decisionsHash: hash.digest(),
          calendarProblem,
        },
  };
}
