/**
 * True range (Wilder): max(high − low, |high − previous close|, |low − previous close|).
 * Shared by Atr and Adx so both use the identical definition.
 */
export interface Hlc {
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

export function trueRange(bar: Hlc, prevClose: number): number {
  return Math.max(bar.high - bar.low, Math.abs(bar.high - prevClose), Math.abs(bar.low - prevClose));
}
