/**
 * Features: one snapshot of an underlying's state, emitted by the `features` operator at its event-time cadence.
 *
 * Every derived field is `number | null`; null means "not known yet" — warming up (VWAP before the first session
 * volume, ATR before N+1 one-minute bars, ADX before 2N, rolling windows before one full window of event time,
 * option fields before the surface has enough fresh strikes) or undefined right now (one-sided NBBO, no 0DTE
 * expiry). Consumers must treat null as "no signal", never as 0.
 *
 * Units: prices in the underlying's own units (index points for SPX/NDX, dollars for SPY/QQQ), EXCEPT the
 * microstructure block, which comes from `microSymbol` (the proxy ETF for SPX/NDX) and is in that symbol's units
 * (`spread`, `microPrice`); `spreadBps`, `quoteImbalance`, the flow and intensity fields are scale-free.
 * Vols are annual decimals (0.15 = 15%).
 */
import type { Underlying } from '../../domain/instruments.js';

export interface Features {
  readonly type: 'Features';
  /** Event time of the snapshot: the cadence boundary (e.g. the 1s bar's window end). */
  readonly ts: number;
  readonly underlying: Underlying;
  /** Last index value (SPX/NDX) or last eligible trade price (SPY/QQQ) before `ts`. */
  readonly price: number;

  /** Session VWAP since the 09:30 ET open (regular hours; index VWAP weighted by the proxy ETF's volume). */
  readonly vwap: number | null;
  /** Volume-weighted σ of traded prices about VWAP; bands are vwap ± k·σ. */
  readonly vwapSigma: number | null;
  readonly vwapUpper1: number | null;
  readonly vwapLower1: number | null;
  readonly vwapUpper2: number | null;
  readonly vwapLower2: number | null;
  readonly vwapUpper3: number | null;
  readonly vwapLower3: number | null;
  /** VWAP from the configured anchor (default: the session high). */
  readonly anchoredVwap: number | null;

  /** Wilder ATR on 1m bars (TA-Lib seeding), price units. */
  readonly atr: number | null;
  /** Wilder ADX / +DI / −DI on 1m bars (TA-Lib seeding), 0–100. */
  readonly adx: number | null;
  readonly plusDi: number | null;
  readonly minusDi: number | null;

  /** Symbol the microstructure fields come from (SPY for SPX, QQQ for NDX, else the underlying itself). */
  readonly microSymbol: string;
  /** NBBO ask − bid, in microSymbol's units; null when one-sided or crossed. */
  readonly spread: number | null;
  /** Spread in basis points of the mid. */
  readonly spreadBps: number | null;
  /** (bidSize − askSize) / (bidSize + askSize), −1…1. */
  readonly quoteImbalance: number | null;
  /** Size-weighted mid, microSymbol's units. */
  readonly microPrice: number | null;
  /** Signed-volume order-flow imbalance over the short / medium / long windows, −1…1. */
  readonly ofiShort: number | null;
  readonly ofiMedium: number | null;
  readonly ofiLong: number | null;
  /** Prints per second over the short / medium / long windows. */
  readonly intensityShort: number | null;
  readonly intensityMedium: number | null;
  readonly intensityLong: number | null;
  /** Annualised realised vol (trading-time, see RealizedVol) over the short / long windows. */
  readonly realizedVolShort: number | null;
  readonly realizedVolLong: number | null;

  /** ATM implied vol of today's (0DTE) expiry and of the next expiry with a fresh smile (ACT/365 calendar time). */
  readonly atmIv0dte: number | null;
  readonly atmIvNext: number | null;
  /** σ(25Δ put) − σ(25Δ call) of the front expiry (0DTE when listed, else the next). */
  readonly skew25d: number | null;
  /** atmIv0dte − atmIvNext. */
  readonly termSlope: number | null;
  /** One-σ move to today's close in price units: price · IV · √(years to close), IV = 0DTE ATM (else next). */
  readonly expectedMoveToClose: number | null;
}
