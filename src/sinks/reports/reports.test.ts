import { describe, expect, it } from 'vitest';
import type { DayRecord, FillRow, TradeRow } from './dayRecord.js';
import { brierScore, reliabilityBins } from './calibration.js';
import { fixed, toCsv } from './csv.js';
import { fillQuality } from './fillQuality.js';
import { summaryCsv, summaryRows } from './summaryRows.js';

const OPEN = Date.parse('2025-03-10T13:30:00Z');
const day = (date: string, trades: TradeRow[], equity: Record<string, number[]>): DayRecord => ({
  date, open: OPEN, close: OPEN + 3 * 60_000, trades, fills: [], equity, exposureMs: {}, signals: 0, decisionsHash: 'h',
});
const trade = (date: string, playbook: string, netPnl: number): TradeRow => ({
  date, id: `${playbook}${netPnl}`, underlying: 'SPY', playbook, signalId: '', optionSymbol: '', right: 'C', strike: 1,
  expiry: date, quantity: 1, entryTs: OPEN, exitTs: OPEN + 60_000, entryPrice: 1, exitPrice: 1, grossPnl: netPnl, fees: 0,
  netPnl, risk: null, rMultiple: null, entryReason: '', exitReason: '', pWin: null, strength: null, features: null,
});

describe('csv', () => {
  it('fixed decimals, no -0, blanks for null/NaN; RFC 4180 quoting', () => {
    expect(fixed(-0.0001, 2)).toBe('0.00');
    expect(fixed(1.005, 2)).toBe((1.005).toFixed(2));
    expect(fixed(null, 2)).toBe('');
    expect(fixed(NaN, 2)).toBe('');
    expect(toCsv(['a', 'b'], [['x,y', 'say "hi"'], [null, 3]])).toBe('a,b\n"x,y","say ""hi"""\n,3\n');
  });
});

describe('summaryRows', () => {
  it('per day and total; the total chains equity across days; a day with no trades has an all row of zeros', () => {
    const d1 = day('2025-03-10', [trade('2025-03-10', 'pb', 10)], { all: [0, 10, 10, 10], 'playbook:pb': [0, 10, 10, 10], 'underlying:SPY': [0, 10, 10, 10] });
    const d2 = day('2025-03-11', [], {});
    const d3 = day('2025-03-12', [trade('2025-03-12', 'pb', -4)], { all: [0, -4, -4, -4], 'playbook:pb': [0, -4, -4, -4], 'underlying:SPY': [0, -4, -4, -4] });
    const rows = summaryRows([d1, d2, d3]);
    expect(rows.map((r) => `${r.scope}/${r.group}/${r.key}`)).toEqual([
      '2025-03-10/all/all', '2025-03-10/playbook/pb', '2025-03-10/underlying/SPY',
      '2025-03-11/all/all',
      '2025-03-12/all/all', '2025-03-12/playbook/pb', '2025-03-12/underlying/SPY',
      'total/all/all', 'total/playbook/pb', 'total/underlying/SPY',
    ]);
    const empty = rows[3]!;
    expect(empty).toMatchObject({ trades: 0, netPnl: 0, winRate: null, maxDrawdown: 0, sharpe: null });
    const total = rows[7]!;
    expect(total).toMatchObject({ trades: 2, wins: 1, losses: 1, netPnl: 6, maxDrawdown: 4, profitFactor: 2.5 });
    expect(summaryCsv(rows).split('\n')[8]).toBe('total,all,all,2,1,1,0.5000,6.00,0.00,6.00,,2.5000,4.00,' + fixed(total.sharpe, 4) + ',' + fixed(total.sortino, 4) + ',0.00');
  });
});

describe('fillQuality', () => {
  const base: FillRow = {
    date: 'd', orderId: 'o', bracketId: 'o', leg: 'entry', status: 'filled', optionSymbol: 'X', side: 'buy', ts: 0, quantity: 2,
    fillPrice: 1.05, fees: 0, intendedPrice: 1.05, decisionTs: 0, bidAtDecision: 1.0, askAtDecision: 1.1, bidAtFill: 1.0,
    askAtFill: 1.1, timeToFillMs: 0, fillRatio: 1, midAfter1s: 1.0, midAfter5s: 1.1, midAfter30s: null,
  };
  it('buy: paying the mid is zero slippage; a falling mid afterwards is adverse (> 0)', () => {
    const q = fillQuality(base);
    expect(q.slippageVsMid).toBeCloseTo(0, 12);
    expect(q.adverse1s).toBeCloseTo(0.05, 12);
    expect(q.adverse5s).toBeCloseTo(-0.05, 12);
    expect(q.adverse30s).toBeNull();
  });
  it('sell at the bid: half a spread of slippage, in $ × quantity × 100', () => {
    const q = fillQuality({ ...base, side: 'sell', fillPrice: 1.0, intendedPrice: 1.02 });
    expect(q.slippageVsMid).toBeCloseTo(0.05, 12);
    expect(q.slippageSpreadFrac).toBeCloseTo(0.5, 12);
    expect(q.slippageUsd).toBeCloseTo(10, 9);
    expect(q.vsIntended).toBeCloseTo(0.02, 12);
  });
});

describe('calibration', () => {
  it('Brier score and reliability bins on a hand-computed list', () => {
    const pairs: [number, 0 | 1][] = [[0.9, 1], [0.8, 0], [0.15, 0], [0.1, 0]];
    expect(brierScore(pairs)).toBeCloseTo((0.01 + 0.64 + 0.0225 + 0.01) / 4, 12);
    expect(brierScore([])).toBeNull();
    const bins = reliabilityBins(pairs);
    expect(bins).toHaveLength(10);
    expect(bins[1]).toMatchObject({ count: 2, meanPredicted: 0.125, winRate: 0 });
    expect(bins[8]).toMatchObject({ count: 1, meanPredicted: 0.8, winRate: 0 });
    expect(bins[9]).toMatchObject({ count: 1, meanPredicted: 0.9, winRate: 1 });
  });
});
