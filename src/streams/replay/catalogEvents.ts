/**
 * Source: a catalog's Parquet file → ONE Observable<MarketEvent> in catalog order (ts, then the deterministic
 * tie-break the catalog was sorted by).
 *
 * Streaming: DuckDB hands over one chunk (≈2k rows) at a time; every event of a chunk is emitted synchronously,
 * and the next chunk is fetched only after that, so memory is bounded by one chunk whatever the size of the day.
 * Columns are read as typed arrays (no per-value boxing); symbols and condition lists come from the catalog's
 * dictionaries, so events share interned strings and frozen arrays.
 *
 * Invariants checked per event (a broken one errors the stream with a clear message): `ts` finite and never
 * going backwards.
 *
 * Unsubscribing stops after the current chunk and closes DuckDB.
 */
import { Observable } from 'rxjs';
import { DuckDBInstance } from '@duckdb/node-api';
import type { MarketEvent } from '../../domain/events.js';
import { KIND, type Catalog } from './buildCatalog.js';
import { conditionTables } from './conditionTables.js';

export interface CatalogEventsOptions {
  readonly duckdbMemoryMb?: number;
  readonly duckdbThreads?: number;
}

const COLUMNS = ['kind', 'sym', 'ts', 'p1', 'p2', 'p3', 'p4', 's1', 's2', 'x1', 'x2', 'seq', 'cond'] as const;

export function catalogEvents(catalog: Catalog, opts: CatalogEventsOptions = {}): Observable<MarketEvent> {
  return new Observable<MarketEvent>((subscriber) => {
    let closed = false;
    const { symbols } = catalog.meta;
    const { stock, option } = conditionTables(catalog.meta.conditions);
    (async () => {
      const instance = await DuckDBInstance.create(':memory:', {
        memory_limit: `${opts.duckdbMemoryMb ?? 256}MB`,
        threads: String(opts.duckdbThreads ?? 2),
      });
      const conn = await instance.connect();
      try {
        const path = catalog.parquet.replace(/'/g, "''");
        const result = await conn.stream(`SELECT ${COLUMNS.join(', ')} FROM read_parquet('${path}')`);
        let lastTs = -Infinity;
        for (;;) {
          if (closed) return;
          const chunk = await result.fetchChunk();
          if (!chunk || chunk.rowCount === 0) break;
          const n = chunk.rowCount;
          const col = (i: number) => (chunk.getColumnVector(i) as unknown as { items: ArrayLike<number> }).items;
          const kind = col(0);
          const sym = col(1);
          const ts = col(2);
          const p1 = col(3);
          const p2 = col(4);
          const p3 = col(5);
          const p4 = col(6);
          const s1 = col(7);
          const s2 = col(8);
          const x1 = col(9);
          const x2 = col(10);
          const seq = col(11);
          const cond = col(12);
          for (let i = 0; i < n; i++) {
            if (closed) return;
            const t = ts[i]!;
            if (!(t >= lastTs) || !Number.isFinite(t)) {
              throw new Error(`replay invariant broken in ${catalog.parquet}: ts ${t} after ${lastTs} (row ${i} of a chunk)`);
            }
            lastTs = t;
            const symbol = symbols[sym[i]!]!;
            let ev: MarketEvent;
            switch (kind[i]) {
              case KIND.Quote:
                ev = { type: 'Quote', ts: t, symbol, bid: p1[i]!, bidSize: s1[i]!, ask: p2[i]!, askSize: s2[i]!, bidExchange: x1[i]!, askExchange: x2[i]!, seq: seq[i]! };
                break;
              case KIND.Trade: {
                const c = stock[cond[i]!]!;
                ev = { type: 'Trade', ts: t, symbol, price: p1[i]!, size: s1[i]!, exchange: x1[i]!, conditions: c.codes, eligible: c.eligible, seq: seq[i]! };
                break;
              }
              case KIND.OptionQuote:
                ev = { type: 'OptionQuote', ts: t, symbol, bid: p1[i]!, bidSize: s1[i]!, ask: p2[i]!, askSize: s2[i]!, bidExchange: x1[i]!, askExchange: x2[i]!, seq: seq[i]! };
                break;
              case KIND.OptionTrade: {
                const c = option[cond[i]!]!;
                ev = { type: 'OptionTrade', ts: t, symbol, price: p1[i]!, size: s1[i]!, exchange: x1[i]!, conditions: c.codes, eligible: c.eligible };
                break;
              }
              case KIND.IndexValue:
                ev = { type: 'IndexValue', ts: t, symbol, value: p1[i]! };
                break;
              case KIND.Bar:
                ev = { type: 'Bar', ts: t, symbol, interval: '1m', start: t - 60_000, open: p1[i]!, high: p2[i]!, low: p3[i]!, close: p4[i]!, volume: s1[i]!, transactions: s2[i]! };
                break;
              default:
                throw new Error(`catalog ${catalog.parquet} holds unknown row kind ${kind[i]}`);
            }
            subscriber.next(ev);
          }
        }
        if (!closed) subscriber.complete();
      } finally {
        conn.closeSync();
        instance.closeSync();
      }
    })().catch((e: unknown) => {
      if (!closed) subscriber.error(e);
    });
    return () => {
      closed = true;
    };
  });
}
