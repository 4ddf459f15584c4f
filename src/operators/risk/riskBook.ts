/**
 * RiskBook: what the pre-trade checks need to know, built only from events (no broker calls, no wall clock).
 *
 * - Market data: the latest NBBO and its ts per option symbol (mutated in place: no allocation per quote), and
 *   the ts of the latest quote/trade/index value per underlying (I:SPX → SPX, SPY → SPY, …).
 * - Feed and broker health: per cluster state and since when; broker reachability and since when.
 * - Orders: approved intents still working (entry or exit), by client id, and ids whose state is `unknown`.
 * - Positions, netted per option symbol (what the broker shows), from the fills in ExecutionReports: `entry`
 *   fills buy, every other leg (target, stop, exit) sells. Realised P&L on sells against the average cost,
 *   minus fees; unrealised from a conservative mark (mid of a two-sided quote, else the bid, else cost).
 * - Per trading date: approved entries, realised P&L; consecutive losing round trips.
 */
import type { IndexValue, MarketEvent, OptionQuote, Quote, Trade } from '../../domain/events.js';
import { isOptionRoot, MULTIPLIER, ROOT_INFO, tryParseOcc, type OptionRoot, type Underlying } from '../../domain/instruments.js';
import type { ExecutionReport, OrderIntent, OrderSide } from '../../domain/orders.js';
import { SlidingCount } from '../../quant/risk/slidingCount.js';
import type { RiskConfig } from './riskConfig.js';
import type { FeedCluster, FeedState } from './riskEvents.js';

export interface QuoteState {
  bid: number;
  ask: number;
  ts: number;
}

export interface Position {
  readonly symbol: string;
  readonly underlying: Underlying | null;
  readonly expiry: string | null;
  /** Signed contracts (long > 0). */
  qty: number;
  /** Average cost per share of the open quantity. */
  avgPrice: number;
  /** Realised P&L of the current round trip so far, fees included. */
  roundTripPnl: number;
}

export interface WorkingOrder {
  readonly orderId: string;
  readonly symbol: string;
  readonly underlying: Underlying;
  readonly side: OrderSide;
  remaining: number;
  readonly limitPrice: number;
}

export interface ReportEffect {
  /** P&L of a round trip that this report closed (position back to 0), else null. */
  readonly closedRoundTrip: number | null;
  readonly rejected: boolean;
}

const TICKER_UNDERLYING: ReadonlyMap<string, Underlying> = new Map([
  ['I:SPX', 'SPX'],
  ['I:NDX', 'NDX'],
  ['SPY', 'SPY'],
  ['QQQ', 'QQQ'],
]);

const FINAL = new Set(['filled', 'cancelled', 'rejected', 'expired']);

export function clusterOfUnderlying(u: Underlying): FeedCluster {
  return u === 'SPX' || u === 'NDX' ? 'indices' : 'stocks';
}

export class RiskBook {
  readonly optionQuotes = new Map<string, QuoteState>();
  readonly underlyingTs = new Map<Underlying, number>();
  readonly feed = new Map<FeedCluster, { state: FeedState['state']; since: number }>();
  broker: { reachable: boolean; since: number } = { reachable: true, since: Number.NEGATIVE_INFINITY };

  readonly positions = new Map<string, Position>();
  readonly working = new Map<string, WorkingOrder>();
  readonly unknownOrders = new Set<string>();

  /** Every intent id seen this trading date (approved or denied). */
  readonly seenIntentIds = new Set<string>();
  /** Last approval ts per `symbol|side`. */
  readonly lastApproval = new Map<string, number>();
  readonly orderRate: SlidingCount;
  readonly entryCancels: SlidingCount;

  tradesToday = 0;
  realisedToday = 0;
  consecutiveLosses = 0;

  constructor(config: RiskConfig) {
    this.orderRate = new SlidingCount(config.orderRate.windowMs);
    this.entryCancels = new SlidingCount(config.cancelRate.windowMs);
  }

  /** New trading date: daily counters restart (positions, quotes and health carry over). */
  startDay(): void {
    this.tradesToday = 0;
    this.realisedToday = 0;
    this.consecutiveLosses = 0;
    this.seenIntentIds.clear();
  }

  /** Returns the held option symbol whose mark changed, if any (for the daily-loss check). */
  onMarket(ev: MarketEvent): string | null {
    switch (ev.type) {
      case 'OptionQuote':
        return this.onOptionQuote(ev);
      case 'Quote':
      case 'Trade':
      case 'IndexValue':
        this.onUnderlying(ev);
        return null;
      default:
        return null;
    }
  }

  private onOptionQuote(q: OptionQuote): string | null {
    const s = this.optionQuotes.get(q.symbol);
    if (s) {
      s.bid = q.bid;
      s.ask = q.ask;
      s.ts = q.ts;
    } else {
      this.optionQuotes.set(q.symbol, { bid: q.bid, ask: q.ask, ts: q.ts });
    }
    return this.positions.has(q.symbol) ? q.symbol : null;
  }

  private onUnderlying(ev: Quote | Trade | IndexValue): void {
    const u = TICKER_UNDERLYING.get(ev.symbol);
    if (u === undefined) return;
    if (ev.type === 'Trade' && !ev.eligible) return;
    if (ev.type === 'Quote' && !(ev.bid > 0 && ev.ask > 0)) return;
    const prev = this.underlyingTs.get(u);
    if (prev === undefined || ev.ts > prev) this.underlyingTs.set(u, ev.ts);
  }

  onFeedState(ev: FeedState): void {
    const cur = this.feed.get(ev.cluster);
    const wasLive = cur === undefined || cur.state === 'LIVE';
    if (ev.state === 'LIVE') this.feed.set(ev.cluster, { state: 'LIVE', since: ev.ts });
    else this.feed.set(ev.cluster, { state: ev.state, since: wasLive ? ev.ts : cur.since });
  }

  onBrokerState(reachable: boolean, ts: number): void {
    if (reachable !== this.broker.reachable) this.broker = { reachable, since: ts };
  }

  /** A cluster never reported is LIVE (replay has no feed-state source; the quote-age gate still applies). */
  feedLive(cluster: FeedCluster): boolean {
    const f = this.feed.get(cluster);
    return f === undefined || f.state === 'LIVE';
  }

  onApproved(intent: OrderIntent, now: number): void {
    this.working.set(intent.id, {
      orderId: intent.id,
      symbol: intent.optionSymbol,
      underlying: intent.underlying,
      side: intent.side,
      remaining: intent.quantity,
      limitPrice: intent.limitPrice,
    });
    this.lastApproval.set(`${intent.optionSymbol}|${intent.side}`, now);
    this.orderRate.add(now);
    if (intent.side === 'buy_to_open') this.tradesToday++;
  }

  onReport(r: ExecutionReport, now: number): ReportEffect {
    if (r.status === 'unknown') this.unknownOrders.add(r.orderId);
    else this.unknownOrders.delete(r.orderId);
    if (r.leg === 'entry' && r.status === 'cancelled') this.entryCancels.add(now);

    let closedRoundTrip: number | null = null;
    if (r.fillQuantity > 0 || r.fees !== 0) {
      const pos = this.positions.get(r.optionSymbol) ?? this.openPosition(r.optionSymbol);
      if (r.fillQuantity > 0) {
        if (r.leg === 'entry') {
          const qty = pos.qty + r.fillQuantity;
          pos.avgPrice = pos.qty > 0 ? (pos.avgPrice * pos.qty + r.fillPrice * r.fillQuantity) / qty : r.fillPrice;
          pos.qty = qty;
        } else {
          const basis = pos.qty > 0 ? pos.avgPrice : r.fillPrice;
          const pnl = (r.fillPrice - basis) * r.fillQuantity * MULTIPLIER;
          pos.roundTripPnl += pnl;
          this.realisedToday += pnl;
          pos.qty -= r.fillQuantity;
          if (pos.qty < 0) pos.avgPrice = r.fillPrice;
        }
      }
      if (r.fees !== 0) {
        pos.roundTripPnl -= r.fees;
        this.realisedToday -= r.fees;
      }
      if (pos.qty === 0) {
        this.positions.delete(r.optionSymbol);
        if (r.fillQuantity > 0 && r.leg !== 'entry') {
          closedRoundTrip = pos.roundTripPnl;
          this.consecutiveLosses = closedRoundTrip < 0 ? this.consecutiveLosses + 1 : 0;
        }
      }
    }

    const w = this.working.get(r.orderId);
    if (w) {
      const mine = w.side === 'buy_to_open' ? r.leg === 'entry' : r.leg !== 'entry';
      if (mine) {
        if (r.fillQuantity > 0) w.remaining = Math.max(0, w.remaining - r.fillQuantity);
        if (FINAL.has(r.status) || w.remaining === 0) this.working.delete(r.orderId);
      }
    }
    return { closedRoundTrip, rejected: r.status === 'rejected' };
  }

  private openPosition(symbol: string): Position {
    const c = tryParseOcc(symbol);
    const root: OptionRoot | null = c && isOptionRoot(c.root) ? c.root : null;
    const p: Position = {
      symbol,
      underlying: root ? ROOT_INFO[root].underlying : null,
      expiry: c ? c.expiry : null,
      qty: 0,
      avgPrice: 0,
      roundTripPnl: 0,
    };
    this.positions.set(symbol, p);
    return p;
  }

  /** Broker positions are the truth once the kill switch verified flat: drop what the book still believed. */
  clearPositionsAndOrders(): void {
    this.positions.clear();
    this.working.clear();
  }

  /** Conservative liquidation mark per share of a long: mid when two-sided, else the bid, else null. */
  mark(symbol: string): number | null {
    const q = this.optionQuotes.get(symbol);
    if (!q) return null;
    if (q.bid > 0 && q.ask >= q.bid) return (q.bid + q.ask) / 2;
    return q.bid > 0 ? q.bid : 0;
  }

  unrealised(): number {
    let u = 0;
    for (const p of this.positions.values()) {
      const m = this.mark(p.symbol);
      if (m !== null) u += (m - p.avgPrice) * p.qty * MULTIPLIER;
    }
    return u;
  }

  dailyPnl(): number {
    return this.realisedToday + this.unrealised();
  }

  /** Long contracts held minus contracts already committed to approved, still-working exits. */
  sellableQty(symbol: string): number {
    let q = this.positions.get(symbol)?.qty ?? 0;
    for (const w of this.working.values()) if (w.side === 'sell_to_close' && w.symbol === symbol) q -= w.remaining;
    return q;
  }

  /** Distinct option symbols held (any sign) or with a working entry; optionally for one underlying. */
  exposureSymbols(underlying?: Underlying): Set<string> {
    const out = new Set<string>();
    for (const p of this.positions.values()) if (p.qty !== 0 && (underlying === undefined || p.underlying === underlying)) out.add(p.symbol);
    for (const w of this.working.values()) {
      if (w.side === 'buy_to_open' && (underlying === undefined || w.underlying === underlying)) out.add(w.symbol);
    }
    return out;
  }

  /** Premium paid for long positions plus premium of working entries, dollars. */
  premiumAtRisk(): number {
    let p = 0;
    for (const pos of this.positions.values()) if (pos.qty > 0) p += pos.qty * pos.avgPrice * MULTIPLIER;
    for (const w of this.working.values()) if (w.side === 'buy_to_open') p += w.remaining * w.limitPrice * MULTIPLIER;
    return p;
  }

  hasOpenPositions(): boolean {
    for (const p of this.positions.values()) if (p.qty !== 0) return true;
    return false;
  }

  isFlat(): boolean {
    return !this.hasOpenPositions() && this.working.size === 0;
  }
}
