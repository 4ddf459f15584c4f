/**
 * ScriptedMarket: test support that turns option quotes into fills on a FakeTradierServer, following the SimBroker
 * fill model closely enough for the broker contract suite: a buy limit fills at the ask when ask ≤ limit, a sell
 * limit at the bid when bid ≥ limit, a sell stop at the bid once bid ≤ stop; each up to the displayed size, shared
 * by all our orders on that quote; never on crossed, one-sided or zero quotes. Only legs already working before
 * the quote arrives can fill on it (an OCO activated by an entry fill waits for the next quote), and orders exist
 * only after the quote that prompted them, so nothing fills on its triggering quote.
 *
 * It also keeps the event time (the broker's report clock in the contract harness) and the last underlying value
 * (settlement at `closeSession`).
 */
import { polygonToTradier, type Underlying } from '../../../domain/instruments.js';
import { toNy } from '../../../domain/time.js';
import type { FakeTradierServer } from './fakeTradierServer.js';

export class ScriptedMarket {
  eventTime = 0;
  private readonly underlyings = new Map<string, number>();

  constructor(private readonly server: FakeTradierServer) {}

  lastUnderlying(u: Underlying): number | null {
    return this.underlyings.get(u) ?? null;
  }

  advanceTo(ts: number): void {
    this.eventTime = Math.max(this.eventTime, ts);
  }

  underlying(u: Underlying, price: number, ts: number): void {
    this.advanceTo(ts);
    this.underlyings.set(u, price);
  }

  quote(symbol: string, bid: number, ask: number, sizes: { readonly bid: number; readonly ask: number }, ts: number): void {
    this.advanceTo(ts);
    if (!(bid > 0) || !(ask > 0) || bid > ask) return;
    const sym = polygonToTradier(symbol);
    let bidLeft = sizes.bid;
    let askLeft = sizes.ask;
    const live = this.server
      .allOrders()
      .flatMap((o) => o.legs)
      .filter((l) => l.optionSymbol === sym && (l.status === 'open' || l.status === 'partially_filled'))
      .map((l) => l.id);
    for (const id of live) {
      const l = this.server.allOrders().flatMap((o) => o.legs).find((x) => x.id === id);
      if (!l || (l.status !== 'open' && l.status !== 'partially_filled')) continue; // an OCO sibling just filled
      const remaining = l.quantity - l.execQuantity;
      const buy = l.side.startsWith('buy');
      if (buy && l.type === 'limit' && l.price !== null && ask <= l.price && askLeft > 0) {
        const q = Math.min(remaining, askLeft);
        askLeft -= q;
        this.server.fill(l.id, ask, q);
      } else if (!buy && bidLeft > 0) {
        const hit = (l.type === 'limit' && l.price !== null && bid >= l.price) || (l.type === 'stop' && l.stop !== null && bid <= l.stop);
        if (!hit) continue;
        const q = Math.min(remaining, bidLeft);
        bidLeft -= q;
        this.server.fill(l.id, bid, q);
      }
    }
  }

  closeSession(closeTs: number): void {
    this.advanceTo(closeTs);
    this.server.settleExpiries(toNy(closeTs).date, Object.fromEntries(this.underlyings));
  }
}
