/**
 * TradeSigner: classifies a print as buyer- (+1) or seller-initiated (−1) — the Lee–Ready quote rule with a tick
 * rule fallback, using the NBBO in force when the print arrived (no quote lag adjustment: our quotes and trades
 * share one event-time stream).
 *
 * - Quote rule: price above the NBBO mid → +1, below → −1.
 * - At the mid, or with no two-sided NBBO: tick rule against the last print at a DIFFERENT price — uptick +1,
 *   downtick −1 (a zero tick inherits the sign of the last nonzero tick: zero-uptick is a buy).
 * - 0 when neither rule can decide (first print at the mid with no earlier price).
 *
 * State: last distinct price and last tick direction. `reset()` clears them.
 */
export type TradeSign = 1 | -1 | 0;

export interface SignInput {
  readonly price: number;
  /** NBBO at the print; pass 0 for a missing side. */
  readonly bid: number;
  readonly ask: number;
}

export class TradeSigner {
  private lastPrice = Number.NaN;
  private lastTick: TradeSign = 0;
  private sign: TradeSign = 0;

  update(x: SignInput): TradeSign {
    if (x.price !== this.lastPrice) {
      if (!Number.isNaN(this.lastPrice)) this.lastTick = x.price > this.lastPrice ? 1 : -1;
      this.lastPrice = x.price;
    }
    let s: TradeSign = this.lastTick;
    if (x.bid > 0 && x.ask > 0 && x.ask >= x.bid) {
      const d = x.price - (x.bid + x.ask) / 2;
      // "At the mid" within float noise: (100 + 100.02) / 2 is 100.00999999999999, not 100.01.
      const eps = 1e-9 * x.ask;
      if (d > eps) s = 1;
      else if (d < -eps) s = -1;
    }
    this.sign = s;
    return s;
  }

  /** Sign of the last print (0 before any). */
  get value(): TradeSign {
    return this.sign;
  }

  reset(): void {
    this.lastPrice = Number.NaN;
    this.lastTick = 0;
    this.sign = 0;
  }
}
