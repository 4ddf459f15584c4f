/**
 * Synthetic OPRA quotes and trades for a chain of contracts, contract by contract in ticker order, rows in
 * sip_timestamp order (the flat-file layout), over regular hours only (options files cover 09:30–16:00).
 *
 * On a fixed evaluation grid (`gridMs`) each contract is priced with Black-Scholes-Merton on the current latent
 * underlying (European; SPY/QQQ early exercise is ignored — a few cents on deep ITM puts), using `impliedVol`
 * (skew + term structure + VIX level) and time to the expiry instant in calendar years, floored at one minute so
 * 0DTE quotes stay finite into the bell. A quote is printed when the theoretical value moved by at least half a
 * tick since the last quote, or on a random refresh; it lands at a random instant inside its grid step.
 *  - Spread: a floor plus a share of premium, capped (SPXW ≈ 0.05–0.80, NDXP wider, SPY/QQQ ≈ 0.01–0.04), widened
 *    at random; a whole number of ticks wide, bid snapped down and ask up onto the tick grid (`roundToTick`), so
 *    the theoretical value sits inside and the book is never crossed or locked. When the bid would be below one
 *    tick it is 0 with size 0 (a one-sided quote, as OPRA prints them).
 *  - Sizes 1–200 contracts. SPXW prints on 303, NDXP on 309 (assumed Polygon ids for Cboe and Nasdaq ISE; the
 *    single-listed products print on one venue); SPY/QQQ on any of the multi-listed OPRA venue ids.
 *  - Trades: a Poisson draw per grid step, busier at the money, on 0DTE and at the open/close; at the bid, at the
 *    ask or inside on the tick grid; conditions 209 AUTO (≈85 %), 219 ISOI (≈10 %), 233 MLAT multi-leg (≈5 %).
 */
import { roundToTick, tickSize } from '../../domain/instruments.js';
import { bsPrice } from '../../quant/options/blackScholes.js';
import type { Prng } from '../../quant/prng.js';
import type { CsvGzWriter } from './csvGzWriter.js';
import { activityShape, type SessionClock } from './intradayShape.js';
import { interpolate, type MarketPaths, type PathTicker } from './marketPaths.js';
import { nsText } from './nsText.js';
import type { SyntheticContract } from './optionChain.js';
import { impliedVol } from './volSurface.js';

export interface OptionTapeSpec {
  readonly paths: MarketPaths;
  readonly session: SessionClock;
  readonly contracts: readonly SyntheticContract[];
  /** Window, epoch ms; `fromMs` a whole second. */
  readonly fromMs: number;
  readonly toMs: number;
  readonly gridMs: number;
  /** Mean seconds between unprompted quote refreshes. */
  readonly refreshMeanSec: number;
  /** Trades per second for an ATM contract at midday activity. */
  readonly tradeRatePerSec: number;
  readonly prng: Prng;
  readonly quotes: CsvGzWriter;
  readonly trades: CsvGzWriter;
}

const RATE = 0.043;
const YEAR_MS = 365 * 86_400_000;
const MIN_T = 60_000 / YEAR_MS;
const MULTI_LISTED = [301, 302, 303, 304, 307, 308, 309, 312, 313, 315, 316, 319, 320, 322, 323, 325];

interface SpreadModel {
  readonly floor: number;
  readonly share: number;
  readonly cap: number;
}

const SPREADS: Readonly<Record<SyntheticContract['root'], SpreadModel>> = {
  SPX: { floor: 0.05, share: 0.012, cap: 0.8 },
  SPXW: { floor: 0.05, share: 0.012, cap: 0.8 },
  NDX: { floor: 0.1, share: 0.015, cap: 2.0 },
  NDXP: { floor: 0.1, share: 0.015, cap: 2.0 },
  SPY: { floor: 0.01, share: 0.0015, cap: 0.04 },
  QQQ: { floor: 0.01, share: 0.0015, cap: 0.04 },
};

function venues(root: SyntheticContract['root']): readonly number[] {
  if (root === 'SPX' || root === 'SPXW') return [303];
  if (root === 'NDX' || root === 'NDXP') return [309];
  return MULTI_LISTED;
}

export async function writeOptionTape(spec: OptionTapeSpec): Promise<void> {
  const { paths, session, fromMs, toMs, gridMs, prng } = spec;
  if (fromMs % 1000 !== 0) throw new Error(`option tape window must start on a whole second, got ${fromMs}`);
  const baseSec = fromMs / 1000;
  const steps = Math.max(0, Math.floor((toMs - fromMs) / gridMs));
  const stepNs = gridMs * 1e6;
  const { quotes: qw, trades: tw } = spec;

  // Per-step inputs shared by every contract: underlying values, VIX ratio, activity.
  const underlyingCache = new Map<PathTicker, Float64Array>();
  const stepMs = (i: number): number => fromMs + i * gridMs;
  const sampled = (ticker: PathTicker): Float64Array => {
    let a = underlyingCache.get(ticker);
    if (!a) {
      a = new Float64Array(steps);
      const g = paths.grid(ticker);
      for (let i = 0; i < steps; i++) a[i] = interpolate(g, paths.startMs, paths.stepMs, stepMs(i));
      underlyingCache.set(ticker, a);
    }
    return a;
  };
  const vix = sampled('I:VIX');
  const vix0 = paths.at('I:VIX', session.open);
  const activity = new Float64Array(steps);
  for (let i = 0; i < steps; i++) activity[i] = activityShape(stepMs(i), session);
  const refreshP = Math.min(1, gridMs / 1000 / spec.refreshMeanSec);

  for (const c of spec.contracts) {
    const r = prng.fork(`option/${c.ticker}`);
    const spot = sampled(c.pathTicker);
    const sm = SPREADS[c.root];
    const vs = venues(c.root);
    const tradeBase = (spec.tradeRatePerSec * gridMs) / 1000 * (c.zeroDte ? 2 : 1);
    let seq = r.int(1_000, 9_000_000);
    let lastTheo = Number.NaN;
    let bid = 0;
    let ask = 0;
    let prevBid = 0;
    let prevAsk = 0;
    let lastQuoteOff = -1;

    for (let i = 0; i < steps; i++) {
      const ms = stepMs(i);
      if (ms >= c.expiryMs) break;
      const S = spot[i]!;
      const t = Math.max((c.expiryMs - ms) / YEAR_MS, MIN_T);
      const fwd = S * Math.exp((RATE - c.q) * t);
      const vol = impliedVol(c.underlying, fwd, c.strike, t, vix[i]! / vix0);
      const theo = bsPrice({ right: c.right, spot: S, strike: c.strike, t, vol, rate: RATE, q: c.q });
      const stepStart = i * stepNs;
      const tick = tickSize(c.root, theo);

      let quoteOff = -1;
      if (Number.isNaN(lastTheo) || Math.abs(theo - lastTheo) >= tick / 2 || r.chance(refreshP)) {
        lastTheo = theo;
        const spread = Math.min(sm.cap, sm.floor + sm.share * theo) * (r.chance(0.12) ? r.uniform(1.2, 1.6) : 1);
        // Whole ticks of width around the value: bid snapped down onto the grid, ask up, theo between them.
        const n = Math.max(1, Math.round(spread / tick));
        let b = roundToTick(c.root, Math.max(0, theo - (n * tick) / 2 + tick / 2), 'down');
        let a = roundToTick(c.root, b + n * tick, 'up');
        if (b < tickSize(c.root, 0)) {
          b = 0;
          a = Math.max(a, tickSize(c.root, 0));
        }
        if (a <= b) a = roundToTick(c.root, b + tickSize(c.root, b), 'up');
        prevBid = bid;
        prevAsk = ask;
        bid = b;
        ask = a;
        quoteOff = stepStart + (i === 0 ? 0 : r.int(0, stepNs - 1));
        lastQuoteOff = quoteOff;
        const bidSize = bid === 0 ? 0 : 1 + Math.floor(199 * r.next() ** 2);
        const askSize = 1 + Math.floor(199 * r.next() ** 2);
        const askEx = r.pick(vs);
        const bidEx = bid === 0 ? 0 : r.chance(0.3) ? askEx : r.pick(vs);
        seq++;
        qw.add(`${c.ticker},${askEx},${ask},${askSize},${bidEx},${bid},${bidSize},${seq},${nsText(baseSec, quoteOff)}`);
        if (qw.waiting) await qw.waiting;
      }

      const moneyness = Math.abs(Math.log(c.strike / S)) / Math.max(vol * Math.sqrt(t), 1e-4);
      const p = tradeBase * activity[i]! * Math.exp(-0.6 * moneyness);
      if (lastQuoteOff >= 0 && r.chance(Math.min(0.9, p))) {
        const off = stepStart + r.int(0, stepNs - 1);
        // The touch prevailing at the trade: this step's quote only if it came first.
        const useNew = quoteOff < 0 || quoteOff <= off;
        const tb = useNew ? bid : prevBid;
        const ta = useNew ? ask : prevAsk;
        const u = r.next();
        let price: number;
        if (tb === 0 || u < 0.42) price = ta;
        else if (u < 0.8) price = tb;
        else price = Math.min(ta, Math.max(tb, roundToTick(c.root, (tb + ta) / 2, 'nearest')));
        const v = r.next();
        const cond = v < 0.85 ? '209' : v < 0.95 ? '219' : '233';
        const size = r.chance(0.03) ? r.int(20, 200) : 1 + Math.floor(r.exponential(1) * 4);
        tw.add(`${c.ticker},${cond},0,${r.pick(vs)},${price},${nsText(baseSec, off)},${size}`);
        if (tw.waiting) await tw.waiting;
      }
    }
  }
}
