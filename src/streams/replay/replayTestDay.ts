/**
 * Test support: a small, hand-built replay day (2025-03-10, the Monday after the DST change; the session opens at
 * 13:30 UTC) with every file kind, decoy tickers the filter must drop, and hooks to break one dataset's rows.
 */
import type { DatasetId } from './flatFiles.js';
import { writeFlatFile, type Row } from './flatFileFixture.js';

export const DAY = '2025-03-10';
/** 09:30 ET on DAY in ns. */
export const OPEN_NS = 1_741_613_400_000_000_000n;
export const sec = (s: number) => OPEN_NS + BigInt(Math.round(s * 1e9));

export type DayRows = Record<DatasetId, Row[]>;

export function goodDayRows(): DayRows {
  const stockQuotes: Row[] = [];
  const stockTrades: Row[] = [];
  const indexValues: Row[] = [];
  const optionQuotes: Row[] = [];
  const optionTrades: Row[] = [];
  const stockMinuteAggs: Row[] = [];
  for (const [ticker, base] of [['AAPL', 230], ['QQQ', 480], ['SPY', 570]] as const) {
    for (let i = 0; i < 20; i++) {
      const mid = base + i * 0.01;
      stockQuotes.push({
        ticker, ask_exchange: 11, ask_price: (mid + 0.01).toFixed(2), ask_size: 300, bid_exchange: 12, bid_price: mid.toFixed(2), bid_size: 200,
        conditions: null, indicators: null, participant_timestamp: sec(i * 3) - 1000n, sequence_number: 100 + i, sip_timestamp: sec(i * 3) + 123_456n, tape: 1, trf_timestamp: null,
      });
      stockTrades.push({
        ticker, conditions: i % 5 === 0 ? '12,37' : i % 7 === 0 ? '14' : null, correction: 0, exchange: 4, id: `t${i}`, participant_timestamp: sec(i * 3 + 1),
        price: (mid + 0.005).toFixed(3), sequence_number: 1000 + i, sip_timestamp: sec(i * 3 + 1) + 789n, size: 100, tape: 1, trf_id: null, trf_timestamp: null,
      });
    }
    stockMinuteAggs.push({ ticker, volume: 2000, open: base, close: base + 0.1, high: base + 0.2, low: base - 0.1, window_start: OPEN_NS, transactions: 20 });
  }
  for (const [ticker, base] of [['I:NDX', 19_900], ['I:SPX', 5_700], ['I:VIX', 24]] as const) {
    for (let i = 0; i < 60; i++) indexValues.push({ ticker, value: (base + i * 0.1).toFixed(2), timestamp: sec(i) });
  }
  // SPXW 0DTE and next-day strikes around 5700, one far strike (dropped by the strike window), an SPX monthly
  // (root SPX, not SPXW: kept as a root of SPX but expires later than two expiries), a 2-month SPXW (dropped).
  const opts = [
    'O:SPXW250310C05700000', 'O:SPXW250310P05700000', 'O:SPXW250311C05700000', 'O:SPXW250310C09000000',
    'O:SPXW250312C05700000', 'O:SPX250321C05700000', 'O:SPXW250516C05700000', 'O:SPY250310C00570000', 'O:AAPL250321C00230000',
  ];
  opts.forEach((ticker, k) => {
    for (let i = 0; i < 5; i++) {
      optionQuotes.push({ ticker, ask_exchange: 302, ask_price: (5.1 + i * 0.1).toFixed(2), ask_size: 10, bid_exchange: 302, bid_price: (5 + i * 0.1).toFixed(2), bid_size: 12, sequence_number: 50 + i, sip_timestamp: sec(10 + i * 5 + k * 0.01) });
    }
    optionTrades.push({ ticker, conditions: k === 1 ? '233' : '209', correction: 0, exchange: 302, price: 5.05, sip_timestamp: sec(12 + k * 0.01), size: 2 });
  });
  return { stockQuotes, stockTrades, indexValues, optionQuotes, optionTrades, stockMinuteAggs };
}

/** Write the day's files; `mutate` may edit rows per dataset before writing (to plant bad input). */
export function writeDay(root: string, mutate?: (rows: DayRows) => void, date = DAY): void {
  const rows = goodDayRows();
  mutate?.(rows);
  for (const id of Object.keys(rows) as DatasetId[]) writeFlatFile(root, id, date, rows[id]);
}
