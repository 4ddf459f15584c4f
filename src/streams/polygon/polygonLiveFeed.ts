/**
 * The live market-data source: one Polygon socket per needed cluster (stocks for SPY/QQQ and the index proxies,
 * indices for I:SPX/I:NDX, options for the rolled contract window), REST chain snapshots for the listed strikes,
 * wall-clock heartbeats, all merged by the EventSequencer into ONE stream of `MarketEvent | FeedState` for
 * buildPipeline, and teed to the flight recorder.
 *
 * Subscriptions: stocks `T.`, `Q.`, `AM.` per ETF; indices `V.`, `AM.` per index; options `Q.` and `T.` for the
 * roller's contracts (≤ 1,000 per connection, enforced by the socket before sending). The roller follows the
 * underlying as it streams (index value for SPX/NDX, quote mid or eligible trade for SPY/QQQ); when a chain
 * snapshot arrives for an underlying, its listed strikes replace the grid.
 *
 * Feed states: each socket's LIVE / STALE / RECOVERING goes into the stream as a `FeedState` stamped right after
 * the last event (it never moves event time), so risk blocks entries while a cluster is not LIVE.
 * Gaps: after a reconnect of the stocks or indices socket, the missed minutes are fetched from the aggregates
 * endpoint and the gap is marked in the recording (dreambot/gaps_v1); the backfilled bars are kept for reference
 * and NOT put into the decision stream (the live pipeline must see only what it saw in time order).
 *
 * This is a source: it reads the wall clock (through `now`) and sets timers.
 */
import { Observable, type Subscriber, type Subscription } from 'rxjs';
import type { Heartbeat, MarketEvent } from '../../domain/events.js';
import { UNDERLYING_INFO, tryParseOcc, type Underlying } from '../../domain/instruments.js';
import { toNy } from '../../domain/time.js';
import type { FeedCluster, FeedState } from '../../operators/risk/riskEvents.js';
import { Prng } from '../../quant/prng.js';
import { HeartbeatClock } from '../clock/heartbeatClock.js';
import { heartbeats } from '../clock/heartbeats.js';
import type { FlightRecorder } from '../recorder/flightRecorder.js';
import { EventSequencer } from './eventSequencer.js';
import { OptionUniverseRoller, rollerExpiries, type RollerOptions } from './optionUniverse.js';
import type { PolygonRest } from './polygonRest.js';
import { PolygonSocket, SubscriptionLimitError, type FeedStateName, type PolygonSocketOptions, type SocketLog } from './polygonSocket.js';

export type LiveItem = MarketEvent | FeedState;

export interface PolygonLiveFeedOptions {
  readonly apiKey: string;
  readonly wsUrl: string;
  readonly rest?: PolygonRest | null;
  readonly underlyings: readonly Underlying[];
  readonly seed: number;
  /** Emit stock minute aggregates as 1m Bars (match `replay.minuteAggs`). */
  readonly minuteBars?: boolean;
  readonly roller?: RollerOptions;
  /** Heartbeat tick interval, wall ms (default 1000; 0 = no heartbeats). */
  readonly heartbeatMs?: number;
  /** Wall time without market events before heartbeats are injected (default 1000). */
  readonly quietMs?: number;
  readonly recorder?: FlightRecorder | null;
  readonly socket?: Partial<Pick<PolygonSocketOptions, 'idleTimeoutMs' | 'inSession' | 'pingIntervalMs' | 'pongTimeoutMs' | 'authTimeoutMs' | 'backoffBaseMs' | 'backoffCapMs' | 'backoffResetAfterMs' | 'maxOptionContracts'>>;
  readonly log?: SocketLog;
  readonly now?: () => number;
  /** Instrumentation (benchmarks): before / after each frame's events go through the subscriber. */
  readonly onFrameStart?: (recvPerfMs: number) => void;
  readonly onFrameDone?: (recvPerfMs: number) => void;
}

export interface LiveFeedStats {
  readonly clusters: Record<string, { state: FeedStateName | null; frames: number; events: number; malformedFrames: number; malformedEvents: number; unknownEvents: number; reconnects: number; idleTimeouts: number; lagLastMs: number; lagMaxMs: number; lagEwmaMs: number; subscriptions: number }>;
  readonly emitted: number;
  readonly heartbeats: number;
  readonly dropped: Readonly<Record<string, number>>;
  readonly restamped: number;
  readonly maxRestampMs: number;
  readonly subscriptionRefusals: number;
  readonly gaps: number;
}

export class PolygonLiveFeed {
  readonly events$: Observable<LiveItem>;
  readonly sockets = new Map<FeedCluster, PolygonSocket>();
  readonly sequencer: EventSequencer;
  readonly roller: OptionUniverseRoller;
  private readonly hb: HeartbeatClock;
  private readonly priceOf = new Map<string, Underlying>();
  private readonly lastPrice = new Map<Underlying, number>();
  private readonly snapshotAsked = new Set<Underlying>();
  private subscriber: Subscriber<LiveItem> | null = null;
  private emitted = 0;
  private heartbeatsN = 0;
  private subscriptionRefusals = 0;
  private gaps = 0;
  private snapshotsInFlight = 0;
  private lastEventTsOf = new Map<FeedCluster, number>();
  private readonly now: () => number;
  private readonly log: SocketLog;

  constructor(private readonly opts: PolygonLiveFeedOptions) {
    this.now = opts.now ?? Date.now;
    this.log = opts.log ?? (() => {});
    this.sequencer = new EventSequencer({ minuteBars: opts.minuteBars ?? true });
    this.roller = new OptionUniverseRoller(opts.roller ?? {});
    this.hb = new HeartbeatClock({ quietMs: opts.quietMs ?? 1000 });
    for (const u of opts.underlyings) this.priceOf.set(UNDERLYING_INFO[u].ticker, u);
    this.events$ = new Observable<LiveItem>((subscriber) => this.run(subscriber));
  }

  /** Chain snapshot requests not yet applied (tests wait for 0 to keep the option universe in step). */
  get snapshotsPending(): number {
    return this.snapshotsInFlight;
  }

  /** Stocks and indices topics for the configured underlyings. */
  baseTopics(): Map<FeedCluster, string[]> {
    const stocks = new Set<string>();
    const indices = new Set<string>();
    for (const u of this.opts.underlyings) {
      const info = UNDERLYING_INFO[u];
      if (info.isIndex) indices.add(info.ticker);
      else stocks.add(info.ticker);
      if (info.proxy) stocks.add(info.proxy);
    }
    const m = new Map<FeedCluster, string[]>();
    if (stocks.size) m.set('stocks', [...stocks].sort().flatMap((t) => [`T.${t}`, `Q.${t}`, `AM.${t}`]));
    if (indices.size) m.set('indices', [...indices].sort().flatMap((t) => [`V.${t}`, `AM.${t}`]));
    m.set('options', []);
    return m;
  }

  private run(subscriber: Subscriber<LiveItem>): () => void {
    this.subscriber = subscriber;
    const prng = new Prng(this.opts.seed).fork('polygon-backoff');
    let hbSub: Subscription | null = null;
    for (const [cluster, topics] of this.baseTopics()) {
      const sock = new PolygonSocket({
        cluster,
        baseUrl: this.opts.wsUrl,
        apiKey: this.opts.apiKey,
        random: () => prng.next(),
        ...(this.opts.socket ?? {}),
        now: this.now,
        log: this.log,
        onEvents: (events, wall, perf) => {
          this.opts.onFrameStart?.(perf);
          for (let i = 0; i < events.length; i++) this.emitMarket(events.at(i), wall, cluster);
          this.opts.onFrameDone?.(perf);
        },
        onFeedState: (state, reason) => this.emitFeedState(cluster, state, reason),
        onFatal: (err) => {
          this.stopAll();
          hbSub?.unsubscribe();
          subscriber.error(err);
        },
        onReconnected: (downSince, up) => void this.backfill(cluster, downSince, up),
      });
      sock.subscribe(topics);
      this.sockets.set(cluster, sock);
    }
    for (const s of this.sockets.values()) s.start();
    const hbMs = this.opts.heartbeatMs ?? 1000;
    if (hbMs > 0) hbSub = heartbeats(hbMs, { now: this.now }).subscribe((wall) => this.onTick(wall));
    return () => {
      hbSub?.unsubscribe();
      this.stopAll();
      this.subscriber = null;
    };
  }

  private stopAll(): void {
    for (const s of this.sockets.values()) s.stop();
  }

  private emitMarket(ev: MarketEvent, wall: number, cluster: FeedCluster): void {
    const out = this.sequencer.accept(ev);
    if (out === null) return;
    this.opts.recorder?.record(out, this.sequencer);
    this.hb.onMarket(out.ts, wall);
    this.lastEventTsOf.set(cluster, out.ts);
    this.emitted++;
    if (out.type === 'IndexValue' || out.type === 'Quote' || out.type === 'Trade') this.track(out);
    this.subscriber?.next(out);
  }

  private track(ev: MarketEvent & { symbol: string }): void {
    const u = this.priceOf.get(ev.symbol);
    if (u === undefined) return;
    let price: number;
    if (ev.type === 'IndexValue') price = ev.value;
    else if (ev.type === 'Quote') {
      if (!(ev.bid > 0 && ev.ask > 0)) return;
      price = (ev.bid + ev.ask) / 2;
    } else if (ev.type === 'Trade') {
      if (!ev.eligible) return;
      price = ev.price;
    } else return;
    this.lastPrice.set(u, price);
    if (!this.roller.wouldMove(u, price, ev.ts)) return;
    const date = toNy(ev.ts).date;
    this.applyRoll(u, price, date, false);
    if (!this.snapshotAsked.has(u)) {
      this.snapshotAsked.add(u);
      void this.snapshot(u, price, date);
    }
  }

  private applyRoll(u: Underlying, price: number, date: string, force: boolean): void {
    const change = this.roller.onPrice(u, price, date, force);
    const sock = this.sockets.get('options');
    if (change === null || sock === undefined) return;
    sock.unsubscribe(change.unsubscribe);
    try {
      sock.subscribe(change.subscribe);
      this.log('info', 'option universe rolled', { underlying: u, center: change.center, expiries: change.expiries.join(','), subscribed: change.subscribe.length, unsubscribed: change.unsubscribe.length });
    } catch (e) {
      if (!(e instanceof SubscriptionLimitError)) throw e;
      this.subscriptionRefusals++;
      this.log('error', e.message, { underlying: u, alert: 'SUBSCRIPTION_LIMIT' });
    }
  }

  /** Listed strikes from a chain snapshot around `price` for the roller's expiries; then re-roll on them. */
  private async snapshot(u: Underlying, price: number, date: string): Promise<void> {
    const rest = this.opts.rest;
    if (!rest) return;
    this.snapshotsInFlight++;
    try {
      const { root, expiries } = rollerExpiries(u, date);
      const step = this.roller.step(u);
      const span = (this.roller.strikesEachSide + 4) * step * 3;
      const strikes: number[] = [];
      for (const expiry of expiries) {
        const snap = await rest.chainSnapshot(u, { expirationDate: expiry, strikeGte: price - span, strikeLte: price + span });
        for (const c of snap.contracts) {
          const occ = tryParseOcc(c.symbol.replace(/^O:/, ''));
          if (occ && occ.root === root) strikes.push(occ.strike);
        }
      }
      if (strikes.length === 0 || this.subscriber === null) return;
      this.roller.setListedStrikes(u, strikes);
      const last = this.lastPrice.get(u) ?? price;
      this.applyRoll(u, last, date, true);
    } catch (e) {
      this.log('warn', 'chain snapshot failed; keeping the strike grid', { underlying: u, error: (e as Error).message });
    } finally {
      this.snapshotsInFlight--;
    }
  }

  private emitFeedState(cluster: FeedCluster, state: FeedStateName, reason: string): void {
    const ev: FeedState = { type: 'FeedState', ts: this.sequencer.stampNext(), cluster, state };
    this.opts.recorder?.record(ev, this.sequencer);
    this.log(state === 'LIVE' ? 'info' : 'warn', `feed ${cluster} ${state}`, { cluster, state, reason, alert: `FEED_${state}` });
    this.subscriber?.next(ev);
  }

  private onTick(wall: number): void {
    const t = this.hb.tick(wall);
    if (t === null || this.subscriber === null) return;
    const ev: Heartbeat = { type: 'Heartbeat', ts: t };
    const out = this.sequencer.accept(ev);
    if (out === null) return;
    this.opts.recorder?.record(out, this.sequencer);
    this.heartbeatsN++;
    this.subscriber.next(out);
  }

  private async backfill(cluster: FeedCluster, downSinceWall: number, upWall: number): Promise<void> {
    this.gaps++;
    const from = this.lastEventTsOf.get(cluster) ?? downSinceWall;
    const to = from + Math.max(0, upWall - downSinceWall);
    let bars = 0;
    const rest = this.opts.rest;
    if (rest && cluster !== 'options') {
      const tickers = (this.baseTopics().get(cluster) ?? []).filter((t) => t.startsWith('AM.')).map((t) => t.slice(3));
      for (const t of tickers) {
        try {
          const got = await rest.minuteAggs(t, from - 60_000, to);
          for (const b of got) this.opts.recorder?.recordBackfillBar(b);
          bars += got.length;
        } catch (e) {
          this.log('warn', 'gap backfill failed', { cluster, ticker: t, error: (e as Error).message });
        }
      }
    }
    this.opts.recorder?.recordGap(cluster, from, to, bars, 'socket reconnected');
    this.log('warn', 'feed gap marked', { cluster, fromTs: from, toTs: to, backfilledBars: bars, alert: 'FEED_GAP' });
  }

  stats(): LiveFeedStats {
    const clusters: LiveFeedStats['clusters'] = {};
    for (const [c, s] of this.sockets) {
      const st = s.stats;
      clusters[c] = {
        state: s.feedState,
        frames: st.frames,
        events: st.events,
        malformedFrames: st.malformedFrames,
        malformedEvents: st.malformedEvents,
        unknownEvents: st.unknownEvents,
        reconnects: st.reconnects,
        idleTimeouts: st.idleTimeouts,
        lagLastMs: st.lagLastMs,
        lagMaxMs: st.lagMaxMs,
        lagEwmaMs: Math.round(st.lagEwmaMs * 100) / 100,
        subscriptions: s.subscriptions.size,
      };
    }
    return {
      clusters,
      emitted: this.emitted,
      heartbeats: this.heartbeatsN,
      dropped: { ...this.sequencer.dropped },
      restamped: this.sequencer.restamped,
      maxRestampMs: this.sequencer.maxRestampMs,
      subscriptionRefusals: this.subscriptionRefusals,
      gaps: this.gaps,
    };
  }
}
