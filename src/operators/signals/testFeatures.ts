/**
 * testFeatures: terse Features builders for the signals tests (test support only). Defaults describe a calm,
 * liquid, warmed-up SPY at 570 with VWAP 570, σ 0.5, ATR 0.4, ADX 15 — override what a test is about.
 */
import type { Underlying } from '../../domain/instruments.js';
import { nyTimeToMs } from '../../domain/time.js';
import type { Features } from '../features/featuresRecord.js';

export const TEST_DATE = '2025-03-10';

/** Event time of a New York wall-clock time on TEST_DATE (or another date). */
export function ny(h: number, m = 0, s = 0, date = TEST_DATE): number {
  return nyTimeToMs(date, h, m, s);
}

/** A Features record; `vwap`/`vwapSigma` overrides also move the bands unless the bands are given. */
export function feat(ts: number, price: number, o: Partial<Features> = {}, underlying: Underlying = 'SPY'): Features {
  const vwap = o.vwap === undefined ? 570 : o.vwap;
  const sigma = o.vwapSigma === undefined ? 0.5 : o.vwapSigma;
  const band = (k: number) => (vwap === null || sigma === null ? null : vwap + k * sigma);
  return {
    type: 'Features',
    ts,
    underlying,
    price,
    vwap,
    vwapSigma: sigma,
    vwapUpper1: band(1),
    vwapLower1: band(-1),
    vwapUpper2: band(2),
    vwapLower2: band(-2),
    vwapUpper3: band(3),
    vwapLower3: band(-3),
    anchoredVwap: vwap,
    atr: 0.4,
    adx: 15,
    plusDi: 20,
    minusDi: 20,
    microSymbol: underlying === 'SPX' ? 'SPY' : underlying === 'NDX' ? 'QQQ' : underlying,
    spread: 0.01,
    spreadBps: 0.18,
    quoteImbalance: 0,
    microPrice: price,
    ofiShort: 0,
    ofiMedium: 0,
    ofiLong: 0,
    intensityShort: 1,
    intensityMedium: 1,
    intensityLong: 1,
    realizedVolShort: 0.12,
    realizedVolLong: 0.12,
    atmIv0dte: 0.18,
    atmIvNext: 0.17,
    skew25d: 0.02,
    termSlope: 0.01,
    expectedMoveToClose: 3,
    ...o,
  };
}
