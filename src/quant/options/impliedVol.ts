/**
 * Black-Scholes-Merton implied volatility for European options with continuous dividend yield.
 *
 * Method: the inversion is done on the out-of-the-money side (by forward moneyness). An in-the-money price is
 * turned into its OTM twin through put-call parity (C − P = S e^{−qt} − K e^{−rt}), which removes the intrinsic
 * part before solving; inverting a deep ITM price directly loses the time value to cancellation. The unknown is
 * total deviation s = σ√t, so 5-minute and 60-day expiries are solved on the same scale. We run Newton on
 * ln(price) (which is increasing and concave in s for an OTM option, so Newton steps rarely overshoot, and deep
 * OTM wings where price ~ e^{−k²/2s²} converge fast) starting at the vega inflection point s = √(2|k|), and keep a
 * bracket [lo, hi] around the root: any step leaving it, or a flat/underflowed price, falls back to bisection.
 *
 * Outcomes (expected failures are values, not exceptions):
 *   - `bad-input`: non-finite or non-positive spot/strike, t ≤ 0 (no time, no vol), negative or non-finite price.
 *   - `below-intrinsic`: price at or below the discounted forward intrinsic max(±(S e^{−qt} − K e^{−rt}), 0).
 *     "At" is included: with no time value every vol reproduces the price to float precision and the answer would
 *     be noise. Note SPY/QQQ are American; their deep ITM puts can trade above the European bound, which shows up
 *     as a slightly high IV rather than a failure.
 *   - `above-bound`: a call at or above S e^{−qt}, or a put at or above K e^{−rt} (no finite vol reaches it).
 *   - `no-convergence`: the price is inside the bounds but within float noise of the upper one (needs σ√t > 50)
 *     or the iteration cap was hit.
 */
import { bsGreeksInto, bsPrice, type BsInput, type Greeks } from './blackScholes.js';

export type ImpliedVolFailure = 'below-intrinsic' | 'above-bound' | 'no-convergence' | 'bad-input';
export type ImpliedVolResult = { vol: number } | { vol: null; reason: ImpliedVolFailure };
export type ImpliedVolInput = Omit<BsInput, 'vol'>;

/** Total deviation σ√t beyond which an OTM option is worth its bound to double precision. */
const S_MAX = 50;
const MAX_ITER = 100;
/** Stop when ln(price) matches to this, i.e. the repriced option agrees to ~1e-12 relative. */
const LOG_TOL = 1e-12;
/** ... or when a Newton step moves s by less than this, relative. */
const STEP_TOL = 1e-13;
/**
 * Deep-wing prices with tiny σ√t are a difference of two nearly equal terms (K e^{−rt}Φ(−d2) − S e^{−qt}Φ(−d1)),
 * so the computed price itself is only good to ~1e-12 relative and Newton can creep without meeting LOG_TOL.
 * If the iteration cap is hit, the best iterate is still accepted when it reprices within this (ln) distance.
 */
const ACCEPT_TOL = 1e-9;
/** The Newton loop's greeks, overwritten each iteration (no object per evaluation on a streaming surface). */
const g: Greeks = { price: 0, delta: 0, gamma: 0, theta: 0, vega: 0, rho: 0 };

/**
 * `guess` (optional): a previous IV for the same contract; Newton starts there (inside the bracket) and usually
 * converges in one or two steps, which is what a streaming surface re-solving every few seconds needs.
 */
export function impliedVol(price: number, input: ImpliedVolInput, guess?: number): ImpliedVolResult {
  const { spot, strike, t, rate } = input;
  const q = input.q ?? 0;
  if (
    !Number.isFinite(price) ||
    !Number.isFinite(spot) ||
    !Number.isFinite(strike) ||
    !Number.isFinite(t) ||
    !Number.isFinite(rate) ||
    !Number.isFinite(q) ||
    spot <= 0 ||
    strike <= 0 ||
    t <= 0 ||
    price < 0
  ) {
    return { vol: null, reason: 'bad-input' };
  }

  const fwdS = spot * Math.exp(-q * t); // S e^{−qt}
  const pvK = strike * Math.exp(-rate * t); // K e^{−rt}
  const isCall = input.right === 'C';
  if (price >= (isCall ? fwdS : pvK)) return { vol: null, reason: 'above-bound' };

  const callIntrinsic = fwdS - pvK;
  const intrinsic = Math.max(isCall ? callIntrinsic : -callIntrinsic, 0);
  const timeValue = price - intrinsic;
  if (!(timeValue > 0)) return { vol: null, reason: 'below-intrinsic' };

  // OTM twin: calls when the forward is at or below the strike, puts otherwise. Its price is the time value.
  const otmRight = callIntrinsic <= 0 ? 'C' : 'P';
  const target = otmRight === input.right ? price : timeValue;
  const sqrtT = Math.sqrt(t);
  const base: { -readonly [K in keyof BsInput]: BsInput[K] } = { right: otmRight, spot, strike, t, rate, q, vol: 0 };
  // One mutable input for every evaluation: this loop runs per quote on a streaming surface.
  const priceAt = (s: number): number => {
    base.vol = s / sqrtT;
    return bsPrice(base);
  };
  const lnTarget = Math.log(target);

  // Bracket: price(0) = 0 < target; grow hi until it prices above target. With a warm-start guess the bracket is
  // left wide open (0, S_MAX) and narrowed by the Newton steps themselves: one BS evaluation fewer per solve.
  const warm = guess !== undefined && guess > 0 && Number.isFinite(guess) && guess * sqrtT < S_MAX;
  let lo = 0;
  let hi = warm ? S_MAX : 1;
  while (!warm && priceAt(hi) < target) {
    lo = hi;
    hi *= 2;
    if (hi > S_MAX) return { vol: null, reason: 'no-convergence' };
  }

  const k = Math.log(fwdS / pvK); // ln(F/K)
  let s = warm ? guess * sqrtT : k !== 0 ? Math.sqrt(2 * Math.abs(k)) : target / (0.4 * fwdS);
  if (!(s > lo && s < hi)) s = 0.5 * (lo + hi);

  let best = Number.NaN;
  let bestDiff = Number.POSITIVE_INFINITY;
  for (let iter = 0; iter < MAX_ITER; iter++) {
    base.vol = s / sqrtT;
    bsGreeksInto(base, g);
    const p = g.price;
    if (p > 0) {
      const diff = Math.log(p) - lnTarget;
      if (Math.abs(diff) < LOG_TOL) return { vol: s / sqrtT };
      if (Math.abs(diff) < bestDiff) {
        bestDiff = Math.abs(diff);
        best = s;
      }
      if (diff < 0) lo = s;
      else hi = s;
      // d ln p / ds = (∂p/∂σ · ∂σ/∂s) / p, ∂σ/∂s = 1/√t.
      const slope = g.vega / sqrtT / p;
      const next = slope > 0 && Number.isFinite(slope) ? s - diff / slope : Number.NaN;
      if (next > lo && next < hi) {
        // Deep in the wings ln(price) carries float noise larger than LOG_TOL; a negligible step is convergence.
        if (Math.abs(next - s) <= STEP_TOL * s) return { vol: next / sqrtT };
        s = next;
      } else {
        s = 0.5 * (lo + hi);
      }
    } else {
      // Price underflowed to zero: far below the target in the wing.
      lo = s;
      s = 0.5 * (lo + hi);
    }
    if (hi - lo <= 4 * Number.EPSILON * hi) return { vol: (0.5 * (lo + hi)) / sqrtT };
  }
  if (bestDiff < ACCEPT_TOL) return { vol: best / sqrtT };
  return { vol: null, reason: 'no-convergence' };
}
