/**
 * Environments: named sets of ports for buildPipeline (DESIGN.md §1). Only `replay` exists so far:
 *
 * | environment | source                         | broker                                   | time            |
 * |-------------|--------------------------------|------------------------------------------|-----------------|
 * | replay      | the day's catalog (DuckDB)     | SimBroker (fill model on recorded NBBO)  | event time only |
 *
 * paper / sandbox / live (Polygon sockets, Tradier) are assembled here when the live sources land.
 */
import type { Observable } from 'rxjs';
import type { Config } from '../domain/configSchema.js';
import type { MarketEvent } from '../domain/events.js';
import type { EconomicCalendar } from '../operators/risk/economicCalendar.js';
import { loadEconomicCalendar } from '../operators/risk/loadEconomicCalendar.js';
import { MemoryJournal } from '../sinks/oms/journal.js';
import { SimBroker } from '../sinks/oms/simBroker.js';
import type { PipelinePorts } from './buildPipeline.js';

export interface ReplayPorts extends PipelinePorts {
  readonly broker: SimBroker;
  /** Why the economic calendar could not be loaded (entries then stay blocked), or null. */
  readonly calendarProblem: string | null;
}

export function replayPorts(config: Config, source$: Observable<MarketEvent>): ReplayPorts {
  let calendar: EconomicCalendar | null = null;
  let calendarProblem: string | null = null;
  try {
    calendar = loadEconomicCalendar(config.risk.calendarFile);
  } catch (e) {
    calendarProblem = (e as Error).message;
  }
  // Replay journals in memory: the file journal exists for crash recovery of live brokers.
  return { source$, broker: new SimBroker(config.oms.sim), journal: new MemoryJournal(), calendar, calendarProblem };
}
