/**
 * summary.csv rows: for each day and for the whole run (`total`), the metrics overall, per playbook and per
 * underlying (groups that traded; `all` always). The total chains the days' 1-minute equity curves (each day
 * starts where the previous ended) so drawdown, Sharpe and Sortino cover the whole range; a group that did not
 * trade on a day is flat that day.
 */
import { chainedEquity, dayEquity, GROUP_ALL, type DayRecord, type TradeRow } from './dayRecord.js';
import { fixed, toCsv } from './csv.js';
import { groupMetrics, type GroupMetrics } from './metrics/groupMetrics.js';
import { sortGroups } from './runRecorder.js';

export interface SummaryRow extends GroupMetrics {
  /** A date or `total`. */
  readonly scope: string;
  /** `all`, `playbook` or `underlying`. */
  readonly group: string;
  /** `all` or the playbook / underlying name. */
  readonly key: string;
}

function inGroup(g: string): (t: TradeRow) => boolean {
  if (g === GROUP_ALL) return () => true;
  const [kind, name] = splitGroup(g);
  return kind === 'playbook' ? (t) => t.playbook === name : (t) => t.underlying === name;
}

function splitGroup(g: string): [string, string] {
  if (g === GROUP_ALL) return [GROUP_ALL, GROUP_ALL];
  const i = g.indexOf(':');
  return [g.slice(0, i), g.slice(i + 1)];
}

function row(scope: string, g: string, m: GroupMetrics): SummaryRow {
  const [group, key] = splitGroup(g);
  return { scope, group, key, ...m };
}

export function summaryRows(days: readonly DayRecord[]): SummaryRow[] {
  const out: SummaryRow[] = [];
  const allGroups = new Set<string>([GROUP_ALL]);
  for (const d of days) {
    const groups = sortGroups([...new Set([GROUP_ALL, ...Object.keys(d.equity)])]);
    for (const g of groups) {
      allGroups.add(g);
      out.push(row(d.date, g, groupMetrics(d.trades.filter(inGroup(g)), dayEquity(d, g), d.exposureMs[g] ?? 0)));
    }
  }
  const trades = days.flatMap((d) => d.trades);
  for (const g of sortGroups([...allGroups])) {
    const { curve } = chainedEquity(days, g);
    const exposure = days.reduce((s, d) => s + (d.exposureMs[g] ?? 0), 0);
    out.push(row('total', g, groupMetrics(trades.filter(inGroup(g)), curve, exposure)));
  }
  return out;
}

export const SUMMARY_HEADER = [
  'scope', 'group', 'key', 'trades', 'wins', 'losses', 'win_rate', 'gross_pnl', 'fees', 'net_pnl', 'avg_r',
  'profit_factor', 'max_drawdown', 'sharpe', 'sortino', 'exposure_minutes',
] as const;

export function summaryCsv(rows: readonly SummaryRow[]): string {
  return toCsv(
    SUMMARY_HEADER,
    rows.map((r) => [
      r.scope, r.group, r.key, r.trades, r.wins, r.losses, fixed(r.winRate, 4), fixed(r.grossPnl, 2), fixed(r.fees, 2),
      fixed(r.netPnl, 2), fixed(r.avgR, 4), fixed(r.profitFactor, 4), fixed(r.maxDrawdown, 2), fixed(r.sharpe, 4),
      fixed(r.sortino, 4), fixed(r.exposureMinutes, 2),
    ]),
  );
}
