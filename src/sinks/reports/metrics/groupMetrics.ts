/**
 * The summary metrics of one group of trades (a day or the whole run; overall, one playbook or one underlying):
 * counts, win rate, gross/net P&L and fees, average R, profit factor, and the equity-curve statistics (max
 * drawdown, Sharpe and Sortino on 1-minute equity), exposure time.
 *
 * A trade is a winner when its net P&L (fees included) is > 0. Average R is over trades with a defined risk.
 */
import type { TradeRow } from '../dayRecord.js';
import { maxDrawdown } from './maxDrawdown.js';
import { periodReturns } from './periodReturns.js';
import { profitFactor } from './profitFactor.js';
import { sharpeRatio } from './sharpeRatio.js';
import { sortinoRatio } from './sortinoRatio.js';

export interface GroupMetrics {
  readonly trades: number;
  readonly wins: number;
  readonly losses: number;
  readonly winRate: number | null;
  readonly grossPnl: number;
  readonly fees: number;
  readonly netPnl: number;
  readonly avgR: number | null;
  readonly profitFactor: number | null;
  readonly maxDrawdown: number;
  readonly sharpe: number | null;
  readonly sortino: number | null;
  readonly exposureMinutes: number;
}

export function groupMetrics(trades: readonly TradeRow[], equity: readonly number[], exposureMs: number): GroupMetrics {
  let wins = 0;
  let losses = 0;
  let gross = 0;
  let fees = 0;
  let net = 0;
  let rSum = 0;
  let rN = 0;
  for (const t of trades) {
    if (t.netPnl > 0) wins++;
    else if (t.netPnl < 0) losses++;
    gross += t.grossPnl;
    fees += t.fees;
    net += t.netPnl;
    if (t.rMultiple !== null) {
      rSum += t.rMultiple;
      rN++;
    }
  }
  const rets = periodReturns(equity);
  return {
    trades: trades.length,
    wins,
    losses,
    winRate: trades.length ? wins / trades.length : null,
    grossPnl: gross,
    fees,
    netPnl: net,
    avgR: rN ? rSum / rN : null,
    profitFactor: profitFactor(trades.map((t) => t.netPnl)),
    maxDrawdown: maxDrawdown(equity),
    sharpe: sharpeRatio(rets),
    sortino: sortinoRatio(rets),
    exposureMinutes: exposureMs / 60_000,
  };
}
