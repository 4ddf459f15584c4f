/**
 * generateSyntheticDay: one trading day of synthetic market data in Polygon flat-file layout, for tests, demos and
 * benchmarks without a Polygon subscription.
 *
 * Writes under `outDir` (exact headers per specs/polygon.md §4, gzip CSV, nanosecond integer timestamps, rows
 * sorted by ticker then time):
 *   us_stocks_sip/{quotes_v1,trades_v1,minute_aggs_v1}  SPY, QQQ + decoys AAPL, SPYG; 09:00 ET → close + 15 min
 *   us_indices/values_v1                                I:NDX, I:SPX (consistent with QQQ/SPY) + decoy I:VIX; RTH
 *   us_options_opra/{quotes_v1,trades_v1}               SPXW, NDXP, SPY, QQQ: 0DTE (when listed) + next expiry; RTH
 * The session is the real one for the date (early closes honoured); closed dates are refused with the reason.
 *
 * Determinism: every random draw comes from `Prng(seed)` forked per purpose and per ticker, and gzip headers carry
 * no mtime, so the same (date, scale, seed) gives byte-identical files. Memory is bounded: rows stream into gzip
 * with backpressure; the only large in-memory state is the 100 ms latent path grid (≈2 MB per ticker).
 *
 * Scales: `small` (≈3 MB, a few seconds; the committed fixture; option chain evaluated once a minute), `full`
 * (≥ 5 M stock quotes, ≥ 500 k stock trades, ~270 option contracts evaluated every 500 ms, ~8 M option quotes;
 * gzip level 1 for speed; ≈1 min, ≈200 MB RSS on 2 cores) and `tiny` (09:26–09:36 ET for stocks, 09:30–09:36
 * for indices and options; for tests).
 */
import { relative } from 'node:path';
import { closureReason, sessionFor } from '../../domain/calendar.js';
import { parseIsoDate } from '../../domain/time.js';
import { Prng } from '../../quant/prng.js';
import { CsvGzWriter, type CsvFileStats } from './csvGzWriter.js';
import { FLAT_FILES, flatFilePath, type FlatFileKind } from './flatFiles.js';
import { writeIndexValues } from './indexValues.js';
import { MarketPaths } from './marketPaths.js';
import { buildOptionChain } from './optionChain.js';
import { writeOptionTape } from './optionTape.js';
import { writeStockTape, type StockTickerTarget } from './stockTape.js';

export type SyntheticScale = 'tiny' | 'small' | 'full';
export const SYNTHETIC_SCALES: readonly SyntheticScale[] = ['tiny', 'small', 'full'];

export interface SyntheticDayOptions {
  /** Trading date, YYYY-MM-DD (New York). */
  readonly date: string;
  readonly scale: SyntheticScale;
  readonly seed: number;
  /** Root of the flat-file tree (e.g. `data/` or `fixtures/data/`). */
  readonly outDir: string;
}

export interface SyntheticFileStats extends CsvFileStats {
  readonly kind: FlatFileKind;
  /** Path relative to outDir. */
  readonly relPath: string;
}

export interface SyntheticDayStats {
  readonly date: string;
  readonly scale: SyntheticScale;
  readonly seed: number;
  readonly outDir: string;
  readonly files: readonly SyntheticFileStats[];
  readonly contracts: number;
  readonly totalRows: number;
  readonly totalBytes: number;
  /** Wall-clock seconds spent (reporting only; never written into the files). */
  readonly seconds: number;
}

interface ScaleParams {
  readonly window: 'day' | 'open10m';
  readonly stocks: readonly StockTickerTarget[];
  readonly optionGridMs: number;
  readonly refreshMeanSec: number;
  readonly optionTradeRatePerSec: number;
  readonly maxStrikes: number;
  readonly gzipLevel: number;
}

const SCALES: Readonly<Record<SyntheticScale, ScaleParams>> = {
  tiny: {
    window: 'open10m',
    stocks: [
      { ticker: 'AAPL', quotes: 300, trades: 60 },
      { ticker: 'QQQ', quotes: 1200, trades: 200 },
      { ticker: 'SPY', quotes: 1500, trades: 250 },
      { ticker: 'SPYG', quotes: 200, trades: 40 },
    ],
    optionGridMs: 2000,
    refreshMeanSec: 30,
    optionTradeRatePerSec: 0.05,
    maxStrikes: 6,
    gzipLevel: 6,
  },
  small: {
    window: 'day',
    stocks: [
      { ticker: 'AAPL', quotes: 4000, trades: 800 },
      { ticker: 'QQQ', quotes: 13000, trades: 2000 },
      { ticker: 'SPY', quotes: 16000, trades: 2500 },
      { ticker: 'SPYG', quotes: 2000, trades: 300 },
    ],
    optionGridMs: 60_000,
    refreshMeanSec: 300,
    optionTradeRatePerSec: 0.004,
    maxStrikes: 16,
    gzipLevel: 9,
  },
  full: {
    window: 'day',
    stocks: [
      { ticker: 'AAPL', quotes: 700_000, trades: 80_000 },
      { ticker: 'QQQ', quotes: 1_900_000, trades: 200_000 },
      { ticker: 'SPY', quotes: 2_300_000, trades: 260_000 },
      { ticker: 'SPYG', quotes: 300_000, trades: 25_000 },
    ],
    optionGridMs: 500,
    refreshMeanSec: 20,
    optionTradeRatePerSec: 0.05,
    maxStrikes: 40,
    gzipLevel: 1,
  },
};

const MINUTE = 60_000;

export async function generateSyntheticDay(opts: SyntheticDayOptions): Promise<SyntheticDayStats> {
  const t0 = performance.now();
  const { date, scale, seed, outDir } = opts;
  parseIsoDate(date);
  const params = SCALES[scale];
  if (!params) throw new Error(`unknown synthetic scale ${JSON.stringify(scale)} (want ${SYNTHETIC_SCALES.join('|')})`);
  if (!Number.isSafeInteger(seed)) throw new Error(`synthetic seed must be an integer, got ${seed}`);
  const session = sessionFor(date);
  if (!session) throw new Error(`${date} is not a trading day (${closureReason(date) ?? 'market closed'})`);

  const day = params.window === 'day';
  const stockFrom = day ? session.open - 30 * MINUTE : session.open - 4 * MINUTE;
  const stockTo = day ? session.close + 15 * MINUTE : session.open + 6 * MINUTE;
  const rthFrom = session.open;
  const rthTo = day ? session.close : session.open + 6 * MINUTE;

  const root = new Prng(seed).fork(`synthetic/${date}`);
  const paths = MarketPaths.generate({ startMs: stockFrom, endMs: stockTo, session, prng: root.fork('paths') });
  const contracts = buildOptionChain({ date, paths, fromMs: rthFrom, toMs: rthTo, maxStrikes: params.maxStrikes });

  const kinds: FlatFileKind[] = ['stockQuotes', 'stockTrades', 'stockMinuteAggs', 'indexValues', 'optionQuotes', 'optionTrades'];
  const writers = new Map<FlatFileKind, CsvGzWriter>();
  const files: SyntheticFileStats[] = [];
  try {
    for (const kind of kinds) {
      writers.set(kind, await CsvGzWriter.open(flatFilePath(outDir, kind, date), FLAT_FILES[kind].header, params.gzipLevel));
    }
    const w = (k: FlatFileKind): CsvGzWriter => writers.get(k)!;

    await Promise.all([
      writeStockTape({
        paths,
        session,
        startMs: stockFrom,
        endMs: stockTo,
        targets: params.stocks,
        prng: root.fork('stocks'),
        quotes: w('stockQuotes'),
        trades: w('stockTrades'),
        aggs: w('stockMinuteAggs'),
      }),
      writeIndexValues({ paths, fromMs: rthFrom, toMs: rthTo - 1000, prng: root.fork('indices'), out: w('indexValues') }),
      writeOptionTape({
        paths,
        session,
        contracts,
        fromMs: rthFrom,
        toMs: rthTo,
        gridMs: params.optionGridMs,
        refreshMeanSec: params.refreshMeanSec,
        tradeRatePerSec: params.optionTradeRatePerSec,
        prng: root.fork('options'),
        quotes: w('optionQuotes'),
        trades: w('optionTrades'),
      }),
    ]);

    for (const kind of kinds) {
      const s = await w(kind).close();
      files.push({ ...s, kind, relPath: relative(outDir, s.path) });
    }
  } catch (err) {
    // Leave no half-written .tmp files behind; files already renamed into place are complete.
    await Promise.all([...writers.values()].map((wr) => wr.abort()));
    throw err;
  }
  return {
    date,
    scale,
    seed,
    outDir,
    files,
    contracts: contracts.length,
    totalRows: files.reduce((a, f) => a + f.rows, 0),
    totalBytes: files.reduce((a, f) => a + f.bytes, 0),
    seconds: (performance.now() - t0) / 1000,
  };
}
