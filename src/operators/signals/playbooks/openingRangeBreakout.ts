/**
 * Playbook 3 — opening-range breakout (declared regimes: warming, range, trend, high-vol; ADX is usually still
 * warming this early).
 *
 * The opening range is the price's high/low over the first `rangeMin` minutes (OpeningRange; invalid for the
 * day when the feed started more than `startGraceSec` after the open). Afterwards: calls when price is above the
 * high by `bufferPct` of the range width AND medium-window order-flow imbalance ≥ `minOfi`; puts mirrored. At most
 * `maxPerDirection` signals per direction per session. Stop back inside the range (`stopRangeFrac` of the width
 * from the broken edge; 0.5 = midpoint); target `targetRangeMult` widths beyond the edge.
 * Strength: 0.5 + 0.5·(how far the flow exceeds the confirmation threshold).
 */
import { clamp01 } from '../../../quant/signals/clamp01.js';
import { OpeningRange } from '../../../quant/signals/openingRange.js';
import type { SignalsConfig } from '../signalsConfig.js';
import { buildIntent } from './buildIntent.js';
import type { Playbook } from './playbook.js';

export function openingRangeBreakout(config: SignalsConfig): Playbook {
  const c = config.playbooks.openingRangeBreakout;
  const range = new OpeningRange(c.rangeMin, c.startGraceSec);
  let date: string | null = null;
  let ups = 0;
  let downs = 0;
  return {
    name: 'openingRangeBreakout',
    regimes: c.regimes,
    window: c.window,
    reset() {
      range.reset();
      date = null;
      ups = 0;
      downs = 0;
    },
    update(f, ctx) {
      const s = ctx.session;
      if (s === null) return null;
      if (s.date !== date) {
        date = s.date;
        ups = 0;
        downs = 0;
      }
      range.update(f.ts, f.price, s);
      const r = range.value;
      if (r === null) return null;
      const width = r.high - r.low;
      if (!(width > 0)) return null;
      const p = f.price;
      const ofi = f.ofiMedium;
      if (ofi === null) return null;
      const buffer = c.bufferPct * width;
      let dir: 1 | -1 | 0 = 0;
      if (p > r.high + buffer && ofi >= c.minOfi && ups < c.maxPerDirection) dir = 1;
      else if (p < r.low - buffer && -ofi >= c.minOfi && downs < c.maxPerDirection) dir = -1;
      if (dir === 0) return null;
      if (dir === 1) ups++;
      else downs++;
      const edge = dir === 1 ? r.high : r.low;
      const excess = c.minOfi < 1 ? (ofi * dir - c.minOfi) / (1 - c.minOfi) : 1;
      return buildIntent({
        playbook: 'openingRangeBreakout',
        common: c,
        timeStopBeforeCloseMin: config.timeStopBeforeCloseMin,
        f,
        session: s,
        direction: dir === 1 ? 'calls' : 'puts',
        rawStrength: clamp01(0.5 + 0.5 * excess),
        reason: `broke the ${c.rangeMin}m opening range ${dir === 1 ? 'high' : 'low'} ${edge.toFixed(2)} with order-flow imbalance ${ofi.toFixed(2)}`,
        stop: edge - dir * c.stopRangeFrac * width,
        target: edge + dir * c.targetRangeMult * width,
      });
    },
  };
}
