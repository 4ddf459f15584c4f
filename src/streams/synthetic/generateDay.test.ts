import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionFor } from '../../domain/calendar.js';
import { isOnTick, parseOcc, type OptionRoot } from '../../domain/instruments.js';
import { bsPrice } from '../../quant/options/blackScholes.js';
import { generateSyntheticDay, type SyntheticDayStats } from './generateDay.js';
import { impliedVol } from './volSurface.js';

const DATE = '2025-03-10';
const FIXTURE_DIR = fileURLToPath(new URL('../../../fixtures/data/', import.meta.url));

/** Exact headers from specs/polygon.md §4, spelled out independently of flatFiles.ts. */
const HEADERS: Record<string, string> = {
  'us_stocks_sip/trades_v1':
    'ticker,conditions,correction,exchange,id,participant_timestamp,price,sequence_number,sip_timestamp,size,tape,trf_id,trf_timestamp',
  'us_stocks_sip/quotes_v1':
    'ticker,ask_exchange,ask_price,ask_size,bid_exchange,bid_price,bid_size,conditions,indicators,participant_timestamp,sequence_number,sip_timestamp,tape,trf_timestamp',
  'us_stocks_sip/minute_aggs_v1': 'ticker,volume,open,close,high,low,window_start,transactions',
  'us_indices/values_v1': 'ticker,value,timestamp',
  'us_options_opra/trades_v1': 'ticker,conditions,correction,exchange,price,sip_timestamp,size',
  'us_options_opra/quotes_v1':
    'ticker,ask_exchange,ask_price,ask_size,bid_exchange,bid_price,bid_size,sequence_number,sip_timestamp',
};

/** Minimal CSV field splitter: double-quoted fields may contain commas (the `conditions` column). */
function splitCsv(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      const end = line.indexOf('"', i + 1);
      out.push(line.slice(i, end + 1));
      i = end + 2;
    } else {
      const end = line.indexOf(',', i);
      const stop = end === -1 ? line.length : end;
      out.push(line.slice(i, stop));
      i = stop + 1;
    }
  }
  return out;
}

type Row = Record<string, string>;

async function readRows(dir: string, key: string): Promise<{ header: string; rows: Row[] }> {
  const text = gunzipSync(await readFile(join(dir, key, '2025', '03', `${DATE}.csv.gz`))).toString('utf8');
  const lines = text.split('\n');
  expect(lines.at(-1)).toBe('');
  const header = lines[0]!;
  const cols = header.split(',');
  const rows = lines.slice(1, -1).map((l) => {
    const f = splitCsv(l);
    expect(f.length).toBe(cols.length);
    const r: Row = {};
    cols.forEach((c, k) => (r[c] = f[k]!));
    return r;
  });
  return { header, rows };
}

function sha(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}

const session = sessionFor(DATE)!;
const openNs = BigInt(session.open) * 1_000_000n;
const MIN_NS = 60_000_000_000n;

let dirA = '';
let dirB = '';
let dirC = '';
let statsA: SyntheticDayStats;
let statsB: SyntheticDayStats;
const data: Record<string, Row[]> = {};

beforeAll(async () => {
  dirA = await mkdtemp(join(tmpdir(), 'synth-a-'));
  dirB = await mkdtemp(join(tmpdir(), 'synth-b-'));
  dirC = await mkdtemp(join(tmpdir(), 'synth-c-'));
  [statsA, statsB] = await Promise.all([
    generateSyntheticDay({ date: DATE, scale: 'tiny', seed: 42, outDir: dirA }),
    generateSyntheticDay({ date: DATE, scale: 'tiny', seed: 42, outDir: dirB }),
    generateSyntheticDay({ date: DATE, scale: 'tiny', seed: 7, outDir: dirC }),
  ]);
  for (const key of Object.keys(HEADERS)) data[key] = (await readRows(dirA, key)).rows;
});

afterAll(async () => {
  for (const d of [dirA, dirB, dirC]) if (d) await rm(d, { recursive: true, force: true });
});

describe('generateSyntheticDay (tiny scale)', () => {
  it('writes every dataset with the exact Polygon header', async () => {
    expect(statsA.files.map((f) => f.relPath.split('/').slice(0, 2).join('/')).sort()).toEqual(Object.keys(HEADERS).sort());
    for (const [key, header] of Object.entries(HEADERS)) {
      expect((await readRows(dirA, key)).header).toBe(header);
      expect(data[key]!.length).toBeGreaterThan(0);
    }
    for (const f of statsA.files) expect(f.rows).toBe(data[f.relPath.split('/').slice(0, 2).join('/')]!.length);
  });

  it('is byte-identical for the same seed and different for another', async () => {
    for (const f of statsA.files) {
      const a = await readFile(join(dirA, f.relPath));
      const b = await readFile(join(dirB, f.relPath));
      const c = await readFile(join(dirC, f.relPath));
      expect(sha(a)).toBe(sha(b));
      expect(sha(a)).not.toBe(sha(c));
      // gzip magic, and a zero mtime in the header so the bytes do not depend on when we ran.
      expect([a[0], a[1]]).toEqual([0x1f, 0x8b]);
      expect(a.readUInt32LE(4)).toBe(0);
    }
    expect(statsB.totalBytes).toBe(statsA.totalBytes);
  });

  it('stamps integer nanoseconds inside the session, sorted by ticker then time', () => {
    const checks: [string, string, bigint, bigint][] = [
      ['us_stocks_sip/quotes_v1', 'sip_timestamp', openNs - 4n * MIN_NS, openNs + 6n * MIN_NS],
      ['us_stocks_sip/trades_v1', 'sip_timestamp', openNs - 4n * MIN_NS, openNs + 6n * MIN_NS],
      ['us_stocks_sip/minute_aggs_v1', 'window_start', openNs - 4n * MIN_NS, openNs + 6n * MIN_NS],
      ['us_indices/values_v1', 'timestamp', openNs, openNs + 6n * MIN_NS],
      ['us_options_opra/quotes_v1', 'sip_timestamp', openNs, openNs + 6n * MIN_NS],
      ['us_options_opra/trades_v1', 'sip_timestamp', openNs, openNs + 6n * MIN_NS],
    ];
    for (const [key, col, lo, hi] of checks) {
      let prevTicker = '';
      let prevTs = -1n;
      for (const r of data[key]!) {
        const s = r[col]!;
        expect(s).toMatch(/^\d{19}$/);
        const ts = BigInt(s);
        expect(ts >= lo && ts < hi).toBe(true);
        const ticker = r.ticker!;
        expect(ticker >= prevTicker).toBe(true);
        if (ticker === prevTicker) expect(ts >= prevTs).toBe(true);
        prevTicker = ticker;
        prevTs = ts;
      }
    }
    for (const key of ['us_stocks_sip/quotes_v1', 'us_stocks_sip/trades_v1']) {
      for (const r of data[key]!) {
        const part = BigInt(r.participant_timestamp!);
        expect(part <= BigInt(r.sip_timestamp!)).toBe(true);
      }
    }
  });

  it('prints SPY, QQQ and decoy tickers, with per-ticker increasing sequence numbers', () => {
    const tickers = new Set(data['us_stocks_sip/quotes_v1']!.map((r) => r.ticker));
    expect([...tickers].sort()).toEqual(['AAPL', 'QQQ', 'SPY', 'SPYG']);
    expect(new Set(data['us_indices/values_v1']!.map((r) => r.ticker))).toEqual(new Set(['I:NDX', 'I:SPX', 'I:VIX']));
    // Quotes and trades share one sequence per ticker: merged by time it strictly increases.
    for (const t of tickers) {
      const seqs = [
        ...data['us_stocks_sip/quotes_v1']!.filter((r) => r.ticker === t),
        ...data['us_stocks_sip/trades_v1']!.filter((r) => r.ticker === t),
      ]
        .sort((a, b) => Number(BigInt(a.sip_timestamp!) - BigInt(b.sip_timestamp!)))
        .map((r) => Number(r.sequence_number));
      for (let i = 1; i < seqs.length; i++) expect(seqs[i]!).toBeGreaterThan(seqs[i - 1]!);
    }
  });

  it('stock NBBO is never crossed, on the cent grid, sizes in round lots; trades print within the touch', () => {
    const quotes = data['us_stocks_sip/quotes_v1']!;
    for (const q of quotes) {
      const bid = Number(q.bid_price);
      const ask = Number(q.ask_price);
      expect(bid).toBeGreaterThan(0);
      expect(ask).toBeGreaterThan(bid);
      expect(Math.abs(bid * 100 - Math.round(bid * 100))).toBeLessThan(1e-6);
      expect(Math.abs(ask * 100 - Math.round(ask * 100))).toBeLessThan(1e-6);
      expect(Number(q.bid_size) % 100).toBe(0);
      expect(Number(q.ask_size) % 100).toBe(0);
      expect(q.conditions).toBe('');
    }
    const byTicker = new Map<string, Row[]>();
    for (const q of quotes) (byTicker.get(q.ticker!) ?? byTicker.set(q.ticker!, []).get(q.ticker!)!).push(q);
    const condCounts = new Map<string, number>();
    for (const t of data['us_stocks_sip/trades_v1']!) {
      expect(t.conditions).toMatch(/^(|\d+|"\d+(,\d+)+")$/);
      condCounts.set(t.conditions!, (condCounts.get(t.conditions!) ?? 0) + 1);
      const qs = byTicker.get(t.ticker!)!;
      const ts = BigInt(t.sip_timestamp!);
      let prevailing: Row | undefined;
      for (const q of qs) {
        if (BigInt(q.sip_timestamp!) <= ts) prevailing = q;
        else break;
      }
      expect(prevailing).toBeDefined();
      const price = Number(t.price);
      expect(price).toBeGreaterThanOrEqual(Number(prevailing!.bid_price) - 1e-9);
      expect(price).toBeLessThanOrEqual(Number(prevailing!.ask_price) + 1e-9);
      const outsideRth = ts < openNs;
      expect(t.conditions!.includes('12')).toBe(outsideRth);
      expect(t.conditions!.includes('37')).toBe(Number(t.size) < 100);
    }
    // Multi-valued conditions (ISO or Form T with an odd lot) are the quoted case.
    expect([...condCounts.keys()].filter((k) => k.startsWith('"')).length).toBeGreaterThan(0);
    expect([...condCounts.keys()].some((k) => k.includes('12'))).toBe(true);
    expect(condCounts.get('') ?? 0).toBeGreaterThan(0);
  });

  it('minute aggregates add up to the trades', () => {
    const trades = data['us_stocks_sip/trades_v1']!;
    for (const a of data['us_stocks_sip/minute_aggs_v1']!) {
      const start = BigInt(a.window_start!);
      expect(start % MIN_NS).toBe(0n);
      const inBar = trades.filter(
        (t) => t.ticker === a.ticker && BigInt(t.sip_timestamp!) >= start && BigInt(t.sip_timestamp!) < start + MIN_NS,
      );
      expect(Number(a.transactions)).toBe(inBar.length);
      expect(Number(a.volume)).toBe(inBar.reduce((s, t) => s + Number(t.size), 0));
      const prices = inBar.map((t) => Number(t.price));
      expect(Number(a.high)).toBeLessThanOrEqual(Math.max(...prices));
      expect(Number(a.low)).toBeGreaterThanOrEqual(Math.min(...prices));
      expect(Number(a.high)).toBeGreaterThanOrEqual(Number(a.low));
    }
  });

  it('index values track SPY and QQQ (SPX ≈ 10.03 × SPY, NDX ≈ 41 × QQQ)', () => {
    const mids = (ticker: string): [bigint, number][] =>
      data['us_stocks_sip/quotes_v1']!
        .filter((q) => q.ticker === ticker)
        .map((q) => [BigInt(q.sip_timestamp!), (Number(q.bid_price) + Number(q.ask_price)) / 2]);
    for (const [index, etf, ratio] of [
      ['I:SPX', 'SPY', 10.03],
      ['I:NDX', 'QQQ', 41],
    ] as const) {
      const m = mids(etf);
      let k = 0;
      const values = data['us_indices/values_v1']!.filter((r) => r.ticker === index);
      expect(values.length).toBeGreaterThan(300);
      for (const v of values) {
        const ts = BigInt(v.timestamp!);
        while (k + 1 < m.length && m[k + 1]![0] <= ts) k++;
        const rel = Number(v.value) / (ratio * m[k]![1]) - 1;
        expect(Math.abs(rel)).toBeLessThan(0.001);
      }
    }
  });

  it('lists 0DTE and next-expiry contracts for SPXW, NDXP, SPY and QQQ on standard strike grids', () => {
    const tickers = [...new Set(data['us_options_opra/quotes_v1']!.map((r) => r.ticker!))];
    for (const root of ['SPXW', 'NDXP', 'SPY', 'QQQ']) {
      const mine = tickers.map((t) => parseOcc(t)).filter((c) => c.root === root);
      const expiries = [...new Set(mine.map((c) => c.expiry))].sort();
      expect(expiries[0]).toBe(DATE);
      expect(expiries.length).toBe(2);
      const step = root === 'SPXW' ? 5 : root === 'NDXP' ? 10 : 1;
      for (const c of mine) expect(c.strike % step).toBe(0);
    }
  });

  it('option quotes are on tick, never crossed, sized 1–200 and near Black-Scholes; trades within the touch', () => {
    const quotes = data['us_options_opra/quotes_v1']!;
    const spyMid = data['us_stocks_sip/quotes_v1']!.filter((q) => q.ticker === 'SPY');
    const qqqMid = data['us_stocks_sip/quotes_v1']!.filter((q) => q.ticker === 'QQQ');
    const idx = data['us_indices/values_v1']!;
    const underlyingAt = (root: string, ts: bigint): number => {
      const pickLast = (rows: Row[], col: string): Row => {
        let last = rows[0]!;
        for (const r of rows) {
          if (BigInt(r[col]!) <= ts) last = r;
          else break;
        }
        return last;
      };
      if (root === 'SPY' || root === 'QQQ') {
        const q = pickLast(root === 'SPY' ? spyMid : qqqMid, 'sip_timestamp');
        return (Number(q.bid_price) + Number(q.ask_price)) / 2;
      }
      return Number(pickLast(idx.filter((r) => r.ticker === (root === 'SPXW' ? 'I:SPX' : 'I:NDX')), 'timestamp').value);
    };
    const vixRows = idx.filter((r) => r.ticker === 'I:VIX');
    const vix0 = Number(vixRows[0]!.value);
    const q: Record<string, number> = { SPXW: 0.013, NDXP: 0.007, SPY: 0.013, QQQ: 0.006 };
    const underlying: Record<string, 'SPX' | 'NDX' | 'SPY' | 'QQQ'> = { SPXW: 'SPX', NDXP: 'NDX', SPY: 'SPY', QQQ: 'QQQ' };
    let checked = 0;
    for (const r of quotes) {
      const c = parseOcc(r.ticker!);
      const root = c.root as OptionRoot;
      const bid = Number(r.bid_price);
      const ask = Number(r.ask_price);
      expect(ask).toBeGreaterThan(bid);
      expect(bid).toBeGreaterThanOrEqual(0);
      expect(isOnTick(root, ask)).toBe(true);
      if (bid > 0) expect(isOnTick(root, bid)).toBe(true);
      expect(Number(r.ask_size)).toBeGreaterThanOrEqual(1);
      expect(Number(r.ask_size)).toBeLessThanOrEqual(200);
      expect(Number(r.bid_size)).toBeLessThanOrEqual(200);
      if (checked++ % 7 !== 0) continue;
      const ts = BigInt(r.sip_timestamp!);
      const ms = Number(ts / 1_000_000n);
      const S = underlyingAt(root, ts);
      const expiryMs = sessionFor(c.expiry)!.close;
      const t = (expiryMs - ms) / (365 * 86_400_000);
      const vixNow = Number(vixRows.filter((v) => BigInt(v.timestamp!) <= ts).at(-1)?.value ?? vix0);
      const fwd = S * Math.exp((0.043 - q[root]!) * t);
      const vol = impliedVol(underlying[root]!, fwd, c.strike, t, vixNow / vix0);
      const bs = bsPrice({ right: c.right, spot: S, strike: c.strike, t, vol, rate: 0.043, q: q[root]! });
      const mid = (bid + ask) / 2;
      expect(Math.abs(mid - bs)).toBeLessThanOrEqual(ask - bid + 0.1 * bs + 0.0006 * S);
    }
    const trades = data['us_options_opra/trades_v1']!;
    expect(trades.length).toBeGreaterThan(0);
    const quotesByTicker = new Map<string, Row[]>();
    for (const x of quotes) (quotesByTicker.get(x.ticker!) ?? quotesByTicker.set(x.ticker!, []).get(x.ticker!)!).push(x);
    for (const t of trades) {
      expect(['209', '219', '233']).toContain(t.conditions);
      const ts = BigInt(t.sip_timestamp!);
      const mine = quotesByTicker.get(t.ticker!)!.filter((x) => BigInt(x.sip_timestamp!) <= ts);
      const touch = mine.at(-1)!;
      expect(Number(t.price)).toBeGreaterThanOrEqual(Number(touch.bid_price));
      expect(Number(t.price)).toBeLessThanOrEqual(Number(touch.ask_price));
      expect(isOnTick(parseOcc(t.ticker!).root as OptionRoot, Number(t.price))).toBe(true);
    }
  });

  it('refuses closed and malformed dates with the reason', async () => {
    await expect(generateSyntheticDay({ date: '2025-12-25', scale: 'tiny', seed: 1, outDir: dirC })).rejects.toThrow(
      /2025-12-25 is not a trading day.*Christmas/,
    );
    await expect(generateSyntheticDay({ date: '2025-03-08', scale: 'tiny', seed: 1, outDir: dirC })).rejects.toThrow(
      /not a trading day.*weekend/,
    );
    await expect(generateSyntheticDay({ date: '2025-3-10', scale: 'tiny', seed: 1, outDir: dirC })).rejects.toThrow(
      /2025-3-10/,
    );
    await expect(generateSyntheticDay({ date: DATE, scale: 'tiny', seed: 1.5, outDir: dirC })).rejects.toThrow(/seed/);
  });
});

describe('committed fixture fixtures/data (small, seed 42, 2025-03-10)', () => {
  it('matches a fresh generation (regenerate with `dreambot synth --date 2025-03-10 --out fixtures/data`)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'synth-fixture-'));
    try {
      const stats = await generateSyntheticDay({ date: DATE, scale: 'small', seed: 42, outDir: dir });
      expect(stats.totalBytes).toBeLessThan(4 * 1024 * 1024);
      for (const f of stats.files) {
        // Compare decompressed content: robust to a different zlib build producing other (valid) gzip bytes.
        const fresh = gunzipSync(await readFile(join(dir, f.relPath)));
        const committed = gunzipSync(await readFile(join(FIXTURE_DIR, f.relPath)));
        expect(sha(committed), f.relPath).toBe(sha(fresh));
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
