/**
 * Synthetic SIP tape for the ETFs (and decoy tickers): NBBO quotes, trades and minute aggregates, written ticker by
 * ticker in sorted order with rows in sip_timestamp order, as in Polygon's flat files.
 *
 * Per ticker, quotes and trades are two non-homogeneous Poisson clocks whose rate follows the intraday U-shape
 * (`activityShape`), scaled so the expected counts over the window hit the scale's targets. Both share one
 * sequence_number counter (the SIP numbers quotes and trades in one sequence per ticker here).
 *  - Quote: NBBO around the latent fair value, 1 ¢ wide most of the time (2–3 ¢ sometimes, up to 6 ¢ outside
 *    regular hours), sizes in shares as multiples of 100, bid/ask exchanges from the lit venues.
 *  - Trade: at the prevailing bid or ask, or at the midpoint / inside through a FINRA TRF (exchange 4 with trf_id
 *    and trf_timestamp); sizes mostly round lots, some odd lots (condition 37), some ISO (14) in regular hours, and
 *    Form T (12) on every print outside 09:30–close.
 *  - Minute aggs come from the trades: volume and transactions count every print; open/high/low/close use prints
 *    without the odd-lot condition (37 does not update last/high/low), falling back to all prints when a minute has
 *    only odd lots. `window_start` is the minute's start in ns.
 * Stock quote sizes are in shares (Polygon switched from round lots to shares on 2025-11-03; we use shares always).
 */
import type { Prng } from '../../quant/prng.js';
import type { CsvGzWriter } from './csvGzWriter.js';
import { activityShape, type SessionClock } from './intradayShape.js';
import { interpolate, type MarketPaths } from './marketPaths.js';
import { nsText } from './nsText.js';

export interface StockTickerTarget {
  readonly ticker: 'AAPL' | 'QQQ' | 'SPY' | 'SPYG';
  /** Expected quote and trade counts over the whole window. */
  readonly quotes: number;
  readonly trades: number;
}

export interface StockTapeSpec {
  readonly paths: MarketPaths;
  readonly session: SessionClock;
  /** Window to print, epoch ms; `startMs` must be a whole second. */
  readonly startMs: number;
  readonly endMs: number;
  readonly targets: readonly StockTickerTarget[];
  readonly prng: Prng;
  readonly quotes: CsvGzWriter;
  readonly trades: CsvGzWriter;
  readonly aggs: CsvGzWriter;
}

/** Polygon SIP tape: 1 = A (NYSE-listed), 2 = B (Arca/other), 3 = C (Nasdaq-listed). */
const TAPE: Readonly<Record<StockTickerTarget['ticker'], number>> = { AAPL: 3, QQQ: 3, SPY: 2, SPYG: 2 };

/** Lit venues (Polygon stock exchange ids) weighted roughly by market share. */
const LIT_EXCHANGES = [12, 11, 8, 21, 15, 19, 7, 17, 1, 3, 10, 2, 9, 20];
const LIT_WEIGHTS = [18, 14, 12, 10, 8, 7, 6, 5, 4, 4, 4, 3, 3, 2];
const LIT_CUM = cumulative(LIT_WEIGHTS);
const TRF_EXCHANGE = 4;
const TRF_IDS = [201, 202, 203];

function cumulative(w: readonly number[]): Float64Array {
  const out = new Float64Array(w.length);
  let s = 0;
  for (let i = 0; i < w.length; i++) out[i] = s += w[i]!;
  for (let i = 0; i < w.length; i++) out[i] = out[i]! / s;
  return out;
}

function pickWeighted(r: Prng, values: readonly number[], cum: Float64Array): number {
  const u = r.next();
  for (let i = 0; i < cum.length; i++) if (u < cum[i]!) return values[i]!;
  return values[values.length - 1]!;
}

/** ∫ activityShape over [a, b] in shape·ms, by 1-second steps. */
function activityIntegral(a: number, b: number, s: SessionClock): number {
  let sum = 0;
  for (let t = a; t < b; t += 1000) sum += activityShape(t + 500, s) * Math.min(1000, b - t);
  return sum;
}

function cents(c: number): string {
  return String(c / 100);
}

function conditionsText(formT: boolean, iso: boolean, oddLot: boolean): string {
  // Codes ascending, comma list quoted when more than one (flat-file convention).
  const codes: number[] = [];
  if (formT) codes.push(12);
  if (iso) codes.push(14);
  if (oddLot) codes.push(37);
  if (codes.length === 0) return '';
  if (codes.length === 1) return String(codes[0]);
  return `"${codes.join(',')}"`;
}

export async function writeStockTape(spec: StockTapeSpec): Promise<void> {
  const { paths, session, startMs, endMs, prng } = spec;
  if (startMs % 1000 !== 0) throw new Error(`stock tape window must start on a whole second, got ${startMs}`);
  const baseSec = startMs / 1000;
  const spanNs = (endMs - startMs) * 1e6;
  const integral = activityIntegral(startMs, endMs, session);
  const sorted = [...spec.targets].sort((a, b) => (a.ticker < b.ticker ? -1 : a.ticker > b.ticker ? 1 : 0));
  const { quotes: qw, trades: tw, aggs: aw } = spec;

  for (const target of sorted) {
    const { ticker } = target;
    const r = prng.fork(`stock/${ticker}`);
    const grid = paths.grid(ticker);
    const tape = TAPE[ticker];
    const qNorm = target.quotes / integral;
    const tNorm = target.trades / integral;
    let seq = 1000 + r.int(0, 99_999);
    let tradeId = 10_000 + r.int(0, 999_999);

    // Prevailing NBBO, in integer cents.
    let bidC = 0;
    let askC = 0;
    let haveQuote = false;

    // Minute aggregate under construction.
    let aggMinute = -1;
    let aggVol = 0;
    let aggN = 0;
    let eO = 0, eH = 0, eL = 0, eC = 0, eCount = 0;
    let aO = 0, aH = 0, aL = 0, aC = 0;
    const flushAgg = (): void => {
      if (aggN === 0) return;
      const [o, h, l, c] = eCount > 0 ? [eO, eH, eL, eC] : [aO, aH, aL, aC];
      const windowNs = `${aggMinute * 60}000000000`;
      aw.add(`${ticker},${aggVol},${o},${c},${h},${l},${windowNs},${aggN}`);
      aggVol = 0;
      aggN = 0;
      eCount = 0;
    };

    const nextGap = (offNs: number, norm: number): number => {
      const ms = startMs + offNs / 1e6;
      const rate = norm * activityShape(ms, session); // events per ms
      return Math.max(1, Math.round((r.exponential(1) / rate) * 1e6));
    };

    let tq = nextGap(0, qNorm);
    let tt = tq + nextGap(tq, tNorm);
    for (;;) {
      const isQuote = tq <= tt;
      const off = isQuote ? tq : tt;
      if (off > spanNs) break;
      const ms = startMs + off / 1e6;
      const rth = ms >= session.open && ms < session.close;
      const sip = nsText(baseSec, off);

      if (isQuote) {
        const fairC = interpolate(grid, paths.startMs, paths.stepMs, ms) * 100;
        let spreadC: number;
        if (rth) {
          const u = r.next();
          spreadC = u < 0.86 ? 1 : u < 0.97 ? 2 : 3;
        } else {
          spreadC = r.int(1, 6);
        }
        bidC = Math.floor(fairC - spreadC / 2 + 0.5);
        askC = bidC + spreadC;
        haveQuote = true;
        const lots = rth ? 12 : 3;
        const bidSize = 100 * Math.min(200, 1 + Math.floor(r.exponential(1) * lots));
        const askSize = 100 * Math.min(200, 1 + Math.floor(r.exponential(1) * lots));
        const bidEx = pickWeighted(r, LIT_EXCHANGES, LIT_CUM);
        const askEx = r.chance(0.35) ? bidEx : pickWeighted(r, LIT_EXCHANGES, LIT_CUM);
        const part = nsText(baseSec, Math.max(0, off - r.int(15_000, 400_000)));
        seq++;
        qw.add(`${ticker},${askEx},${cents(askC)},${askSize},${bidEx},${cents(bidC)},${bidSize},,,${part},${seq},${sip},${tape},0`);
        tq += nextGap(tq, qNorm);
        if (qw.waiting) await qw.waiting;
      } else {
        if (haveQuote) {
          const oddLot = r.chance(0.22);
          let size: number;
          if (oddLot) size = r.int(1, 99);
          else if (r.chance(0.01)) size = 100 * r.int(20, 200);
          else size = 100 * (1 + Math.floor(r.exponential(1) * 2.5));
          const u = r.next();
          const trf = u >= 0.84 || r.chance(0.25);
          let priceText: string;
          let price: number;
          if (u < 0.42) {
            price = bidC / 100;
            priceText = cents(bidC);
          } else if (u < 0.84) {
            price = askC / 100;
            priceText = cents(askC);
          } else {
            // Midpoint (half-cent when the spread is odd) or a penny inside a wider spread.
            const midTwice = bidC + askC;
            price = midTwice / 200;
            priceText = String(price);
          }
          const iso = rth && !trf && r.chance(0.08);
          const cond = conditionsText(!rth, iso, oddLot);
          const exchange = trf ? TRF_EXCHANGE : pickWeighted(r, LIT_EXCHANGES, LIT_CUM);
          const partOff = Math.max(0, off - r.int(trf ? 200_000 : 10_000, trf ? 5_000_000 : 300_000));
          const part = nsText(baseSec, partOff);
          let trfId = '0';
          let trfTs = '0';
          if (trf) {
            trfId = String(r.pick(TRF_IDS));
            trfTs = nsText(baseSec, partOff + Math.floor((off - partOff) * r.uniform(0.3, 0.95)));
          }
          seq++;
          tradeId++;
          tw.add(`${ticker},${cond},0,${exchange},${tradeId},${part},${priceText},${seq},${sip},${size},${tape},${trfId},${trfTs}`);

          const minute = Math.floor(ms / 60_000);
          if (minute !== aggMinute) {
            flushAgg();
            aggMinute = minute;
          }
          if (aggN === 0) {
            aO = aH = aL = price;
          }
          aC = price;
          if (price > aH) aH = price;
          if (price < aL) aL = price;
          if (!oddLot) {
            if (eCount === 0) eO = eH = eL = price;
            eC = price;
            if (price > eH) eH = price;
            if (price < eL) eL = price;
            eCount++;
          }
          aggVol += size;
          aggN++;
          if (tw.waiting) await tw.waiting;
          if (aw.waiting) await aw.waiting;
        }
        tt += nextGap(tt, tNorm);
      }
    }
    flushAgg();
  }
}
