/**
 * Human-readable end-of-replay summary: counts per event type, the data-quality report, timing and throughput.
 */
import type { ReplayDayResult } from '../pipeline/replayDay.js';
import { totalDropped } from '../streams/replay/DataQualityReport.js';
import { toNy } from '../domain/time.js';

const num = (n: number) => n.toLocaleString('en-US');

export function eventsPerSecond(r: ReplayDayResult): number {
  return r.streamSeconds > 0 ? r.events / r.streamSeconds : 0;
}

export function formatReplaySummary(r: ReplayDayResult): string {
  const out: string[] = [];
  const span = r.firstTs !== null && r.lastTs !== null ? `${nyClock(r.firstTs)}–${nyClock(r.lastTs)} ET` : 'no events';
  out.push(`replay ${r.date}  ${r.meta.underlyings.join(', ')}  (${span})`);
  out.push(`catalog ${r.catalogDir} (${r.catalogBuilt ? 'built' : 'reused'})`);
  out.push('events by type:');
  for (const [t, n] of Object.entries(r.counts)) if (n > 0) out.push(`  ${t.padEnd(14)}${num(n).padStart(14)}`);
  out.push(`  ${'total'.padEnd(14)}${num(r.events).padStart(14)}`);
  const dq = r.meta.dataQuality;
  const read = Object.values(dq.rowsRead).reduce((s, x) => s + x, 0);
  out.push(
    `data quality: ${num(read)} rows read for the requested symbols, ${num(totalDropped(dq))} dropped as bad, ${num(r.meta.rows)} in the catalog`,
  );
  for (const d of dq.dropped) out.push(`  dropped ${d.dataset} ${d.reason}: ${num(d.rows)}  e.g. ${d.examples[0] ?? ''}`);
  if (dq.malformed.total) {
    const m = dq.malformed.examples[0];
    out.push(`  malformed rows: ${num(dq.malformed.total)}${m ? `  first: ${m.file} line ${m.line} (${m.column}): ${m.error}` : ''}`);
  }
  for (const [ds, n] of Object.entries(dq.reordered)) out.push(`  re-sorted ${ds} rows out of time order: ${num(n)}`);
  for (const f of dq.missingOptional) out.push(`  optional file missing (skipped): ${f}`);
  for (const [u, o] of Object.entries(dq.options)) {
    out.push(`  options ${u}: ${num(o.contracts)} contracts, expiries ${o.expiries.join(', ') || 'none'}${o.strikeRange ? `, strikes ${o.strikeRange[0].toFixed(2)}–${o.strikeRange[1].toFixed(2)}` : ''}`);
  }
  for (const w of dq.warnings) out.push(`  warning: ${w}`);
  const t = r.trading;
  if (t) {
    const kv = (m: Readonly<Record<string, number>>) =>
      Object.entries(m)
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .map(([k, v]) => `${k} ${num(v)}`)
        .join(', ') || 'none';
    out.push(`pipeline: ${num(t.features)} feature records`);
    out.push(`  signals by playbook: ${kv(t.signalsByPlaybook)}`);
    out.push(`  gate decisions by reason: ${kv(t.gateByReason)}`);
    out.push(`  risk: ${num(t.ordersApproved)} orders approved; denied by reason: ${kv(t.deniedByReason)}`);
    for (const c of t.stateChanges) out.push(`  trading state ${c}`);
    if (t.calendarProblem) out.push(`  warning: economic calendar not loaded (${t.calendarProblem}); entries blocked`);
    out.push(
      `  orders: ${num(t.fills)} fills, ${num(t.trades)} round trips, ${num(t.wins)} winners, net P&L $${t.netPnl.toFixed(2)} (fees included)` +
        (t.omsErrors ? `, ${num(t.omsErrors)} OMS errors` : ''),
    );
    const byPb = Object.entries(t.pnlByPlaybook);
    if (byPb.length) out.push(`  P&L by playbook: ${byPb.map(([k, v]) => `${k} $${v.toFixed(2)}`).join(', ')}`);
    out.push(`  decisions hash ${t.decisionsHash.slice(0, 16)}`);
  }
  const eps = eventsPerSecond(r);
  out.push(
    `elapsed ${(r.catalogSeconds + r.streamSeconds).toFixed(2)} s (catalog ${r.catalogSeconds.toFixed(2)} s, stream ${r.streamSeconds.toFixed(2)} s)  ${num(Math.round(eps))} events/s`,
  );
  return out.join('\n');
}

function nyClock(ms: number): string {
  const w = toNy(ms);
  return `${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}:${String(w.second).padStart(2, '0')}`;
}
