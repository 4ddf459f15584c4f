/**
 * Playbook 4 — failed-breakout fade on microstructure (declared regimes: warming, range, high-vol).
 *
 * Levels: the ±bandSigma·σ VWAP band and, once complete, the opening-range high/low (first `rangeMin` minutes).
 * A poke is a close beyond a level by at least `pokeAtr` ATRs (the outermost level exceeded is kept, fixed at
 * its value when the poke began). It fails when price closes back at or inside that level within `failSec` while
 * short-window signed order flow has reversed against the poke (ofiShort ≤ −minReversalOfi after an upside poke,
 * ≥ +minReversalOfi after a downside one): then puts after an upside poke, calls after a downside one. A poke that
 * outlives `failSec` is a real breakout; it is dropped without a signal when price returns. Stop `stopAtr` beyond
 * the poke's extreme; target `targetAtr` ATRs from the entry toward the inside.
 * Strength: 0.4 + 0.6·|ofiShort|. Warm-up: silent until VWAP, σ and ATR exist.
 */
import { clamp01 } from '../../../quant/signals/clamp01.js';
import { OpeningRange } from '../../../quant/signals/openingRange.js';
import type { SignalsConfig } from '../signalsConfig.js';
import { buildIntent } from './buildIntent.js';
import type { Playbook } from './playbook.js';

interface Poke {
  readonly dir: 1 | -1;
  readonly level: number;
  readonly label: string;
  readonly start: number;
  extreme: number;
}

export function failedBreakoutFade(config: SignalsConfig): Playbook {
  const c = config.playbooks.failedBreakoutFade;
  const range = new OpeningRange(c.rangeMin, config.playbooks.openingRangeBreakout.startGraceSec);
  let poke: Poke | null = null;
  return {
    name: 'failedBreakoutFade',
    regimes: c.regimes,
    window: c.window,
    reset() {
      range.reset();
      poke = null;
    },
    update(f, ctx) {
      range.update(f.ts, f.price, ctx.session);
      const { vwap, vwapSigma: sigma, atr } = f;
      if (vwap === null || sigma === null || atr === null) return null;
      const p = f.price;
      if (poke === null) {
        const min = c.pokeAtr * atr;
        const r = range.value;
        const up: [number, string][] = [[vwap + c.bandSigma * sigma, `+${c.bandSigma}σ band`]];
        const down: [number, string][] = [[vwap - c.bandSigma * sigma, `−${c.bandSigma}σ band`]];
        if (r !== null) {
          up.push([r.high, 'opening-range high']);
          down.push([r.low, 'opening-range low']);
        }
        let best: Poke | null = null;
        for (const [level, label] of up) {
          if (p - level >= min && (best === null || level > best.level)) best = { dir: 1, level, label, start: f.ts, extreme: p };
        }
        if (best === null) {
          for (const [level, label] of down) {
            if (level - p >= min && (best === null || level < best.level)) best = { dir: -1, level, label, start: f.ts, extreme: p };
          }
        }
        poke = best;
        return null;
      }
      const k = poke;
      if ((p - k.level) * k.dir > 0) {
        k.extreme = k.dir === 1 ? Math.max(k.extreme, p) : Math.min(k.extreme, p);
        return null;
      }
      poke = null;
      if (f.ts - k.start > c.failSec * 1000) return null;
      const ofi = f.ofiShort;
      if (ofi === null || -ofi * k.dir < c.minReversalOfi) return null;
      return buildIntent({
        playbook: 'failedBreakoutFade',
        common: c,
        timeStopBeforeCloseMin: config.timeStopBeforeCloseMin,
        f,
        session: ctx.session,
        direction: k.dir === 1 ? 'puts' : 'calls',
        rawStrength: clamp01(0.4 + 0.6 * Math.abs(ofi)),
        reason: `failed break of the ${k.label} ${k.level.toFixed(2)} (extreme ${k.extreme.toFixed(2)}), flow reversed ${ofi.toFixed(2)}`,
        stop: k.extreme + k.dir * c.stopAtr * atr,
        target: p - k.dir * c.targetAtr * atr,
      });
    },
  };
}
