/**
 * The replay source as the pipeline sees it: config + date → the day's catalog (built on first use, reused
 * afterwards) and one ordered Observable of its market events.
 */
import { join } from 'node:path';
import type { Observable } from 'rxjs';
import type { Config } from '../../domain/configSchema.js';
import type { MarketEvent } from '../../domain/events.js';
import { buildCatalog, type Catalog } from './buildCatalog.js';
import { catalogEvents } from './catalogEvents.js';

export interface ReplayDay {
  readonly catalog: Catalog;
  readonly events$: Observable<MarketEvent>;
}

export interface OpenReplayOptions {
  /** Rebuild the catalog even if one exists for this request. */
  readonly rebuild?: boolean;
  readonly onProgress?: (stage: string, fraction: number) => void;
}

export function catalogRoot(config: Config): string {
  return join(config.paths.storage, 'catalog');
}

export async function openReplay(config: Config, date: string, opts: OpenReplayOptions = {}): Promise<ReplayDay> {
  const r = config.replay;
  const catalog = await buildCatalog({
    dataRoot: config.paths.data,
    date,
    underlyings: r.symbols,
    strikeWindowPct: r.strikeWindowPct,
    expiries: r.expiries,
    minuteAggs: r.minuteAggs,
    verifyGzip: r.verifyGzip,
    catalogRoot: catalogRoot(config),
    duckdbMemoryMb: r.duckdbMemoryMb,
    duckdbThreads: r.duckdbThreads,
    force: opts.rebuild ?? false,
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  return { catalog, events$: catalogEvents(catalog, { duckdbMemoryMb: Math.min(r.duckdbMemoryMb, 256), duckdbThreads: r.duckdbThreads }) };
}
