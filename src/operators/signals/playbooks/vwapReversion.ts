/**
 * Playbook 1 — VWAP-band mean reversion (declared regimes: range).
 *
 * Setup: price closes beyond the ±bandSigma·σ session-VWAP band (the excursion), reaching at least
 * `minExcursionAtr` ATRs beyond it, then closes `reentryAtr` ATRs back inside it (price hovering on the band
 * neither starts nor ends an excursion twice). At the re-entry: puts after an upside excursion, calls after a downside one. Stop beyond the excursion's extreme
 * by `stopAtr` ATRs; target the VWAP. Skipped when reward/risk < `minRewardRisk`. One signal per excursion.
 * Strength: 0.5, + 0.25 per σ the extreme reached beyond the band, + 0.25·(order flow in the trade's direction).
 * Warm-up: silent until VWAP, σ and ATR exist.
 */
import { clamp01 } from '../../../quant/signals/clamp01.js';
import type { SignalsConfig } from '../signalsConfig.js';
import { buildIntent } from './buildIntent.js';
import type { Playbook } from './playbook.js';

export function vwapReversion(config: SignalsConfig): Playbook {
  const c = config.playbooks.vwapReversion;
  let side: 0 | 1 | -1 = 0;
  let extreme = 0;
  return {
    name: 'vwapReversion',
    regimes: c.regimes,
    window: c.window,
    reset() {
      side = 0;
    },
    update(f, ctx) {
      const { vwap, vwapSigma: sigma, atr } = f;
      if (vwap === null || sigma === null || atr === null || !(sigma > 0)) return null;
      const upper = vwap + c.bandSigma * sigma;
      const lower = vwap - c.bandSigma * sigma;
      const p = f.price;
      if (p > upper) {
        extreme = side === 1 ? Math.max(extreme, p) : p;
        side = 1;
        return null;
      }
      if (p < lower) {
        extreme = side === -1 ? Math.min(extreme, p) : p;
        side = -1;
        return null;
      }
      if (side === 0) return null;
      const from = side;
      const edge = from === 1 ? upper : lower;
      if ((edge - p) * from < c.reentryAtr * atr) return null;
      side = 0;
      if ((extreme - edge) * from < c.minExcursionAtr * atr) return null;
      const stop = from === 1 ? extreme + c.stopAtr * atr : extreme - c.stopAtr * atr;
      const risk = Math.abs(stop - p);
      const reward = from === 1 ? p - vwap : vwap - p;
      if (!(reward > 0) || !(risk > 0) || reward / risk < c.minRewardRisk) return null;
      const beyond = Math.abs(extreme - vwap) / sigma - c.bandSigma;
      const flow = (f.ofiMedium ?? 0) * -from;
      return buildIntent({
        playbook: 'vwapReversion',
        common: c,
        timeStopBeforeCloseMin: config.timeStopBeforeCloseMin,
        f,
        session: ctx.session,
        direction: from === 1 ? 'puts' : 'calls',
        rawStrength: clamp01(0.5 + 0.25 * beyond + 0.25 * flow),
        reason: `back inside the ${from === 1 ? '+' : '−'}${c.bandSigma}σ VWAP band after an excursion to ${extreme.toFixed(2)}`,
        stop,
        target: vwap,
      });
    },
  };
}
