/**
 * The end-of-replay summary table for the terminal: the summary.csv rows (total scope only for a one-day run;
 * every day's `all` row plus the totals for a range) as aligned text columns.
 */
import { fixed } from './csv.js';
import { GROUP_ALL } from './dayRecord.js';
import type { SummaryRow } from './summaryRows.js';

export function summaryTable(rows: readonly SummaryRow[]): string {
  const days = new Set(rows.filter((r) => r.scope !== 'total').map((r) => r.scope));
  const shown = rows.filter((r) => r.scope === 'total' || (days.size > 1 && r.group === GROUP_ALL));
  const header = ['scope', 'group', 'trades', 'win%', 'gross $', 'fees $', 'net $', 'avg R', 'PF', 'maxDD $', 'Sharpe', 'Sortino', 'expo min'];
  const body = shown.map((r) => [
    r.scope,
    r.group === GROUP_ALL ? 'all' : `${r.group === 'playbook' ? 'pb' : 'und'} ${r.key}`,
    String(r.trades),
    r.winRate === null ? '–' : (r.winRate * 100).toFixed(1),
    fixed(r.grossPnl, 2),
    fixed(r.fees, 2),
    fixed(r.netPnl, 2),
    fixed(r.avgR, 2) || '–',
    fixed(r.profitFactor, 2) || '–',
    fixed(r.maxDrawdown, 2),
    fixed(r.sharpe, 2) || '–',
    fixed(r.sortino, 2) || '–',
    fixed(r.exposureMinutes, 1),
  ]);
  const all = [header, ...body];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  return all
    .map((r) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd())
    .join('\n');
}
