/**
 * Price-level probabilities under a lognormal terminal distribution (Black-Scholes dynamics with the surface's
 * implied vol), for strike selection and target/stop odds.
 *
 * Measure: risk-neutral, drift r − q (defaults 0: over a 0DTE/intraday horizon the drift term (r−q)t is ~1e-5 and
 * the choice does not matter; pass r and q for multi-week horizons). ln S_T ~ N(ln S + (r − q − σ²/2)t, σ²t), so
 * P(S_T > L) = Φ(d2), d2 = (ln(S/L) + (r − q − σ²/2)t) / (σ√t). IVs carry a variance risk premium, so these are
 * market-implied odds, typically wider than realised ones.
 *
 * Touch: reflection principle. For a driftless Brownian motion in log price, P(max over [0,t] ≥ barrier) is exactly
 * 2·P(finish beyond barrier). With the small drift of a lognormal (−σ²/2) it is an approximation; we use
 * min(1, 2·P(finish beyond level)), the desk's "probability of touch ≈ 2 × delta" rule. It ignores discrete
 * monitoring and is therefore an upper-ish estimate for intraday bars.
 *
 * t → 0 or vol → 0: the distribution collapses to the current spot (forward), so probabilities become 0/1 step
 * functions; at exactly the level, above/below are each 1/2 and touch is 1 (the level is being touched now).
 */
import { normCdf } from './blackScholes.js';

function d2(spot: number, level: number, vol: number, t: number, r: number, q: number): number | null {
  const sd = vol * Math.sqrt(t);
  if (!(t > 0) || !(vol > 0) || !(sd > 1e-12)) return null;
  return (Math.log(spot / level) + (r - q - 0.5 * vol * vol) * t) / sd;
}

/** P(S_T > level). */
export function probAbove(spot: number, level: number, vol: number, t: number, r = 0, q = 0): number {
  const d = d2(spot, level, vol, t, r, q);
  if (d === null) {
    const fwd = spot * Math.exp((r - q) * Math.max(t, 0));
    return fwd > level ? 1 : fwd < level ? 0 : 0.5;
  }
  return normCdf(d);
}

/** P(S_T < level). Computed as Φ(−d2), not 1 − Φ(d2), to keep precision in the tail. */
export function probBelow(spot: number, level: number, vol: number, t: number, r = 0, q = 0): number {
  const d = d2(spot, level, vol, t, r, q);
  if (d === null) {
    const fwd = spot * Math.exp((r - q) * Math.max(t, 0));
    return fwd < level ? 1 : fwd > level ? 0 : 0.5;
  }
  return normCdf(-d);
}

/** P(price touches `level` before t): reflection approximation, min(1, 2·P(finish beyond level)). */
export function probTouch(spot: number, level: number, vol: number, t: number): number {
  if (level === spot) return 1;
  const beyond = level > spot ? probAbove(spot, level, vol, t) : probBelow(spot, level, vol, t);
  return Math.min(1, 2 * beyond);
}

/** One-standard-deviation move in price units: spot·σ·√t (t in years). */
export function expectedMove(spot: number, vol: number, t: number): number {
  return t > 0 && vol > 0 ? spot * vol * Math.sqrt(t) : 0;
}
