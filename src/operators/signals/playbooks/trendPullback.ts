/**
 * Playbook 2 — trend continuation on a pullback (declared regimes: trend).
 *
 * Setup, with ADX ≥ `adxMin` and the DIs aligned (+DI > −DI for calls, the reverse for puts):
 *   1. pullback: price within `touchAtr` ATRs of the VWAP or of the 1σ band on the trend's side;
 *   2. resumption: price `resumeAtr` ATRs off the pullback's extreme in the trend's direction, without
 *      medium-window order flow against it by more than `maxAdverseOfi`.
 * The pullback is abandoned when price breaks through the VWAP by more than the touch tolerance, or when ADX drops
 * or the DIs flip. Stop `stopAtr` beyond the lower of the pullback extreme and the VWAP; target `targetAtr` ATRs
 * beyond the entry. Strength: 0.4 + (ADX − adxMin)/50 + 0.2·(flow with the trade).
 * Warm-up: silent until ADX/DI, ATR and the VWAP bands exist.
 */
import { clamp01 } from '../../../quant/signals/clamp01.js';
import type { SignalsConfig } from '../signalsConfig.js';
import { buildIntent } from './buildIntent.js';
import type { Playbook } from './playbook.js';

export function trendPullback(config: SignalsConfig): Playbook {
  const c = config.playbooks.trendPullback;
  let phaseDir: 0 | 1 | -1 = 0;
  let extreme = 0;
  return {
    name: 'trendPullback',
    regimes: c.regimes,
    window: c.window,
    reset() {
      phaseDir = 0;
    },
    update(f, ctx) {
      const { adx, plusDi, minusDi, atr, vwap, vwapUpper1, vwapLower1 } = f;
      if (adx === null || plusDi === null || minusDi === null || atr === null || vwap === null || vwapUpper1 === null || vwapLower1 === null) {
        phaseDir = 0;
        return null;
      }
      const dir: 1 | -1 = plusDi > minusDi ? 1 : -1;
      if (adx < c.adxMin || plusDi === minusDi || (phaseDir !== 0 && phaseDir !== dir)) {
        phaseDir = 0;
        return null;
      }
      const p = f.price;
      const tol = c.touchAtr * atr;
      const band = dir === 1 ? vwapUpper1 : vwapLower1;
      const near = Math.abs(p - vwap) <= tol || Math.abs(p - band) <= tol;
      if (near) {
        extreme = phaseDir === dir ? (dir === 1 ? Math.min(extreme, p) : Math.max(extreme, p)) : p;
        phaseDir = dir;
        return null;
      }
      if (phaseDir === 0) return null;
      if ((p - vwap) * dir < -tol) {
        phaseDir = 0;
        return null;
      }
      extreme = dir === 1 ? Math.min(extreme, p) : Math.max(extreme, p);
      if ((p - extreme) * dir < c.resumeAtr * atr) return null;
      const flow = (f.ofiMedium ?? 0) * dir;
      if (flow < -c.maxAdverseOfi) return null;
      phaseDir = 0;
      const base = dir === 1 ? Math.min(extreme, vwap) : Math.max(extreme, vwap);
      return buildIntent({
        playbook: 'trendPullback',
        common: c,
        timeStopBeforeCloseMin: config.timeStopBeforeCloseMin,
        f,
        session: ctx.session,
        direction: dir === 1 ? 'calls' : 'puts',
        rawStrength: clamp01(0.4 + (adx - c.adxMin) / 50 + 0.2 * Math.max(0, flow)),
        reason: `${dir === 1 ? 'up' : 'down'}-trend (ADX ${adx.toFixed(1)}) resumed from a pullback to ${extreme.toFixed(2)}`,
        stop: base - dir * c.stopAtr * atr,
        target: p + dir * c.targetAtr * atr,
      });
    },
  };
}
