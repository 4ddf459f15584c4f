/**
 * Black-Scholes-Merton for European options with a continuous dividend yield q (Merton 1973).
 *
 * Units: `t` in years, `vol` and `rate`/`q` as annual decimals (0.2 = 20%). Greeks are per unit of the input:
 * theta per year (divide by 365 for per calendar day), vega per 1.00 of vol (divide by 100 for per vol point),
 * rho per 1.00 of rate. Theta is ∂V/∂calendar-time, i.e. −∂V/∂t.
 *
 * Degenerate inputs: when t ≤ 0 or vol ≤ 0 (or σ√t underflows) there is no diffusion left, so the value is the
 * discounted intrinsic of the forward, max(±(F − K), 0)·e^{−rt}; delta is the ±e^{−qt} step (0.5·e^{−qt} exactly
 * at the money), gamma and vega are 0. That keeps 0DTE quotes with seconds left NaN-free.
 *
 * Φ is computed from W. J. Cody's rational Chebyshev approximations of erf/erfc (Math. Comp. 1969, as in the
 * SPECFUN CALERF routine), accurate to about 1e-16 relative across the double range, including far tails,
 * which a 1e-7 Abramowitz-Stegun polynomial is not (deep OTM 0DTE prices and implied vols need the tail).
 */

export type Right = 'C' | 'P';

export interface BsInput {
  right: Right;
  spot: number;
  strike: number;
  /** Years to expiry. */
  t: number;
  /** Annualised volatility, decimal. */
  vol: number;
  /** Continuously compounded risk-free rate, decimal. */
  rate: number;
  /** Continuous dividend yield, decimal; 0 when omitted. */
  q?: number;
}

export interface Greeks {
  price: number;
  delta: number;
  gamma: number;
  /** Per year of calendar time. */
  theta: number;
  /** Per 1.00 of vol. */
  vega: number;
  /** Per 1.00 of rate. */
  rho: number;
}

const SQRT_2PI = Math.sqrt(2 * Math.PI);
const INV_SQRT_2PI = 1 / SQRT_2PI;

/** Standard normal density. */
export function normPdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

// Cody CALERF coefficients.
const A = [3.1611237438705656, 113.864154151050156, 377.485237685302021, 3209.37758913846947, 0.185777706184603153];
const B = [23.6012909523441209, 244.024637934444173, 1282.61652607737228, 2844.23683343917062];
const C = [
  0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131, 881.95222124176909,
  1712.04761263407058, 2051.07837782607147, 1230.33935479799725, 2.15311535474403846e-8,
];
const D = [
  15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019, 3290.79923573345963,
  4362.61909014324716, 3439.36767414372164, 1230.33935480374942,
];
const P = [
  0.305326634961232344, 0.360344899949804439, 0.125781726111229246, 0.0160837851487422766,
  6.58749161529837803e-4, 0.0163153871373020978,
];
const Q = [2.56852019228982242, 1.87295284992346725, 0.527905102951428412, 0.0605183413124413191, 0.00233520497626869185];
const SQRPI = 0.56418958354775628695; // 1/√π
const THRESH = 0.46875;
const XBIG = 26.543;

/**
 * erfc(y) for y ≥ THRESH, via Cody's two outer ranges, where y = |x|/√2. The Gaussian factor exp(−y²) is taken
 * as exp(−x²/2) from the unscaled |x|: rounding in x/√2 would otherwise be amplified by 2y² in the far tail.
 */
function erfcPositive(y: number, ax: number): number {
  if (y >= XBIG) return 0;
  let r: number;
  if (y <= 4) {
    let xnum = C[8]! * y;
    let xden = y;
    for (let i = 0; i < 7; i++) {
      xnum = (xnum + C[i]!) * y;
      xden = (xden + D[i]!) * y;
    }
    r = (xnum + C[7]!) / (xden + D[7]!);
  } else {
    const z = 1 / (y * y);
    let xnum = P[5]! * z;
    let xden = z;
    for (let i = 0; i < 4; i++) {
      xnum = (xnum + P[i]!) * z;
      xden = (xden + Q[i]!) * z;
    }
    r = (z * (xnum + P[4]!)) / (xden + Q[4]!);
    r = (SQRPI - r) / y;
  }
  // exp(−x²/2) = exp(−xsq²/2)·exp(−(x−xsq)(x+xsq)/2), xsq = x truncated to 1/16 so xsq² is exact (Cody's split).
  const xsq = Math.trunc(ax * 16) / 16;
  const del = (ax - xsq) * (ax + xsq);
  return Math.exp(-0.5 * xsq * xsq) * Math.exp(-0.5 * del) * r;
}

/** erf(x) for |x| < THRESH (Cody's inner range). */
function erfSmall(x: number): number {
  const z = x * x;
  let xnum = A[4]! * z;
  let xden = z;
  for (let i = 0; i < 3; i++) {
    xnum = (xnum + A[i]!) * z;
    xden = (xden + B[i]!) * z;
  }
  return (x * (xnum + A[3]!)) / (xden + B[3]!);
}

/** Standard normal CDF Φ(x), ~1e-16 relative accuracy (tails included). */
export function normCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const y = x / Math.SQRT2;
  const ay = Math.abs(y);
  if (ay < THRESH) return 0.5 + 0.5 * erfSmall(y);
  // Φ(x) = erfc(−x/√2)/2: evaluate the tail side directly so small probabilities keep relative precision.
  const tail = 0.5 * erfcPositive(ay, Math.abs(x));
  return y > 0 ? 1 - tail : tail;
}

function degenerate(i: BsInput): boolean {
  return !(i.t > 0) || !(i.vol > 0) || !(i.vol * Math.sqrt(i.t) > 1e-12);
}

/** Scratch for bsPrice: solver loops price thousands of times per second on the live hot path. */
const scratch: Greeks = { price: 0, delta: 0, gamma: 0, theta: 0, vega: 0, rho: 0 };

/** Option value. */
export function bsPrice(i: BsInput): number {
  return bsGreeksInto(i, scratch).price;
}

/** Vega alone (per 1.00 vol): S e^{−qt} φ(d1) √t; 0 when degenerate. For weighting quotes without full greeks. */
export function bsVega(i: BsInput): number {
  if (degenerate(i)) return 0;
  const q = i.q ?? 0;
  const sqrtT = Math.sqrt(i.t);
  const vs = i.vol * sqrtT;
  const d1 = (Math.log(i.spot / i.strike) + (i.rate - q + 0.5 * i.vol * i.vol) * i.t) / vs;
  return i.spot * Math.exp(-q * i.t) * normPdf(d1) * sqrtT;
}

/** Value and first-order greeks (plus gamma). */
export function bsGreeks(i: BsInput): Greeks {
  return bsGreeksInto(i, { price: 0, delta: 0, gamma: 0, theta: 0, vega: 0, rho: 0 });
}

/** bsGreeks written into `out` and returned: no object per evaluation, for solver loops. */
export function bsGreeksInto(i: BsInput, out: Greeks): Greeks {
  const { spot: S, strike: K, rate: r } = i;
  const q = i.q ?? 0;
  const t = i.t > 0 ? i.t : 0;
  const dfR = Math.exp(-r * t);
  const dfQ = Math.exp(-q * t);
  const isCall = i.right === 'C';

  if (degenerate(i)) {
    // No diffusion: payoff of the forward, discounted. Rho/theta follow from differentiating that expression.
    const fwd = S * dfQ;
    const kd = K * dfR;
    const diff = isCall ? fwd - kd : kd - fwd;
    const itm = diff > 0;
    const atm = diff === 0;
    const w = itm ? 1 : atm ? 0.5 : 0;
    const sign = isCall ? 1 : -1;
    out.price = itm ? diff : 0;
    out.delta = sign * w * dfQ;
    out.gamma = 0;
    // Theta = −∂/∂t of ±(S e^{−qt} − K e^{−rt}) = ±(q S e^{−qt} − r K e^{−rt}); rho = ∂/∂r = ±t K e^{−rt}.
    out.theta = w * sign * (q * fwd - r * kd);
    out.vega = 0;
    out.rho = w * sign * t * kd;
    return out;
  }

  const sqrtT = Math.sqrt(t);
  const vs = i.vol * sqrtT;
  const d1 = (Math.log(S / K) + (r - q + 0.5 * i.vol * i.vol) * t) / vs;
  const d2 = d1 - vs;
  const pdf1 = normPdf(d1);
  const gamma = (dfQ * pdf1) / (S * vs);
  const vega = S * dfQ * pdf1 * sqrtT;
  const decay = -(S * dfQ * pdf1 * i.vol) / (2 * sqrtT);

  if (isCall) {
    const nd1 = normCdf(d1);
    const nd2 = normCdf(d2);
    out.price = Math.max(0, S * dfQ * nd1 - K * dfR * nd2);
    out.delta = dfQ * nd1;
    out.gamma = gamma;
    out.theta = decay - r * K * dfR * nd2 + q * S * dfQ * nd1;
    out.vega = vega;
    out.rho = K * t * dfR * nd2;
    return out;
  }
  const nmd1 = normCdf(-d1);
  const nmd2 = normCdf(-d2);
  out.price = Math.max(0, K * dfR * nmd2 - S * dfQ * nmd1);
  out.delta = -dfQ * nmd1;
  out.gamma = gamma;
  out.theta = decay + r * K * dfR * nmd2 - q * S * dfQ * nmd1;
  out.vega = vega;
  out.rho = -K * t * dfR * nmd2;
  return out;
}
