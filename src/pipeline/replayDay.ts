/**
 * Replay one day end to end. For now the pipeline is the source alone: it streams the day's ordered events and
 * counts them per type; later stages (features → signals → risk → OMS) plug in here, on the same stream.
 */
import { performance } from 'node:perf_hooks';
import type { Config } from '../domain/configSchema.js';
import { MARKET_EVENT_TYPES, type MarketEventType } from '../domain/events.js';
import { openReplay } from '../streams/replay/openReplay.js';
import type { CatalogMeta } from '../streams/replay/buildCatalog.js';

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
}

export interface ReplayDayOptions {
  readonly rebuild?: boolean;
  readonly onProgress?: (stage: string, fraction: number) => void;
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
  await new Promise<void>((resolve, reject) => {
    day.events$.subscribe({
      next: (e) => {
        counts[e.type]++;
        if (firstTs === null) firstTs = e.ts;
        lastTs = e.ts;
        if ((++n & 0xffff) === 0) progress('replaying', 0.5 + (0.5 * n) / total);
      },
      error: reject,
      complete: resolve,
    });
  });
  const t2 = performance.now();
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
  };
}
