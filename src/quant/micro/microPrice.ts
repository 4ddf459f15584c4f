/**
 * Micro-price (size-weighted mid): (bid·askSize + ask·bidSize) / (bidSize + askSize).
 *
 * Each price is weighted by the OPPOSITE side's size, so a heavy bid pulls the estimate toward the ask (the side
 * more likely to trade through next). This is the simple weighted mid, not Stoikov's (2018) adjusted micro-price.
 * null when the book is one-sided or crossed, or both sizes are 0.
 */
export function microPrice(bid: number, bidSize: number, ask: number, askSize: number): number | null {
  if (!(bid > 0) || !(ask > 0) || ask < bid) return null;
  const sum = bidSize + askSize;
  if (!(sum > 0)) return null;
  return (bid * askSize + ask * bidSize) / sum;
}
