/**
 * The option contracts the synthetic day quotes: for each of SPXW (on I:SPX), NDXP (on I:NDX), SPY and QQQ, the
 * 0DTE series when the root expires that day (`hasExpiry`) plus the next expiry, with strikes on the listed grid
 * (SPXW 5, NDXP 10, SPY/QQQ 1) spanning the day's range of the underlying plus a margin.
 *
 * When the span needs more than `maxStrikes` strikes the grid is thinned to a multiple of the listed step (10/15/…
 * for SPXW, 2 for SPY, 25-point-like for NDXP) — those are real listed strikes too, only the in-between ones are
 * missing — so a small fixture still covers the whole path. Contracts come back sorted by Polygon ticker, the
 * order of the flat files.
 */
import { hasExpiry, lastTradeTime, nextExpiry } from '../../domain/expirations.js';
import { formatPolygon, type OptionRight, type OptionRoot, type Underlying } from '../../domain/instruments.js';
import { addDays } from '../../domain/time.js';
import type { MarketPaths, PathTicker } from './marketPaths.js';

export interface SyntheticContract {
  readonly ticker: string;
  readonly root: OptionRoot;
  readonly underlying: Underlying;
  /** Latent path the contract is priced on. */
  readonly pathTicker: PathTicker;
  readonly expiry: string;
  /** Expiry instant (last trade / PM settlement), epoch ms. */
  readonly expiryMs: number;
  readonly zeroDte: boolean;
  readonly right: OptionRight;
  readonly strike: number;
  /** Continuous dividend yield used for pricing. */
  readonly q: number;
}

interface RootSpec {
  readonly root: OptionRoot;
  readonly underlying: Underlying;
  readonly pathTicker: PathTicker;
  readonly step: number;
  readonly q: number;
}

const ROOTS: readonly RootSpec[] = [
  { root: 'SPXW', underlying: 'SPX', pathTicker: 'I:SPX', step: 5, q: 0.013 },
  { root: 'NDXP', underlying: 'NDX', pathTicker: 'I:NDX', step: 10, q: 0.007 },
  { root: 'SPY', underlying: 'SPY', pathTicker: 'SPY', step: 1, q: 0.013 },
  { root: 'QQQ', underlying: 'QQQ', pathTicker: 'QQQ', step: 1, q: 0.006 },
];

export interface OptionChainSpec {
  readonly date: string;
  readonly paths: MarketPaths;
  /** Window whose underlying range the strikes must cover, epoch ms. */
  readonly fromMs: number;
  readonly toMs: number;
  /** Cap on strikes per root and expiry. */
  readonly maxStrikes: number;
}

export function buildOptionChain(spec: OptionChainSpec): SyntheticContract[] {
  const out: SyntheticContract[] = [];
  for (const rs of ROOTS) {
    const expiries: string[] = [];
    if (hasExpiry(rs.root, spec.date)) expiries.push(spec.date);
    expiries.push(nextExpiry(rs.root, addDays(spec.date, 1)));

    const { min, max } = spec.paths.range(rs.pathTicker, spec.fromMs, spec.toMs);
    const pad = Math.max(2 * rs.step, 0.003 * (min + max) / 2);
    let step = rs.step;
    let lo = 0;
    let hi = 0;
    for (let k = 1; ; k++) {
      step = rs.step * k;
      lo = Math.floor((min - pad) / step) * step;
      hi = Math.ceil((max + pad) / step) * step;
      if ((hi - lo) / step + 1 <= spec.maxStrikes) break;
    }
    for (const expiry of expiries) {
      const expiryMs = lastTradeTime(rs.root, expiry);
      for (let strike = lo; strike <= hi + 1e-9; strike += step) {
        for (const right of ['C', 'P'] as const) {
          out.push({
            ticker: formatPolygon({ root: rs.root, expiry, right, strike }),
            root: rs.root,
            underlying: rs.underlying,
            pathTicker: rs.pathTicker,
            expiry,
            expiryMs,
            zeroDte: expiry === spec.date,
            right,
            strike,
            q: rs.q,
          });
        }
      }
    }
  }
  return out.sort((a, b) => (a.ticker < b.ticker ? -1 : a.ticker > b.ticker ? 1 : 0));
}
