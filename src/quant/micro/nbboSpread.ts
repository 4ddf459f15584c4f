/**
 * NBBO spread in dollars and in basis points of the mid.
 *
 * null when the book is one-sided (a side priced 0 — no bid or no offer) or crossed (ask < bid): neither has a
 * meaningful spread. A locked book (ask = bid) has spread 0.
 */
export interface SpreadValue {
  readonly mid: number;
  readonly dollars: number;
  readonly bps: number;
}

export function nbboSpread(bid: number, ask: number): SpreadValue | null {
  if (!(bid > 0) || !(ask > 0) || ask < bid) return null;
  const mid = (bid + ask) / 2;
  const dollars = ask - bid;
  return { mid, dollars, bps: (dollars / mid) * 1e4 };
}
