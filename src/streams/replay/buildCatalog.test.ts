import { afterAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { buildCatalog, sliceRowsFor, timeSlices, type CatalogRequest } from './buildCatalog.js';
import { catalogEvents } from './catalogEvents.js';
import { datasetPath } from './flatFiles.js';
import { writeFlatFile } from './flatFileFixture.js';
import { DAY, goodDayRows, sec, writeDay, type DayRows } from './replayTestDay.js';
import { ReplayRefused } from './ReplayRefused.js';
import type { Underlying } from '../../domain/instruments.js';
import { msToNs, nsToMs } from '../../domain/time.js';
import type { MarketEvent } from '../../domain/events.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'dreambot-replay-'));
  dirs.push(d);
  return d;
}

function request(root: string, over: Partial<CatalogRequest> = {}): CatalogRequest {
  return {
    dataRoot: join(root, 'data'),
    date: DAY,
    underlyings: ['SPX', 'SPY'] as Underlying[],
    strikeWindowPct: 0.02,
    expiries: 2,
    minuteAggs: true,
    verifyGzip: true,
    catalogRoot: join(root, 'catalog'),
    duckdbMemoryMb: 256,
    duckdbThreads: 1,
    ...over,
  };
}

async function dayWith(mutate?: (r: DayRows) => void, over: Partial<CatalogRequest> = {}) {
  const root = tmp();
  writeDay(join(root, 'data'), mutate);
  const catalog = await buildCatalog(request(root, over));
  const events = await lastValueFrom(catalogEvents(catalog).pipe(toArray()));
  return { root, catalog, events, dq: catalog.meta.dataQuality };
}

function dropped(dq: { dropped: readonly { dataset: string; reason: string; rows: number }[] }, dataset: string, reason: string): number {
  return dq.dropped.filter((d) => d.dataset === dataset && d.reason === reason).reduce((s, d) => s + d.rows, 0);
}

describe('buildCatalog on a clean day', () => {
  it('keeps only the requested symbols, orders every kind by ts and converts ns exactly', async () => {
    const { events, dq, catalog } = await dayWith();
    const syms = new Set(events.map((e) => ('symbol' in e ? e.symbol : '')));
    expect([...syms].filter((s) => !s.startsWith('O:')).sort()).toEqual(['I:SPX', 'QQQ', 'SPY'].filter((s) => s !== 'QQQ'));
    // SPX brings its ETF proxy SPY; NDX was not requested so neither I:NDX nor QQQ appear.
    expect(syms.has('AAPL')).toBe(false);
    expect(syms.has('I:VIX')).toBe(false);
    for (let i = 1; i < events.length; i++) expect(events[i]!.ts).toBeGreaterThanOrEqual(events[i - 1]!.ts);
    const q = events.find((e) => e.type === 'Quote' && e.symbol === 'SPY')!;
    expect(q.ts).toBe(nsToMs(sec(0) + 123_456n));
    // A double near 1.7e12 ms resolves ≈0.24 µs: the conversion must stay within 1 µs of the exact stamp.
    const errNs = msToNs(q.ts) - (sec(0) + 123_456n);
    expect(errNs < 0n ? -errNs : errNs).toBeLessThan(1000n);
    expect(dq.malformed.total).toBe(0);
    expect(dq.dropped).toEqual([]);
    expect(catalog.meta.rows).toBe(events.length);
  });

  it('sorting the day in many small time slices gives exactly the rows and order of one slice', async () => {
    const one = await dayWith(undefined, { sortSliceRows: 10_000_000 });
    const many = await dayWith(undefined, { sortSliceRows: 3 });
    expect(many.events.length).toBeGreaterThan(10);
    expect(many.events).toEqual(one.events);
  });

  it('selects option contracts by exact root, first N expiries and the strike window', async () => {
    const { events, dq } = await dayWith();
    const opts = [...new Set(events.filter((e) => e.type === 'OptionQuote').map((e) => (e as { symbol: string }).symbol))].sort();
    expect(opts).toEqual(['O:SPXW250310C05700000', 'O:SPXW250310P05700000', 'O:SPXW250311C05700000', 'O:SPY250310C00570000']);
    expect(dq.options.SPX?.expiries).toEqual(['2025-03-10', '2025-03-11']);
    expect(dq.options.SPY?.expiries).toEqual(['2025-03-10']);
  });

  it('stamps minute aggregates at the window end and flags ineligible prints', async () => {
    const { events } = await dayWith();
    const bar = events.find((e) => e.type === 'Bar')!;
    expect(bar.type === 'Bar' && bar.interval).toBe('1m');
    expect(bar.ts).toBe(nsToMs(sec(60)));
    const trades = events.filter((e): e is Extract<MarketEvent, { type: 'Trade' }> => e.type === 'Trade');
    const oddLot = trades.find((t) => t.conditions.includes(37))!;
    expect(oddLot.conditions).toEqual([12, 37]);
    expect(oddLot.eligible).toBe(false);
    expect(trades.find((t) => t.conditions.includes(14))!.eligible).toBe(true);
    const multiLeg = events.find((e) => e.type === 'OptionTrade' && e.conditions.includes(233));
    expect(multiLeg && multiLeg.type === 'OptionTrade' && multiLeg.eligible).toBe(false);
  });

  it('reuses a matching catalog and rebuilds when an input file changes', async () => {
    const root = tmp();
    writeDay(join(root, 'data'));
    const a = await buildCatalog(request(root));
    const b = await buildCatalog(request(root));
    expect(a.built).toBe(true);
    expect(b.built).toBe(false);
    expect(b.parquet).toBe(a.parquet);
    const rows = goodDayRows();
    rows.indexValues.pop();
    writeFlatFile(join(root, 'data'), 'indexValues', DAY, rows.indexValues);
    const c = await buildCatalog(request(root));
    expect(c.built).toBe(true);
    expect(c.meta.key).not.toBe(a.meta.key);
  });

  it('records the sha256 of each raw file in the catalog meta (the run manifest reads it instead of re-hashing), fresh after a change', async () => {
    const root = tmp();
    writeDay(join(root, 'data'));
    const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
    const a = await buildCatalog(request(root));
    expect(a.meta.files.length).toBeGreaterThan(3);
    for (const f of a.meta.files) expect(f.sha256).toBe(sha(f.path));
    // Reused: the stored hashes come back without reading the files.
    expect((await buildCatalog(request(root))).meta.files).toEqual(a.meta.files);
    const rows = goodDayRows();
    rows.indexValues.pop();
    writeFlatFile(join(root, 'data'), 'indexValues', DAY, rows.indexValues);
    const c = await buildCatalog(request(root));
    const iv = c.meta.files.find((f) => f.dataset === 'indexValues')!;
    expect(iv.sha256).toBe(sha(iv.path));
    expect(iv.sha256).not.toBe(a.meta.files.find((f) => f.dataset === 'indexValues')!.sha256);
    // Without the gzip check (whose read the hash rides on), the files are hashed on their own: same values.
    const root2 = tmp();
    writeDay(join(root2, 'data'));
    const d = await buildCatalog(request(root2, { verifyGzip: false }));
    for (const f of d.meta.files) expect(f.sha256).toBe(sha(f.path));
  });
});

describe('data quality at the edge: each bad input has its stated outcome', () => {
  it('crossed and locked quotes are dropped and counted', async () => {
    const { dq, events } = await dayWith((r) => {
      const spy = r.stockQuotes.filter((q) => q.ticker === 'SPY');
      spy[3]!.bid_price = '571.00';
      spy[3]!.ask_price = '570.50';
      spy[4]!.bid_price = spy[4]!.ask_price;
      r.optionQuotes[0]!.bid_price = '9.00';
    });
    expect(dropped(dq, 'stockQuotes', 'crossed')).toBe(1);
    expect(dropped(dq, 'stockQuotes', 'locked')).toBe(1);
    expect(dropped(dq, 'optionQuotes', 'crossed')).toBe(1);
    for (const e of events) if (e.type === 'Quote' || e.type === 'OptionQuote') if (e.bid > 0 && e.ask > 0) expect(e.bid).toBeLessThan(e.ask);
  });

  it('zero, NaN and negative prices and negative sizes are dropped and counted; one-sided quotes kept', async () => {
    const { dq, events } = await dayWith((r) => {
      const spyT = r.stockTrades.filter((t) => t.ticker === 'SPY');
      spyT[1]!.price = 0;
      spyT[2]!.price = 'NaN';
      spyT[3]!.price = -1;
      spyT[4]!.size = -100;
      const spyQ = r.stockQuotes.filter((q) => q.ticker === 'SPY');
      spyQ[1]!.bid_size = -5;
      spyQ[2]!.bid_price = 0;
      spyQ[2]!.ask_price = 0;
      r.optionQuotes[2]!.bid_price = 0; // one-sided: no bid
      r.indexValues.find((v) => v.ticker === 'I:SPX')!.value = 0;
    });
    expect(dropped(dq, 'stockTrades', 'bad_price')).toBe(3);
    expect(dropped(dq, 'stockTrades', 'negative_size')).toBe(1);
    expect(dropped(dq, 'stockQuotes', 'negative_size')).toBe(1);
    expect(dropped(dq, 'stockQuotes', 'empty_quote')).toBe(1);
    expect(dropped(dq, 'indexValues', 'bad_price')).toBe(1);
    expect(events.some((e) => e.type === 'OptionQuote' && e.bid === 0 && e.ask > 0)).toBe(true);
    for (const e of events) {
      if (e.type === 'Trade') expect(e.price > 0 && e.size > 0 && Number.isFinite(e.price)).toBe(true);
    }
    expect(dq.dropped.find((d) => d.reason === 'bad_price' && d.dataset === 'stockTrades')!.examples[0]).toMatch(/^SPY price=/);
  });

  it('unsorted rows are re-sorted into the stream and counted', async () => {
    const { dq, events } = await dayWith((r) => {
      const i = r.stockQuotes.findIndex((q) => q.ticker === 'SPY');
      const tmpRow = r.stockQuotes[i + 5]!;
      r.stockQuotes[i + 5] = r.stockQuotes[i + 10]!;
      r.stockQuotes[i + 10] = tmpRow;
    });
    expect(dq.reordered.stockQuotes).toBeGreaterThan(0);
    const spy = events.filter((e) => e.type === 'Quote' && e.symbol === 'SPY');
    expect(spy).toHaveLength(20);
    for (let i = 1; i < events.length; i++) expect(events[i]!.ts).toBeGreaterThanOrEqual(events[i - 1]!.ts);
  });

  it('duplicate sequence numbers keep the first row and drop repeats', async () => {
    const { dq, events } = await dayWith((r) => {
      const spy = r.stockTrades.filter((t) => t.ticker === 'SPY');
      r.stockTrades.push({ ...spy[6]!, price: '999.00' });
    });
    expect(dropped(dq, 'stockTrades', 'duplicate_sequence')).toBe(1);
    expect(events.some((e) => e.type === 'Trade' && e.price === 999)).toBe(false);
  });

  it('rows stamped outside the replay date are dropped and counted', async () => {
    const { dq } = await dayWith((r) => {
      r.stockQuotes.find((q) => q.ticker === 'SPY')!.sip_timestamp = sec(-86_400);
    });
    expect(dropped(dq, 'stockQuotes', 'outside_date')).toBe(1);
  });

  it('malformed rows are dropped with file and line named; too many refuse the day', async () => {
    const { dq } = await dayWith((r) => {
      r.stockTrades[3]!.price = 'abc';
    });
    expect(dq.malformed.total).toBe(1);
    expect(dq.malformed.examples[0]).toMatchObject({ line: 5, column: 'price' });
    expect(dq.malformed.examples[0]!.file).toMatch(/trades_v1/);
    await expect(
      dayWith(
        (r) => {
          for (const t of r.stockTrades.slice(0, 5)) t.size = 'x';
        },
        { maxMalformedRows: 2 },
      ),
    ).rejects.toThrow(/trades_v1.*5 malformed rows \(limit 2\); first at line 2, column size/s);
  });

  it('a gzip truncated mid-stream refuses the day naming the file', async () => {
    const root = tmp();
    writeDay(join(root, 'data'));
    const rows = goodDayRows();
    const path = writeFlatFile(join(root, 'data'), 'stockQuotes', DAY, rows.stockQuotes, { truncateFraction: 0.6 });
    const err = await buildCatalog(request(root)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplayRefused);
    expect((err as ReplayRefused).message).toMatch(/quotes_v1.*truncated or corrupt/);
    expect((err as ReplayRefused).file).toBe(path);
    expect((err as ReplayRefused).line).toBeGreaterThan(1);
  });

  it('a missing required file refuses the day listing the expected path', async () => {
    const root = tmp();
    writeDay(join(root, 'data'));
    unlinkSync(datasetPath(join(root, 'data'), 'optionQuotes', DAY));
    await expect(buildCatalog(request(root))).rejects.toThrow(/missing required flat file.*us_options_opra\/quotes_v1\/2025\/03\/2025-03-10\.csv\.gz/s);
  });

  it('missing minute aggregates are optional: noted, not fatal', async () => {
    const root = tmp();
    writeDay(join(root, 'data'));
    unlinkSync(datasetPath(join(root, 'data'), 'stockMinuteAggs', DAY));
    const c = await buildCatalog(request(root));
    expect(c.meta.dataQuality.missingOptional[0]).toMatch(/minute_aggs_v1/);
  });

  it('a holiday or weekend is refused with the reason', async () => {
    const root = tmp();
    await expect(buildCatalog(request(root, { date: '2025-12-25' }))).rejects.toThrow(/2025-12-25: not an NYSE trading day \(.*Christmas/);
    await expect(buildCatalog(request(root, { date: '2025-03-08' }))).rejects.toThrow(/not an NYSE trading day \(.*Saturday/);
  });

  it('a header without a required column refuses the day naming file, line 1 and column', async () => {
    const root = tmp();
    writeDay(join(root, 'data'));
    writeFlatFile(join(root, 'data'), 'indexValues', DAY, [], { raw: 'ticker,val,timestamp\nI:SPX,5700,1741613400000000000\n' });
    await expect(buildCatalog(request(root))).rejects.toThrow(/values_v1.*line 1: header lacks required column value/);
  });

  it('parses by header name: reordered and extra columns are fine', async () => {
    const root = tmp();
    writeDay(join(root, 'data'));
    const rows = goodDayRows().indexValues;
    writeFlatFile(join(root, 'data'), 'indexValues', DAY, rows, { header: ['timestamp', 'extra', 'value', 'ticker'] });
    const c = await buildCatalog(request(root));
    expect(c.meta.dataQuality.rowsKept.indexValues).toBe(60);
  });

  it('no usable rows for a requested underlying refuses the day', async () => {
    await expect(dayWith((r) => void (r.indexValues = r.indexValues.filter((v) => v.ticker !== 'I:SPX')))).rejects.toThrow(
      /values_v1.*no usable rows for I:SPX/,
    );
  });
});

describe('timeSlices: the catalog sort in bounded pieces', () => {
  const m = (xs: [number, number][]) => xs.map(([a, n]) => [BigInt(a), n] as const);
  it.each([
    ['one slice when everything fits', m([[1, 5], [2, 5]]), 10, [[null, null]]],
    ['no rows at all', m([]), 10, [[null, null]]],
    ['splits before the minute that would overflow', m([[1, 6], [2, 5], [3, 4]]), 10, [[null, 2n], [2n, null]]],
    ['a minute above the limit is a slice of its own', m([[1, 2], [5, 30], [6, 1]]), 10, [[null, 5n], [5n, 6n], [6n, null]]],
    ['gaps between minutes stay inside a slice', m([[1, 4], [9, 4], [20, 4]]), 8, [[null, 20n], [20n, null]]],
  ] as const)('%s', (_name, minutes, max, want) => {
    expect(timeSlices(minutes, max)).toEqual(want);
  });

  it('slice size follows the DuckDB memory limit, with a floor', () => {
    expect(sliceRowsFor(1024)).toBe(2_684_354);
    expect(sliceRowsFor(64)).toBe(167_772);
    expect(sliceRowsFor(1)).toBe(100_000);
  });
});
