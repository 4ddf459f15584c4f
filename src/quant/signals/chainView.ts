/**
 * ChainView: the latest NBBO of every option contract of our roots, from OptionQuote events, indexed by
 * (root, expiry). Event time only: freshness is judged against the caller's `ts`, never the wall clock.
 *
 * Records are updated in place (no allocation per quote after a contract's first). Expiries before a date can be
 * dropped with `prune` (the composed operator does it when the session date changes).
 */
import type { OptionQuote } from '../../domain/events.js';
import { isOptionRoot, tryParseOcc, type OptionRight, type OptionRoot } from '../../domain/instruments.js';

export interface ChainQuote {
  readonly symbol: string;
  readonly root: OptionRoot;
  readonly expiry: string;
  readonly right: OptionRight;
  readonly strike: number;
  bid: number;
  ask: number;
  bidSize: number;
  askSize: number;
  ts: number;
}

export class ChainView {
  private readonly bySymbol = new Map<string, ChainQuote | null>();
  private readonly bySlice = new Map<string, Map<string, ChainQuote>>();

  update(q: OptionQuote): void {
    let rec = this.bySymbol.get(q.symbol);
    if (rec === undefined) {
      const c = tryParseOcc(q.symbol);
      if (c === null || !isOptionRoot(c.root)) {
        this.bySymbol.set(q.symbol, null);
        return;
      }
      rec = { symbol: q.symbol, root: c.root, expiry: c.expiry, right: c.right, strike: c.strike, bid: 0, ask: 0, bidSize: 0, askSize: 0, ts: Number.NEGATIVE_INFINITY };
      this.bySymbol.set(q.symbol, rec);
      const key = sliceKey(c.root, c.expiry);
      let slice = this.bySlice.get(key);
      if (slice === undefined) {
        slice = new Map();
        this.bySlice.set(key, slice);
      }
      slice.set(q.symbol, rec);
    }
    if (rec === null || q.ts < rec.ts) return;
    rec.bid = q.bid;
    rec.ask = q.ask;
    rec.bidSize = q.bidSize;
    rec.askSize = q.askSize;
    rec.ts = q.ts;
  }

  /** Contracts of one expiry of a root (any freshness), in first-seen order. */
  slice(root: OptionRoot, expiry: string): Iterable<ChainQuote> {
    return this.bySlice.get(sliceKey(root, expiry))?.values() ?? [];
  }

  /** True when the expiry has at least one two-sided quote no older than maxAgeMs at ts. */
  hasFresh(root: OptionRoot, expiry: string, ts: number, maxAgeMs: number): boolean {
    for (const q of this.slice(root, expiry)) if (isUsable(q, ts, maxAgeMs)) return true;
    return false;
  }

  /** Fresh two-sided contract of the given right whose strike is nearest `price` (lower strike on a tie). */
  nearest(root: OptionRoot, expiry: string, right: OptionRight, price: number, ts: number, maxAgeMs: number): ChainQuote | null {
    let best: ChainQuote | null = null;
    for (const q of this.slice(root, expiry)) {
      if (q.right !== right || !isUsable(q, ts, maxAgeMs)) continue;
      if (best === null) best = q;
      else {
        const d = Math.abs(q.strike - price) - Math.abs(best.strike - price);
        if (d < 0 || (d === 0 && q.strike < best.strike)) best = q;
      }
    }
    return best;
  }

  /** Forget expiries before `date` (YYYY-MM-DD). */
  prune(date: string): void {
    for (const [sym, q] of this.bySymbol) {
      if (q !== null && q.expiry < date) {
        this.bySymbol.delete(sym);
        this.bySlice.delete(sliceKey(q.root, q.expiry));
      }
    }
  }

  /** Two-sided, not crossed, and no older than maxAgeMs at ts. */
  static usable(q: ChainQuote, ts: number, maxAgeMs: number): boolean {
    return q.bid > 0 && q.ask >= q.bid && q.ts <= ts && ts - q.ts <= maxAgeMs;
  }

  reset(): void {
    this.bySymbol.clear();
    this.bySlice.clear();
  }
}

function isUsable(q: ChainQuote, ts: number, maxAgeMs: number): boolean {
  return ChainView.usable(q, ts, maxAgeMs);
}

function sliceKey(root: OptionRoot, expiry: string): string {
  return `${root} ${expiry}`;
}
