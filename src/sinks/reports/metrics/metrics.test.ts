import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { TradeRow } from '../dayRecord.js';
import { groupMetrics } from './groupMetrics.js';
import { maxDrawdown } from './maxDrawdown.js';
import { periodReturns } from './periodReturns.js';
import { profitFactor } from './profitFactor.js';
import { MINUTES_PER_YEAR, sharpeRatio } from './sharpeRatio.js';
import { sortinoRatio } from './sortinoRatio.js';
import { unionLength } from './unionLength.js';

const trade = (netPnl: number, over: Partial<TradeRow> = {}): TradeRow => ({
  date: '2025-03-10', id: `t${netPnl}`, underlying: 'SPY', playbook: 'pb', signalId: 's', optionSymbol: 'O:SPY250310C00570000',
  right: 'C', strike: 570, expiry: '2025-03-10', quantity: 1, entryTs: 0, exitTs: 60_000, entryPrice: 1, exitPrice: 1,
  grossPnl: netPnl + 0.7, fees: 0.7, netPnl, risk: 20, rMultiple: netPnl / 20, entryReason: '', exitReason: '', pWin: null,
  strength: null, features: null, ...over,
});

describe('maxDrawdown', () => {
  it('is the largest peak-to-trough fall', () => {
    expect(maxDrawdown([0, 10, 4, 12, 3, 8])).toBe(9);
    expect(maxDrawdown([0, -5, -2, -8])).toBe(8);
  });
  it('is 0 for a rising, flat or empty curve', () => {
    expect(maxDrawdown([0, 1, 2, 3])).toBe(0);
    expect(maxDrawdown([0, 0, 0])).toBe(0);
    expect(maxDrawdown([])).toBe(0);
  });
  it('never exceeds the range of the curve (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1 }), (xs) => {
        const dd = maxDrawdown(xs);
        return dd >= 0 && dd <= Math.max(...xs) - Math.min(...xs) + 1e-9;
      }),
    );
  });
});

describe('sharpeRatio / sortinoRatio', () => {
  it('hand-computed: returns 1, -1, 2, 0', () => {
    // mean 0.5; sample sd = sqrt(((0.5)²+(1.5)²+(1.5)²+(0.5)²)/3) = sqrt(5/3)
    const r = [1, -1, 2, 0];
    expect(sharpeRatio(r, 1)).toBeCloseTo(0.5 / Math.sqrt(5 / 3), 12);
    expect(sharpeRatio(r)).toBeCloseTo((0.5 / Math.sqrt(5 / 3)) * Math.sqrt(MINUTES_PER_YEAR), 9);
    // downside deviation = sqrt(1/4) = 0.5
    expect(sortinoRatio(r, 1)).toBeCloseTo(1, 12);
  });
  it('zero variance → null (flat curve and constant drift alike), not Infinity or NaN', () => {
    expect(sharpeRatio([0, 0, 0, 0])).toBeNull();
    expect(sharpeRatio([2, 2, 2])).toBeNull();
    expect(sortinoRatio([0, 0, 0])).toBeNull();
    expect(sortinoRatio([1, 2, 3])).toBeNull(); // no losing period
  });
  it('fewer than two periods → null', () => {
    expect(sharpeRatio([])).toBeNull();
    expect(sharpeRatio([5])).toBeNull();
  });
});

describe('profitFactor, unionLength, periodReturns', () => {
  it('profit factor = gross wins / gross losses; only losers → 0; no losers → null', () => {
    expect(profitFactor([30, -10, 20, -20])).toBeCloseTo(50 / 30, 12);
    expect(profitFactor([-1, -2])).toBe(0);
    expect(profitFactor([5])).toBeNull();
    expect(profitFactor([])).toBeNull();
  });
  it('union of intervals counts overlaps once', () => {
    expect(unionLength([[0, 10], [5, 15], [20, 25], [21, 22]])).toBe(20);
    expect(unionLength([])).toBe(0);
  });
  it('period returns are first differences', () => {
    expect(periodReturns([0, 2, 1, 1])).toEqual([2, -1, 0]);
  });
});

describe('groupMetrics', () => {
  it('a day with no trades: zeros, undefined ratios null', () => {
    const m = groupMetrics([], new Array<number>(391).fill(0), 0);
    expect(m).toEqual({
      trades: 0, wins: 0, losses: 0, winRate: null, grossPnl: 0, fees: 0, netPnl: 0, avgR: null, profitFactor: null,
      maxDrawdown: 0, sharpe: null, sortino: null, exposureMinutes: 0,
    });
  });
  it('a day with only losers: win rate 0, profit factor 0, drawdown = total loss on a monotone curve', () => {
    const m = groupMetrics([trade(-10), trade(-30)], [0, -10, -10, -40], 120_000);
    expect(m.trades).toBe(2);
    expect(m.wins).toBe(0);
    expect(m.losses).toBe(2);
    expect(m.winRate).toBe(0);
    expect(m.netPnl).toBe(-40);
    expect(m.fees).toBeCloseTo(1.4, 12);
    expect(m.grossPnl).toBeCloseTo(-38.6, 12);
    expect(m.profitFactor).toBe(0);
    expect(m.avgR).toBeCloseTo(-1, 12); // (-0.5 + -1.5) / 2
    expect(m.maxDrawdown).toBe(40);
    expect(m.sharpe).toBeLessThan(0);
    expect(m.sortino).toBeLessThan(0);
    expect(m.exposureMinutes).toBe(2);
  });
  it('mixed trades: win rate, profit factor and drawdown from the hand-computed list', () => {
    const m = groupMetrics([trade(50), trade(-20), trade(30)], [0, 50, 30, 60], 0);
    expect(m.winRate).toBeCloseTo(2 / 3, 12);
    expect(m.profitFactor).toBe(4);
    expect(m.maxDrawdown).toBe(20);
    expect(m.avgR).toBeCloseTo(1, 12); // (2.5 - 1 + 1.5) / 3
  });
  it('avg R skips trades without a defined risk', () => {
    expect(groupMetrics([trade(10, { rMultiple: null, risk: null }), trade(-10)], [0, 0], 0).avgR).toBeCloseTo(-0.5, 12);
  });
});
