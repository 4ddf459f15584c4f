/**
 * MarketTally: a mutable, per-subscription counter of market events between two frames (dashboardState$ owns one
 * inside its subscription). `take()` hands the counts over as an immutable DashboardMarketTally for the reducer
 * and starts again.
 */
import type { MarketEvent } from '../../domain/events.js';
import type { FeedCluster } from '../../operators/risk/riskEvents.js';
import type { ClusterTally, DashboardMarketTally } from './dashboardTypes.js';

class ClusterCount {
  count = 0;
  firstTs = 0;
  lastTs = 0;
  lagLast: number | null = null;
  lagMax: number | null = null;
  add(ts: number, tsRecv: number | undefined): void {
    if (this.count++ === 0) this.firstTs = ts;
    this.lastTs = ts;
    if (tsRecv !== undefined) {
      const lag = tsRecv - ts;
      this.lagLast = lag;
      if (this.lagMax === null || lag > this.lagMax) this.lagMax = lag;
    }
  }
  take(): ClusterTally | null {
    if (this.count === 0) return null;
    const t = { count: this.count, firstTs: this.firstTs, lastTs: this.lastTs, lagLast: this.lagLast, lagMax: this.lagMax };
    this.count = 0;
    this.lagLast = null;
    this.lagMax = null;
    return t;
  }
}

export function clusterOf(e: MarketEvent): FeedCluster | null {
  switch (e.type) {
    case 'Trade':
    case 'Quote':
      return 'stocks';
    case 'Bar':
      return e.symbol.startsWith('I:') ? 'indices' : 'stocks';
    case 'IndexValue':
      return 'indices';
    case 'OptionTrade':
    case 'OptionQuote':
    case 'ChainSnapshot':
      return 'options';
    default:
      return null;
  }
}

export class MarketTally {
  private events = 0;
  private firstTs = 0;
  private lastTs = -Infinity;
  private readonly stocks = new ClusterCount();
  private readonly options = new ClusterCount();
  private readonly indices = new ClusterCount();

  add(e: MarketEvent): void {
    if (this.events++ === 0) this.firstTs = e.ts;
    if (e.ts > this.lastTs) this.lastTs = e.ts;
    const c = clusterOf(e);
    if (c !== null) this[c].add(e.ts, (e as { readonly tsRecv?: number }).tsRecv);
  }

  get empty(): boolean {
    return this.events === 0;
  }

  take(): DashboardMarketTally | null {
    if (this.events === 0) return null;
    const t: DashboardMarketTally = {
      type: 'DashboardMarketTally',
      events: this.events,
      firstTs: this.firstTs,
      lastTs: this.lastTs,
      stocks: this.stocks.take(),
      options: this.options.take(),
      indices: this.indices.take(),
    };
    this.events = 0;
    this.lastTs = -Infinity;
    return t;
  }
}
