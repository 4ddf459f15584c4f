/**
 * Latent "fair value" paths for one synthetic day, on a fixed 100 ms grid, for every instrument the generator
 * prints: the ETFs (SPY, QQQ and the decoys AAPL, SPYG) and the indices (I:SPX, I:NDX, I:VIX).
 *
 * Model (log prices, per grid step):
 *  - one market factor plus an idiosyncratic shock per ticker, mixed by `beta`, so corr(SPY, QQQ) ≈ 0.97 × 0.88 ≈ 0.85;
 *  - volatility scaled by the intraday U-shape (`volShape`), annualised over trading time (252 × 6.5 h);
 *  - a market drift that changes at two random regime breaks during regular hours (trend → chop → trend);
 *  - a few market-wide jumps (±0.1–0.4 %) during regular hours, loaded by beta and vol ratio;
 *  - I:SPX = 10.03 × SPY and I:NDX = 41 × QQQ, each times a slow AR(1) basis wobble (≈1 bp), so the indices
 *    track the ETFs the way the real pairs do; I:VIX moves ≈ −6× SPY's log return plus its own noise.
 *
 * Everything downstream (NBBO, trades, index values, option quotes) reads these arrays, which is what keeps the
 * files mutually consistent. Lookups interpolate linearly between grid points and clamp at the ends.
 */
import type { Prng } from '../../quant/prng.js';
import { volShape, type SessionClock } from './intradayShape.js';

export const STOCK_TICKERS = ['AAPL', 'QQQ', 'SPY', 'SPYG'] as const;
export const INDEX_TICKERS = ['I:NDX', 'I:SPX', 'I:VIX'] as const;
export type PathTicker = (typeof STOCK_TICKERS)[number] | (typeof INDEX_TICKERS)[number];

interface EtfSpec {
  readonly start: number;
  /** Annualised volatility at a volShape multiplier of 1. */
  readonly vol: number;
  /** Loading on the market factor (correlation with it). */
  readonly beta: number;
}

/** Early-March-2025-like levels; the seed perturbs them by about ±1 %. */
const ETF_SPECS: Readonly<Record<(typeof STOCK_TICKERS)[number], EtfSpec>> = {
  AAPL: { start: 239.0, vol: 0.26, beta: 0.6 },
  QQQ: { start: 491.2, vol: 0.19, beta: 0.88 },
  SPY: { start: 574.5, vol: 0.15, beta: 0.97 },
  SPYG: { start: 86.3, vol: 0.17, beta: 0.95 },
};

/** SPX / SPY and NDX / QQQ ratios (SPY and QQQ hold roughly a tenth and a fortieth of their index). */
export const SPX_PER_SPY = 10.03;
export const NDX_PER_QQQ = 41.0;

const TRADING_YEAR_MS = 252 * 6.5 * 3_600_000;
const GRID_MS = 100;

export interface MarketPathsSpec {
  /** First and last instants the paths must cover, epoch ms. */
  readonly startMs: number;
  readonly endMs: number;
  readonly session: SessionClock;
  readonly prng: Prng;
}

export class MarketPaths {
  readonly startMs: number;
  readonly stepMs = GRID_MS;
  readonly n: number;
  private readonly series: ReadonlyMap<PathTicker, Float64Array>;

  private constructor(startMs: number, n: number, series: ReadonlyMap<PathTicker, Float64Array>) {
    this.startMs = startMs;
    this.n = n;
    this.series = series;
  }

  static generate(spec: MarketPathsSpec): MarketPaths {
    const { startMs, endMs, session, prng } = spec;
    if (!(endMs > startMs)) throw new Error(`MarketPaths: empty window ${startMs}..${endMs}`);
    const n = Math.ceil((endMs - startMs) / GRID_MS) + 1;
    const rMarket = prng.fork('market');
    const rRegime = prng.fork('regimes');

    // Regime breaks and drifts (total log-return of the market over each regime, in SPY-vol units).
    const rth = Math.max(1, session.close - session.open);
    const breaks = [rRegime.uniform(0.15, 0.45), rRegime.uniform(0.55, 0.85)].map((f) => session.open + f * rth);
    const regimeMoves = [rRegime.normal() * 0.004, rRegime.normal() * 0.0015, rRegime.normal() * 0.005];
    const regimeEdges = [session.open, breaks[0]!, breaks[1]!, session.close];
    const driftPerStep = regimeMoves.map((move, k) => {
      const steps = Math.max(1, (regimeEdges[k + 1]! - regimeEdges[k]!) / GRID_MS);
      return move / steps;
    });
    const jumpCount = rRegime.int(2, 4);
    const jumps = new Map<number, number>();
    for (let j = 0; j < jumpCount; j++) {
      const at = Math.round((session.open + rRegime.uniform(0.05, 0.95) * rth - startMs) / GRID_MS);
      const size = (rRegime.chance(0.55) ? -1 : 1) * rRegime.uniform(0.001, 0.004);
      if (at > 0 && at < n) jumps.set(at, (jumps.get(at) ?? 0) + size);
    }

    const etfs = STOCK_TICKERS.map((t) => {
      const s = ETF_SPECS[t];
      const r = prng.fork(`etf/${t}`);
      const arr = new Float64Array(n);
      const logStart = Math.log(s.start) + 0.01 * r.normal();
      return { t, s, r, arr, logX: logStart, idio: Math.sqrt(1 - s.beta * s.beta) };
    });
    const spyVol = ETF_SPECS.SPY.vol;
    const sqrtDt = Math.sqrt(GRID_MS / TRADING_YEAR_MS);

    for (let i = 0; i < n; i++) {
      const ms = startMs + i * GRID_MS;
      if (i > 0) {
        const scale = volShape(ms, session) * sqrtDt;
        const zm = rMarket.normal();
        let common = 0;
        if (ms >= session.open && ms < session.close) {
          common = ms < breaks[0]! ? driftPerStep[0]! : ms < breaks[1]! ? driftPerStep[1]! : driftPerStep[2]!;
        }
        const jump = jumps.get(i);
        if (jump !== undefined) common += jump;
        for (const e of etfs) {
          const shock = e.s.beta * zm + e.idio * e.r.normal();
          e.logX += e.s.vol * scale * shock + common * e.s.beta * (e.s.vol / spyVol);
        }
      }
      for (const e of etfs) e.arr[i] = Math.exp(e.logX);
    }

    const byTicker = new Map<PathTicker, Float64Array>();
    for (const e of etfs) byTicker.set(e.t, e.arr);
    const spy = byTicker.get('SPY')!;
    const qqq = byTicker.get('QQQ')!;

    const basis = (label: string, ratio: number, src: Float64Array, sd: number): Float64Array => {
      const r = prng.fork(label);
      const out = new Float64Array(n);
      // AR(1) with ~2-minute memory; innovation scaled for a stationary sd of `sd` (log units).
      const phi = Math.exp(-GRID_MS / 120_000);
      const innov = sd * Math.sqrt(1 - phi * phi);
      let x = sd * r.normal();
      for (let i = 0; i < n; i++) {
        x = phi * x + innov * r.normal();
        out[i] = ratio * src[i]! * Math.exp(x);
      }
      return out;
    };
    byTicker.set('I:SPX', basis('basis/I:SPX', SPX_PER_SPY, spy, 0.00008));
    byTicker.set('I:NDX', basis('basis/I:NDX', NDX_PER_QQQ, qqq, 0.0001));

    const rv = prng.fork('vix');
    const vix = new Float64Array(n);
    const vix0 = 22 + 4 * rv.next();
    const spy0 = spy[0]!;
    const phiV = Math.exp(-GRID_MS / 600_000);
    const innovV = 0.02 * Math.sqrt(1 - phiV * phiV);
    let nv = 0;
    for (let i = 0; i < n; i++) {
      nv = phiV * nv + innovV * rv.normal();
      vix[i] = vix0 * Math.exp(-6 * Math.log(spy[i]! / spy0) + nv);
    }
    byTicker.set('I:VIX', vix);
    return new MarketPaths(startMs, n, byTicker);
  }

  /** Raw grid for a ticker (index i ↔ startMs + i × stepMs). */
  grid(ticker: PathTicker): Float64Array {
    const s = this.series.get(ticker);
    if (!s) throw new Error(`no synthetic path for ${ticker}`);
    return s;
  }

  /** Value at an instant, linearly interpolated, clamped to the covered window. */
  at(ticker: PathTicker, ms: number): number {
    return interpolate(this.grid(ticker), this.startMs, this.stepMs, ms);
  }

  /** Min and max of the grid over [fromMs, toMs]. */
  range(ticker: PathTicker, fromMs: number, toMs: number): { min: number; max: number } {
    const g = this.grid(ticker);
    const i0 = Math.max(0, Math.floor((fromMs - this.startMs) / this.stepMs));
    const i1 = Math.min(this.n - 1, Math.ceil((toMs - this.startMs) / this.stepMs));
    let min = Infinity;
    let max = -Infinity;
    for (let i = i0; i <= i1; i++) {
      const v = g[i]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    return { min, max };
  }
}

/** Linear interpolation on a regular grid, clamped at both ends. Hot path: no allocation. */
export function interpolate(g: Float64Array, startMs: number, stepMs: number, ms: number): number {
  const x = (ms - startMs) / stepMs;
  if (x <= 0) return g[0]!;
  const i = Math.floor(x);
  if (i >= g.length - 1) return g[g.length - 1]!;
  const f = x - i;
  const a = g[i]!;
  return a + (g[i + 1]! - a) * f;
}
