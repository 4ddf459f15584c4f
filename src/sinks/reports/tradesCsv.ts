/**
 * trades.csv: one row per round trip in exit order (days in date order): contract, entry/exit times (New York)
 * and prices, gross/net P&L and fees, R multiple, why it was entered (the playbook's reason) and exited (the
 * OMS's closing reason, or the leg that flattened it), the signal's pWin/strength, and the underlying's features
 * at the signal (`f_*`, blank while warming up).
 */
import type { DayRecord } from './dayRecord.js';
import { fixed, toCsv, type Cell } from './csv.js';
import { etClock } from './etClock.js';
import { FEATURE_COLUMNS, snake } from './featureColumns.js';

export function tradesCsv(days: readonly DayRecord[]): string {
  const header = [
    'date', 'trade_id', 'underlying', 'playbook', 'signal_id', 'option_symbol', 'right', 'strike', 'expiry', 'quantity',
    'entry_time_et', 'exit_time_et', 'holding_seconds', 'entry_price', 'exit_price', 'gross_pnl', 'fees', 'net_pnl',
    'risk', 'r_multiple', 'entry_reason', 'exit_reason', 'p_win', 'strength',
    ...FEATURE_COLUMNS.map((c) => `f_${snake(c)}`),
  ];
  const rows: Cell[][] = [];
  for (const d of days) {
    for (const t of d.trades) {
      rows.push([
        t.date, t.id, t.underlying, t.playbook, t.signalId, t.optionSymbol, t.right, fixed(t.strike, 3), t.expiry, t.quantity,
        etClock(t.entryTs), etClock(t.exitTs), fixed((t.exitTs - t.entryTs) / 1000, 3), fixed(t.entryPrice, 4),
        fixed(t.exitPrice, 4), fixed(t.grossPnl, 2), fixed(t.fees, 2), fixed(t.netPnl, 2), fixed(t.risk, 2),
        fixed(t.rMultiple, 4), t.entryReason, t.exitReason, fixed(t.pWin, 4), fixed(t.strength, 4),
        ...FEATURE_COLUMNS.map((c) => fixed(t.features ? t.features[c] : null, 6)),
      ]);
    }
  }
  return toCsv(header, rows);
}
