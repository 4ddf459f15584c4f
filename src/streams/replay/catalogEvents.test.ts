import { afterAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, take, toArray } from 'rxjs';
import { buildCatalog, type Catalog, type CatalogRequest } from './buildCatalog.js';
import { catalogEvents } from './catalogEvents.js';
import { DAY, writeDay } from './replayTestDay.js';
import type { MarketEvent } from '../../domain/events.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function freshCatalog(): Promise<Catalog> {
  const root = mkdtempSync(join(tmpdir(), 'dreambot-events-'));
  dirs.push(root);
  writeDay(join(root, 'data'));
  const req: CatalogRequest = {
    dataRoot: join(root, 'data'),
    date: DAY,
    underlyings: ['SPX', 'SPY', 'NDX', 'QQQ'],
    strikeWindowPct: 0.02,
    expiries: 2,
    minuteAggs: true,
    verifyGzip: true,
    catalogRoot: join(root, 'catalog'),
    duckdbMemoryMb: 256,
    duckdbThreads: 2,
  };
  return buildCatalog(req);
}

function hashEvents(events: readonly MarketEvent[]): string {
  const h = createHash('sha256');
  for (const e of events) h.update(JSON.stringify(e)).update('\n');
  return h.digest('hex');
}

describe('catalogEvents', () => {
  it('emits every catalog row once, in non-decreasing ts across all kinds, then completes', async () => {
    const c = await freshCatalog();
    const events = await lastValueFrom(catalogEvents(c, { duckdbThreads: 1 }).pipe(toArray()));
    expect(events).toHaveLength(c.meta.rows);
    const kinds = new Set(events.map((e) => e.type));
    expect([...kinds].sort()).toEqual(['Bar', 'IndexValue', 'OptionQuote', 'OptionTrade', 'Quote', 'Trade']);
    for (let i = 1; i < events.length; i++) expect(events[i]!.ts).toBeGreaterThanOrEqual(events[i - 1]!.ts);
  });

  it('two catalogs built from the same files replay identical event sequences (hash compare)', async () => {
    const [a, b] = [await freshCatalog(), await freshCatalog()];
    const ea = await lastValueFrom(catalogEvents(a).pipe(toArray()));
    const eb = await lastValueFrom(catalogEvents(b, { duckdbThreads: 1 }).pipe(toArray()));
    expect(ea.length).toBeGreaterThan(100);
    expect(hashEvents(eb)).toBe(hashEvents(ea));
  });

  it('stops early on unsubscribe (take) without erroring', async () => {
    const c = await freshCatalog();
    const first = await lastValueFrom(catalogEvents(c).pipe(take(5), toArray()));
    expect(first).toHaveLength(5);
  });

  it('errors the stream (not the process) when the catalog file is unreadable', async () => {
    const c = await freshCatalog();
    writeFileSync(c.parquet, 'not parquet');
    await expect(lastValueFrom(catalogEvents(c).pipe(toArray()))).rejects.toThrow(/parquet|magic|file/i);
  });

  it('produces nothing until subscribed (cold) and can be replayed twice', async () => {
    const c = await freshCatalog();
    const src = catalogEvents(c);
    const one = await lastValueFrom(src.pipe(toArray()));
    const two = await lastValueFrom(src.pipe(toArray()));
    expect(hashEvents(two)).toBe(hashEvents(one));
  });
});
