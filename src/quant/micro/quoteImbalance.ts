/**
 * Top-of-book quote imbalance (bidSize − askSize) / (bidSize + askSize), in [−1, 1]: +1 all size on the bid
 * (buying pressure), −1 all on the offer. null when both sizes are 0 (no displayed size: undefined, not neutral).
 */
export function quoteImbalance(bidSize: number, askSize: number): number | null {
  const sum = bidSize + askSize;
  return sum > 0 ? (bidSize - askSize) / sum : null;
}
