/**
 * Unrealised P&L of the open brackets in dollars: (mark − average entry) × open contracts × 100, before exit fees;
 * brackets without an entry fill or a mark count 0. Null when nothing is open.
 */
import { MULTIPLIER } from '../../domain/instruments.js';
import type { BracketView } from './dashboardTypes.js';

export function unrealizedPnl(brackets: Readonly<Record<string, BracketView>>): number | null {
  let total: number | null = null;
  for (const id in brackets) {
    const b = brackets[id]!;
    if (b.openQuantity === 0) continue;
    total ??= 0;
    if (b.entryFill !== null && b.mark !== null) total += (b.mark - b.entryFill) * b.openQuantity * MULTIPLIER;
  }
  return total;
}
