/**
 * report.html: one self-contained page (inline CSS and SVG; no scripts, no network) for a backtest: the summary
 * table, equity curve and drawdown on 1-minute equity, P&L by playbook and by hour of exit (New York), fill
 * quality histograms (slippage as a fraction of the spread, 5 s adverse selection) and the trade list.
 * A pure function of the day records and summary rows, so the same run prints the same bytes (no run id, no
 * wall-clock time: those live in manifest.json).
 */
import { toNy } from '../../domain/time.js';
import { fixed } from './csv.js';
import { chainedEquity, GROUP_ALL, type DayRecord } from './dayRecord.js';
import { etClock } from './etClock.js';
import { fillQuality } from './fillQuality.js';
import type { SummaryRow } from './summaryRows.js';
import { barChart, esc, histogram, lineChart } from './svgCharts.js';

const CSS = `body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#1d232b;background:#fff}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px;border-bottom:1px solid #dde2e8;padding-bottom:4px}
table{border-collapse:collapse;font-size:12px;font-variant-numeric:tabular-nums}th,td{padding:3px 8px;border-bottom:1px solid #eef1f4;text-align:right;white-space:nowrap}
th{background:#f5f7f9;position:sticky;top:0}td.l,th.l{text-align:left}.neg{fill:#c0392b;color:#c0392b}.pos{fill:#2e8b57}
figure{margin:12px 0}figcaption{font-weight:600;margin-bottom:4px}svg{width:100%;max-width:760px;height:auto;font-size:11px;fill:#55606e}
.grid{stroke:#eef1f4}.zero{stroke:#99a3ae}.line{fill:none;stroke:#2a6fdb;stroke-width:1.5}.area{fill:#f3c4bf;stroke:#c0392b}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(380px,1fr));gap:8px}.muted{color:#6b7683}`;

export interface ReportInput {
  readonly title: string;
  readonly days: readonly DayRecord[];
  readonly summary: readonly SummaryRow[];
}

export function reportHtml(r: ReportInput): string {
  const { curve, dayStarts } = chainedEquity(r.days, GROUP_ALL);
  const xLabels: [number, string][] = r.days.map((d, i) => [dayStarts[i]!, d.date]);
  let peak = -Infinity;
  const dd = curve.map((e) => ((peak = Math.max(peak, e)), e - peak));
  const trades = r.days.flatMap((d) => d.trades);
  const byPlaybook = new Map<string, number>();
  const byHour = new Map<number, number>();
  for (const t of trades) {
    byPlaybook.set(t.playbook, (byPlaybook.get(t.playbook) ?? 0) + t.netPnl);
    const h = toNy(t.exitTs).hour;
    byHour.set(h, (byHour.get(h) ?? 0) + t.netPnl);
  }
  const hours: [string, number][] = [];
  for (let h = 9; h <= 16; h++) hours.push([`${h}:00`, byHour.get(h) ?? 0]);
  const fills = r.days.flatMap((d) => d.fills);
  const q = fills.map(fillQuality);
  const slip = q.map((x) => x.slippageSpreadFrac).filter((x): x is number => x !== null);
  const adv = q.map((x) => x.adverse5s).filter((x): x is number => x !== null);
  const advSpan = Math.max(0.05, ...adv.map(Math.abs));

  const total = r.summary.filter((s) => s.scope === 'total');
  const sumTable = table(
    ['scope', 'group', 'trades', 'win rate', 'gross', 'fees', 'net', 'avg R', 'PF', 'max DD', 'Sharpe', 'Sortino', 'exposure min'],
    (r.days.length > 1 ? r.summary : total).map((s) => [
      s.scope,
      s.group === GROUP_ALL ? 'all' : `${s.group}: ${s.key}`,
      String(s.trades),
      s.winRate === null ? '' : `${(s.winRate * 100).toFixed(1)}%`,
      fixed(s.grossPnl, 2),
      fixed(s.fees, 2),
      fixed(s.netPnl, 2),
      fixed(s.avgR, 2),
      fixed(s.profitFactor, 2),
      fixed(s.maxDrawdown, 2),
      fixed(s.sharpe, 2),
      fixed(s.sortino, 2),
      fixed(s.exposureMinutes, 1),
    ]),
    6,
  );
  const tradeTable = trades.length
    ? table(
        ['date', 'entry ET', 'exit ET', 'underlying', 'playbook', 'contract', 'qty', 'entry', 'exit', 'net P&L', 'R', 'entry reason', 'exit reason'],
        trades.map((t) => [
          t.date, etClock(t.entryTs).slice(0, 8), etClock(t.exitTs).slice(0, 8), t.underlying, t.playbook, t.optionSymbol,
          String(t.quantity), fixed(t.entryPrice, 2), fixed(t.exitPrice, 2), fixed(t.netPnl, 2), fixed(t.rMultiple, 2),
          t.entryReason, t.exitReason,
        ]),
        9,
        [11, 12],
      )
    : '<p class="muted">No trades.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(r.title)}</title><style>${CSS}</style></head>
<body>
<h1>${esc(r.title)}</h1>
<p class="muted">${r.days.length} trading day${r.days.length === 1 ? '' : 's'}, ${trades.length} round trip${trades.length === 1 ? '' : 's'}, ${fills.length} fill${fills.length === 1 ? '' : 's'}. Equity is realised P&amp;L plus open positions at the option mid, fees included, sampled every minute of the session.</p>
<h2>Summary</h2>
${sumTable}
<h2>Equity</h2>
${lineChart('Equity ($, 1-minute)', curve, { xLabels })}
${lineChart('Drawdown ($)', dd, { area: true, xLabels })}
<h2>P&amp;L breakdown</h2>
<div class="grid2">
${barChart('Net P&L by playbook ($)', [...byPlaybook.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)))}
${barChart('Net P&L by hour of exit, ET ($)', hours)}
</div>
<h2>Fill quality</h2>
<div class="grid2">
${histogram('Slippage vs mid at decision, fraction of the spread', slip, -1, 1)}
${histogram('Adverse selection 5 s after the fill ($/share, > 0 = against us)', adv, -advSpan, advSpan)}
</div>
<h2>Trades</h2>
${tradeTable}
</body></html>
`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[], pnlCol: number, leftCols: readonly number[] = []): string {
  const left = new Set([0, 1, ...leftCols]);
  const th = header.map((h, i) => `<th${left.has(i) ? ' class="l"' : ''}>${esc(h)}</th>`).join('');
  const trs = rows
    .map(
      (r) =>
        `<tr>${r
          .map((c, i) => {
            const cls = [left.has(i) ? 'l' : '', i === pnlCol && c.startsWith('-') ? 'neg' : ''].filter(Boolean).join(' ');
            return `<td${cls ? ` class="${cls}"` : ''}>${esc(c)}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${trs}\n</tbody></table>`;
}
