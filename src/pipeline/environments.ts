/**
 * Environments: named sets of ports for buildPipeline (DESIGN.md §1).
 *
 * | environment | source                                   | broker                                   | time                         |
 * |-------------|------------------------------------------|------------------------------------------|------------------------------|
 * | replay      | the day's catalog (DuckDB)               | SimBroker (fill model on recorded NBBO)  | event time only              |
 * | paper       | Polygon sockets (PolygonLiveFeed)        | SimBroker on live quotes                 | event time + heartbeats      |
 * | sandbox     | Polygon sockets                          | TradierBroker → sandbox host             | as paper                     |
 * | live        | Polygon sockets                          | TradierBroker → production (opt-in)      | as paper                     |
 *
 * Paper is replay's ports with a live source and the kill-switch file as control input: same SimBroker config,
 * same calendar, so a recorded paper session replays to the same decisions. Sandbox and live reconcile the
 * journal against the broker before the first entry (`reconciled`; a halt blocks entries, exits still work).
 * The live source also emits FeedState items in the same ordered stream (risk reads them; see PolygonLiveFeed),
 * hence the widening cast on `source$`.
 */
import { join } from 'node:path';
import type { Observable } from 'rxjs';
import type { Config } from '../domain/configSchema.js';
import type { TradierEnv } from '../domain/env.js';
import type { MarketEvent } from '../domain/events.js';
import type { EconomicCalendar } from '../operators/risk/economicCalendar.js';
import { killSwitchFile } from '../operators/risk/killSwitchFile.js';
import { loadEconomicCalendar } from '../operators/risk/loadEconomicCalendar.js';
import type { FeedState, KillSwitch, TradingControl } from '../operators/risk/riskEvents.js';
import { toNy } from '../domain/time.js';
import { FileJournal, MemoryJournal, loadJournal, type Journal } from '../sinks/oms/journal.js';
import { reconcile, type ReconcileResult } from '../sinks/oms/reconcile.js';
import { SimBroker } from '../sinks/oms/simBroker.js';
import { TradierBroker, type TradierLog } from '../sinks/oms/tradier/tradierBroker.js';
import type { PipelinePorts } from './buildPipeline.js';

export interface ReplayPorts extends PipelinePorts {
  readonly broker: SimBroker;
  /** Why the economic calendar could not be loaded (entries then stay blocked), or null. */
  readonly calendarProblem: string | null;
}

export function replayPorts(config: Config, source$: Observable<MarketEvent>): ReplayPorts {
  // Replay journals in memory: the file journal exists for crash recovery of live brokers.
  return { source$, broker: new SimBroker(config.oms.sim), journal: new MemoryJournal(), ...calendarOf(config) };
}

/** The live source's stream: market events plus FeedState (risk input) in one order. */
export type LiveSource = Observable<MarketEvent | FeedState>;

export interface LivePorts extends PipelinePorts {
  readonly calendarProblem: string | null;
  /** Start-up reconciliation (sandbox/live); null in paper. */
  readonly reconciliation: ReconcileResult | null;
  /** Release files (journal) at shutdown. */
  close(): void;
}

export interface LivePortsOptions {
  /** Manual controls; default the kill-switch file `<storage>/KILL` (what `dreambot kill` writes). */
  readonly control$?: Observable<KillSwitch | TradingControl>;
  /** Event-time clock for broker report stamps (the live source's last stamp). */
  readonly eventClock?: () => number;
  readonly log?: TradierLog;
  /** Wall clock (reconciliation stamp before any event). */
  readonly now?: () => number;
}

function calendarOf(config: Config): { calendar: EconomicCalendar | null; calendarProblem: string | null } {
  try {
    return { calendar: loadEconomicCalendar(config.risk.calendarFile), calendarProblem: null };
  } catch (e) {
    return { calendar: null, calendarProblem: (e as Error).message };
  }
}

function controlOf(config: Config, opts: LivePortsOptions): Observable<KillSwitch | TradingControl> {
  return opts.control$ ?? killSwitchFile(join(config.paths.storage, 'KILL'));
}

/** Paper: SimBroker on live quotes; journal kept in memory (the SimBroker's state does not survive a restart). */
export function paperPorts(config: Config, source$: LiveSource, opts: LivePortsOptions = {}): LivePorts {
  const journal = new MemoryJournal();
  return {
    source$: source$ as Observable<MarketEvent>,
    broker: new SimBroker(config.oms.sim),
    journal,
    ...calendarOf(config),
    control$: controlOf(config, opts),
    reconciliation: null,
    close: () => {},
  };
}

/**
 * Sandbox or live: TradierBroker on the given host and account, the file journal, and start-up reconciliation of
 * today's journal against the broker's orders and positions.
 */
export async function tradierPorts(config: Config, source$: LiveSource, tradier: TradierEnv, mode: 'sandbox' | 'live', opts: LivePortsOptions = {}): Promise<LivePorts> {
  const now = opts.now ?? Date.now;
  const broker = new TradierBroker({
    baseUrl: tradier.apiUrl,
    accountId: tradier.accountId,
    token: tradier.token,
    name: `tradier-${mode}`,
    stream: { url: tradier.streamUrl },
    ...(opts.eventClock ? { reportClock: opts.eventClock } : {}),
    ...(opts.log ? { log: opts.log } : {}),
  });
  const dir = join(config.oms.journal.dir, mode);
  const journal: Journal = config.oms.journal.enabled ? new FileJournal(dir, { fsync: config.oms.journal.fsync }) : new MemoryJournal();
  const ts = now();
  const loaded = loadJournal(dir, toNy(ts).date);
  const reconciliation = await reconcile({ records: loaded.records, journalProblems: loaded.problems, broker, ts });
  return {
    source$: source$ as Observable<MarketEvent>,
    broker,
    journal,
    ...calendarOf(config),
    control$: controlOf(config, opts),
    reconciled: { adopted: reconciliation.adopted, haltEntries: reconciliation.haltEntries, ts },
    reconciliation,
    close: () => {
      broker.close();
      if (journal instanceof FileJournal) journal.close();
    },
  };
}
