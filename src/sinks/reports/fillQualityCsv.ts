/**
 * fill_quality.csv: one row per fill, in event order (days in date order). Columns and sign conventions are
 * those of `fillQuality` (costs > 0 hurt); NBBO at decision is the intent's for entries, the NBBO when the OMS
 * began the close for exits (blank for resting target/stop legs, whose price was decided at entry).
 */
import type { DayRecord } from './dayRecord.js';
import { fixed, toCsv, type Cell } from './csv.js';
import { etClock } from './etClock.js';
import { fillQuality } from './fillQuality.js';

export function fillQualityCsv(days: readonly DayRecord[]): string {
  const header = [
    'date', 'time_et', 'order_id', 'bracket_id', 'leg', 'status', 'option_symbol', 'side', 'quantity', 'fill_price',
    'fees', 'intended_price', 'bid_at_decision', 'ask_at_decision', 'bid_at_fill', 'ask_at_fill', 'time_to_fill_ms',
    'fill_ratio', 'slippage_vs_mid', 'slippage_usd', 'slippage_spread_frac', 'vs_intended', 'mid_after_1s',
    'mid_after_5s', 'mid_after_30s', 'adverse_1s', 'adverse_5s', 'adverse_30s',
  ];
  const rows: Cell[][] = [];
  for (const d of days) {
    for (const f of d.fills) {
      const q = fillQuality(f);
      rows.push([
        f.date, etClock(f.ts), f.orderId, f.bracketId, f.leg, f.status, f.optionSymbol, f.side, f.quantity,
        fixed(f.fillPrice, 4), fixed(f.fees, 2), fixed(f.intendedPrice, 4), fixed(f.bidAtDecision, 4),
        fixed(f.askAtDecision, 4), fixed(f.bidAtFill, 4), fixed(f.askAtFill, 4), fixed(f.timeToFillMs, 3),
        fixed(f.fillRatio, 4), fixed(q.slippageVsMid, 4), fixed(q.slippageUsd, 2), fixed(q.slippageSpreadFrac, 4),
        fixed(q.vsIntended, 4), fixed(f.midAfter1s, 4), fixed(f.midAfter5s, 4), fixed(f.midAfter30s, 4),
        fixed(q.adverse1s, 4), fixed(q.adverse5s, 4), fixed(q.adverse30s, 4),
      ]);
    }
  }
  return toCsv(header, rows);
}
