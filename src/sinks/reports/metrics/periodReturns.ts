/** First differences of an equity curve: the P&L of each period (1-minute equity → per-minute dollar P&L). */
export function periodReturns(equity: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < equity.length; i++) out.push(equity[i]! - equity[i - 1]!);
  return out;
}
