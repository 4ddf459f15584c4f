/**
 * Streaming implied-volatility surface for one underlying's option chain.
 *
 * Input: NBBO option quotes plus the underlying's spot at event time `tsNow` (no wall clock). Each accepted quote
 * is turned into an implied vol from its mid, with time to expiry from `yearFraction` at `tsNow` (the instant the
 * spot belongs to) and rate/dividend yield from config. Rejections, returned as a reason from `update`:
 *   - `unknown-symbol`: not an OCC symbol, or a root of another underlying when `underlying` is configured;
 *   - `stale`: older than `maxQuoteAgeMs` at `tsNow`, or older than the point already held for that contract;
 *   - `crossed` (bid > ask), `one-sided` (bid or ask ≤ 0), `expired`, `bad-spot`;
 *   - `shadowed`: an AM-settled contract on a date whose slice is held by PM contracts (see below);
 *   - the impliedVol failure reasons (`below-intrinsic` for a mid at or under the discounted forward intrinsic…).
 * A crossed, one-sided or unpriceable quote also drops that contract's previous IV: the latest quote says the old
 * one no longer describes the market. A stale quote changes nothing.
 *
 * State: per expiry ("slice") the latest IV per contract with its quote time and fit weight. Points older than
 * `maxQuoteAgeMs` relative to the latest `tsNow` seen are ignored by every query (kept until overwritten).
 * Slices are dropped once their expiry instant passes. When an AM-settled monthly (SPX/NDX) and a PM-settled
 * weekly (SPXW/NDXP) expire on the same date, the PM contracts own the slice: 0DTE liquidity is there, and mixing
 * two settlement instants in one smile would blend different clocks.
 *
 * Per strike the out-of-the-money side is used (puts below the forward, calls at or above, the other side if only
 * it is fresh): OTM quotes carry the time value, ITM mids are mostly intrinsic plus spread noise.
 *
 * Smile: weighted least squares σ(k) = a + b·k + c·k² in log-moneyness k = ln(K/F), F = S·e^{(r−q)t}. Weight =
 * (vega / (ask − bid))², i.e. the inverse variance of the IV implied by a quote whose true value is anywhere in
 * its spread (spread floored at 0.01 so locked quotes do not dominate). Refit lazily, only when a query needs it
 * and something (points, spot, tsNow) changed since the last fit.
 *
 * Queries return null until the slice has ≥ `minStrikes` (default 3) distinct fresh strikes:
 *   - `atmIv`: linear interpolation in k between the fresh strikes bracketing the forward (the fit's a when the
 *     forward is outside the quoted strikes), so a misspecified quadratic cannot bias ATM.
 *   - `skew25d`: σ(25Δ put) − σ(25Δ call) on the fitted smile, deltas being BSM spot deltas (e^{−qt}Φ(±d1)) at
 *     the smile's own vol. Null when either 25Δ strike is outside the quoted k-range (no extrapolated skew).
 *     Positive is the usual equity-index put skew.
 *   - `termSlope`: ATM IV of today's (0DTE, New York date of tsNow) expiry minus the next expiry's; null without
 *     a same-day slice or a later one.
 *   - `ivFor(strike, expiry)`: the fresh quote's IV for that strike when there is one, else the fitted smile,
 *     evaluated flat beyond the quoted k-range (a quadratic extrapolates to nonsense, even negative vol).
 *
 * Assumptions (config, documented defaults): r = 0.045 (USD short rate, continuous) and q = 0.013 (S&P 500
 * dividend yield, continuous). Use q ≈ 0.006–0.007 for NDX/QQQ. SPY/QQQ options are American; European BSM IVs
 * are used for them anyway (the early-exercise premium is negligible for the short-dated OTM quotes that matter).
 */
import {
  ROOT_INFO,
  isOptionRoot,
  tryParseOcc,
  type OptionContract,
  type OptionRight,
  type Settlement,
  type Underlying,
} from '../../domain/instruments.js';
import { toNy } from '../../domain/time.js';
import { bsGreeks, bsVega, normCdf } from './blackScholes.js';
import { impliedVol, type ImpliedVolFailure } from './impliedVol.js';
import { expiryInstantMs } from './yearFraction.js';

const MS_PER_YEAR = 365 * 24 * 3600 * 1000;
const MIN_SPREAD = 0.01;

export interface VolSurfaceConfig {
  /** When set, quotes on other underlyings' roots are rejected. */
  readonly underlying?: Underlying;
  /** Continuously compounded risk-free rate. Default 0.045. */
  readonly rate?: number;
  /** Continuous dividend yield. Default 0.013 (SPX). */
  readonly dividendYield?: number;
  /** Quotes older than this at `tsNow` are stale. Default 10 000 ms. */
  readonly maxQuoteAgeMs?: number;
  /** Distinct fresh strikes an expiry needs before it answers. Default 3. */
  readonly minStrikes?: number;
}

export interface SurfaceQuote {
  readonly symbol: string;
  readonly bid: number;
  readonly ask: number;
  readonly bidSize: number;
  readonly askSize: number;
  readonly ts: number;
}

export type SurfaceUpdateResult =
  | 'ok'
  | 'unknown-symbol'
  | 'stale'
  | 'crossed'
  | 'one-sided'
  | 'expired'
  | 'bad-spot'
  | 'shadowed'
  | ImpliedVolFailure;

/** Fitted smile of one expiry: σ(k) = a + b·k + c·k², k = ln(K / forward). */
export interface SmileFit {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly forward: number;
  /** Years to expiry at the fit's tsNow. */
  readonly t: number;
  /** Quoted log-moneyness range the fit is supported by. */
  readonly kMin: number;
  readonly kMax: number;
  /** Strikes used. */
  readonly n: number;
}

export interface SurfaceSlice {
  readonly expiry: string;
  readonly atmIv: number | null;
  readonly skew25d: number | null;
  readonly strikes: number;
}

export interface SurfaceValue {
  readonly slices: readonly SurfaceSlice[];
  readonly termSlope: number | null;
}

interface Point {
  readonly strike: number;
  readonly right: OptionRight;
  readonly iv: number;
  readonly ts: number;
  readonly weight: number;
}

interface StrikePoint {
  readonly strike: number;
  readonly k: number;
  readonly iv: number;
  readonly weight: number;
}

interface Slice {
  readonly expiry: string;
  settlement: Settlement;
  instant: number;
  readonly points: Map<string, Point>;
  version: number;
  /** Cache of fresh OTM-preferred per-strike points and fit, and what it was computed at (version, event time, spot). */
  cacheVersion: number;
  cacheNow: number;
  cacheSpot: number;
  cachePoints: StrikePoint[];
  cacheFit: SmileFit | null;
}

interface ContractMeta {
  readonly contract: OptionContract;
  readonly settlement: Settlement;
  readonly instant: number;
}

export class VolSurface {
  private readonly rate: number;
  private readonly q: number;
  private readonly maxAge: number;
  private readonly minStrikes: number;
  private readonly underlying: Underlying | undefined;
  private readonly slices = new Map<string, Slice>();
  /** Per option symbol: parsed contract, settlement and expiry instant (null: not ours / unparseable). */
  private readonly contracts = new Map<string, ContractMeta | null>();
  private lastNow = Number.NEGATIVE_INFINITY;
  private lastSpot = Number.NaN;

  constructor(config: VolSurfaceConfig = {}) {
    this.rate = config.rate ?? 0.045;
    this.q = config.dividendYield ?? 0.013;
    this.maxAge = config.maxQuoteAgeMs ?? 10_000;
    this.minStrikes = config.minStrikes ?? 3;
    this.underlying = config.underlying;
  }

  /** Feed one NBBO quote with the underlying's spot at event time `tsNow`. */
  update(quote: SurfaceQuote, spot: number, tsNow: number): SurfaceUpdateResult {
    if (!(spot > 0) || !Number.isFinite(spot)) return 'bad-spot';
    this.advance(spot, tsNow);
    // Parsing the symbol and finding the expiry instant cost ~30 µs (calendar lookups); do it once per contract.
    let meta = this.contracts.get(quote.symbol);
    if (meta === undefined) {
      meta = this.contractMeta(quote.symbol);
      this.contracts.set(quote.symbol, meta);
    }
    if (meta === null) return 'unknown-symbol';
    const { contract: c, settlement, instant } = meta;
    if (tsNow - quote.ts > this.maxAge) return 'stale';
    if (instant <= tsNow) return 'expired';
    let slice = this.slices.get(c.expiry);
    if (slice && slice.settlement !== settlement) {
      if (settlement === 'AM') return 'shadowed';
      this.slices.delete(c.expiry); // PM takes the date over from AM.
      slice = undefined;
    }
    if (!slice) {
      slice = {
        expiry: c.expiry,
        settlement,
        instant,
        points: new Map(),
        version: 0,
        cacheVersion: -1,
        cacheNow: Number.NaN,
        cacheSpot: Number.NaN,
        cachePoints: [],
        cacheFit: null,
      };
      this.slices.set(c.expiry, slice);
    }
    const prev = slice.points.get(quote.symbol);
    if (prev && prev.ts > quote.ts) return 'stale';

    let reason: SurfaceUpdateResult | null = null;
    if (!(quote.bid > 0) || !(quote.ask > 0)) reason = 'one-sided';
    else if (quote.bid > quote.ask) reason = 'crossed';
    let vol = 0;
    if (reason === null) {
      const mid = 0.5 * (quote.bid + quote.ask);
      // One input object per call, reused for the vega (no spreads on this path: it runs for every quote).
      const input = { right: c.right, spot, strike: c.strike, t: (instant - tsNow) / MS_PER_YEAR, rate: this.rate, q: this.q, vol: 0 };
      const r = impliedVol(mid, input, prev?.iv);
      if (r.vol === null) reason = r.reason;
      else {
        vol = r.vol;
        input.vol = vol;
      }
      if (reason === null) {
        const spread = Math.max(quote.ask - quote.bid, MIN_SPREAD);
        const weight = (bsVega(input) / spread) ** 2;
        slice.points.set(quote.symbol, { strike: c.strike, right: c.right, iv: vol, ts: quote.ts, weight });
        slice.version++;
        return 'ok';
      }
    }
    if (slice.points.delete(quote.symbol)) slice.version++;
    return reason;
  }

  /** Expiries currently held, ascending. */
  expiries(): string[] {
    return [...this.slices.keys()].sort();
  }

  atmIv(expiry: string): number | null {
    const slice = this.slices.get(expiry);
    if (!slice) return null;
    const pts = this.freshPoints(slice);
    if (pts.length < this.minStrikes) return null;
    const first = pts[0]!;
    const last = pts[pts.length - 1]!;
    if (first.k > 0 || last.k < 0) return this.fitOf(slice)?.a ?? null;
    for (let i = 1; i < pts.length; i++) {
      const hi = pts[i]!;
      if (hi.k >= 0) {
        const lo = pts[i - 1]!;
        if (hi.k === lo.k) return hi.iv;
        const w = (0 - lo.k) / (hi.k - lo.k);
        return lo.iv + w * (hi.iv - lo.iv);
      }
    }
    return first.iv; // single point at k = 0 cannot reach here with ≥ 3 strikes; kept for totality
  }

  skew25d(expiry: string): number | null {
    const slice = this.slices.get(expiry);
    if (!slice) return null;
    const fit = this.fitOf(slice);
    if (!fit) return null;
    const put = this.kAtDelta(fit, 'P');
    const call = this.kAtDelta(fit, 'C');
    if (put === null || call === null) return null;
    return smileAt(fit, put) - smileAt(fit, call);
  }

  /** 0DTE ATM IV minus the next expiry's ATM IV. */
  termSlope(): number | null {
    if (!Number.isFinite(this.lastNow)) return null;
    const today = toNy(this.lastNow).date;
    const exps = this.expiries();
    const i = exps.indexOf(today);
    if (i < 0) return null;
    const front = this.atmIv(today);
    if (front === null) return null;
    for (let j = i + 1; j < exps.length; j++) {
      const next = this.atmIv(exps[j]!);
      if (next !== null) return front - next;
    }
    return null;
  }

  smile(expiry: string): SmileFit | null {
    const slice = this.slices.get(expiry);
    return slice ? this.fitOf(slice) : null;
  }

  ivFor(strike: number, expiry: string): number | null {
    const slice = this.slices.get(expiry);
    if (!slice) return null;
    const fit = this.fitOf(slice);
    if (!fit) return null;
    for (const p of this.freshPoints(slice)) if (p.strike === strike) return p.iv;
    const k = Math.min(fit.kMax, Math.max(fit.kMin, Math.log(strike / fit.forward)));
    return smileAt(fit, k);
  }

  /** Snapshot of every slice; null until at least one expiry has enough strikes. */
  get value(): SurfaceValue | null {
    const slices: SurfaceSlice[] = [];
    let any = false;
    for (const expiry of this.expiries()) {
      const slice = this.slices.get(expiry)!;
      const strikes = this.freshPoints(slice).length;
      if (strikes >= this.minStrikes) any = true;
      slices.push({ expiry, atmIv: this.atmIv(expiry), skew25d: this.skew25d(expiry), strikes });
    }
    return any ? { slices, termSlope: this.termSlope() } : null;
  }

  reset(): void {
    this.slices.clear();
    this.lastNow = Number.NEGATIVE_INFINITY;
    this.lastSpot = Number.NaN;
  }

  private contractMeta(symbol: string): ContractMeta | null {
    const c = tryParseOcc(symbol);
    if (!c) return null;
    let settlement: Settlement = 'PM';
    if (isOptionRoot(c.root)) {
      const info = ROOT_INFO[c.root];
      if (this.underlying !== undefined && info.underlying !== this.underlying) return null;
      settlement = info.settlement;
    } else if (this.underlying !== undefined) {
      return null;
    }
    return { contract: c, settlement, instant: expiryInstantMs(c.expiry, settlement) };
  }

  private advance(spot: number, tsNow: number): void {
    this.lastSpot = spot;
    if (tsNow > this.lastNow) this.lastNow = tsNow;
    for (const [expiry, slice] of this.slices) if (slice.instant <= this.lastNow) this.slices.delete(expiry);
  }

  private years(slice: Slice): number {
    return (slice.instant - this.lastNow) / MS_PER_YEAR;
  }

  /** Fresh OTM-preferred point per strike, sorted by k; cached with the fit. */
  private freshPoints(slice: Slice): StrikePoint[] {
    this.refresh(slice);
    return slice.cachePoints;
  }

  private fitOf(slice: Slice): SmileFit | null {
    this.refresh(slice);
    return slice.cacheFit;
  }

  private refresh(slice: Slice): void {
    // Compared as numbers (a string key cost two number-to-string conversions per call; this runs per snapshot).
    if (slice.cacheVersion === slice.version && slice.cacheNow === this.lastNow && slice.cacheSpot === this.lastSpot) return;
    slice.cacheVersion = slice.version;
    slice.cacheNow = this.lastNow;
    slice.cacheSpot = this.lastSpot;
    const t = this.years(slice);
    const forward = this.lastSpot * Math.exp((this.rate - this.q) * t);
    const byStrike = new Map<number, Point>();
    const cutoff = this.lastNow - this.maxAge;
    for (const p of slice.points.values()) {
      if (p.ts < cutoff) continue;
      const have = byStrike.get(p.strike);
      const otm: OptionRight = p.strike < forward ? 'P' : 'C';
      if (!have || (have.right !== otm && p.right === otm)) byStrike.set(p.strike, p);
    }
    const pts: StrikePoint[] = [];
    for (const p of byStrike.values()) {
      pts.push({ strike: p.strike, k: Math.log(p.strike / forward), iv: p.iv, weight: p.weight });
    }
    pts.sort((x, y) => x.k - y.k);
    slice.cachePoints = pts;
    slice.cacheFit = pts.length >= this.minStrikes && t > 0 ? fitQuadratic(pts, forward, t) : null;
  }

  /** Log-moneyness where the BSM delta at the smile's vol is ±0.25; null outside the quoted range. */
  private kAtDelta(fit: SmileFit, right: OptionRight): number | null {
    const dq = Math.exp(-this.q * fit.t);
    const sqrtT = Math.sqrt(fit.t);
    const call = right === 'C';
    let lo = fit.kMin;
    let hi = fit.kMax;
    let flo = deltaGap(fit, lo, dq, sqrtT, call);
    const fhi = deltaGap(fit, hi, dq, sqrtT, call);
    if (!(flo * fhi <= 0)) return null;
    for (let i = 0; i < 80; i++) {
      const mid = 0.5 * (lo + hi);
      const fm = deltaGap(fit, mid, dq, sqrtT, call);
      if (Number.isNaN(fm)) return null;
      if (fm * flo <= 0) hi = mid;
      else {
        lo = mid;
        flo = fm;
      }
    }
    return 0.5 * (lo + hi);
  }
}

/**
 * |delta| − 0.25 at log-moneyness k and the smile's vol there: decreasing in k for calls, increasing for puts.
 * A module function of numbers, not a closure per call: it runs 80 times per skew reading.
 */
function deltaGap(fit: SmileFit, k: number, dq: number, sqrtT: number, call: boolean): number {
  const vol = smileAt(fit, k);
  if (!(vol > 0)) return Number.NaN;
  const d1 = (-k + 0.5 * vol * vol * fit.t) / (vol * sqrtT);
  return dq * normCdf(call ? d1 : -d1) - 0.25;
}

function smileAt(fit: SmileFit, k: number): number {
  return fit.a + k * (fit.b + k * fit.c);
}

/**
 * Weighted least squares for σ = a + b·k + c·k². k is scaled by max|k| first: 0DTE strikes span k ≈ ±0.005,
 * where raw normal equations in (1, k, k²) would be badly conditioned.
 */
function fitQuadratic(pts: readonly StrikePoint[], forward: number, t: number): SmileFit | null {
  let scale = 0;
  for (const p of pts) scale = Math.max(scale, Math.abs(p.k));
  if (!(scale > 0)) return null;
  // Normal equations M·[a', b', c'] = v with sums of w·x^n and w·x^n·σ, x = k / scale.
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, v0 = 0, v1 = 0, v2 = 0;
  for (const p of pts) {
    const x = p.k / scale;
    const w = p.weight;
    const x2 = x * x;
    s0 += w;
    s1 += w * x;
    s2 += w * x2;
    s3 += w * x2 * x;
    s4 += w * x2 * x2;
    v0 += w * p.iv;
    v1 += w * x * p.iv;
    v2 += w * x2 * p.iv;
  }
  const sol = solve3([s0, s1, s2, s1, s2, s3, s2, s3, s4], [v0, v1, v2]);
  if (!sol) return null;
  const first = pts[0]!;
  const last = pts[pts.length - 1]!;
  return {
    a: sol[0],
    b: sol[1] / scale,
    c: sol[2] / (scale * scale),
    forward,
    t,
    kMin: first.k,
    kMax: last.k,
    n: pts.length,
  };
}

/** 3×3 linear solve by Gaussian elimination with partial pivoting; null when singular (< 3 distinct k). */
function solve3(m: number[], v: number[]): [number, number, number] | null {
  const a = [
    [m[0]!, m[1]!, m[2]!, v[0]!],
    [m[3]!, m[4]!, m[5]!, v[1]!],
    [m[6]!, m[7]!, m[8]!, v[2]!],
  ];
  const norm = Math.max(...m.map(Math.abs));
  for (let col = 0; col < 3; col++) {
    let piv = col;
    for (let r = col + 1; r < 3; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[piv]![col]!)) piv = r;
    if (!(Math.abs(a[piv]![col]!) > 1e-13 * norm)) return null;
    [a[col], a[piv]] = [a[piv]!, a[col]!];
    const rowC = a[col]!;
    for (let r = col + 1; r < 3; r++) {
      const row = a[r]!;
      const f = row[col]! / rowC[col]!;
      for (let j = col; j < 4; j++) row[j] = row[j]! - f * rowC[j]!;
    }
  }
  const x = [0, 0, 0];
  for (let r = 2; r >= 0; r--) {
    const row = a[r]!;
    let s = row[3]!;
    for (let j = r + 1; j < 3; j++) s -= row[j]! * x[j]!;
    x[r] = s / row[r]!;
  }
  return [x[0]!, x[1]!, x[2]!];
}
