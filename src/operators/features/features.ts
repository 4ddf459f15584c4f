/**
 * features: MarketEvent stream → one `Features` record per underlying at an event-time cadence.
 *
 * Input events: all MarketEvents, one stream ordered by ts.
 *   - IndexValue on I:SPX / I:NDX → price of SPX / NDX; eligible Trade on SPY / QQQ → price of SPY / QQQ.
 *   - Trade and Quote on the micro symbol (SPY for SPX and SPY, QQQ for NDX and QQQ; `UNDERLYING_INFO.proxy`) →
 *     NBBO, trade signing, order-flow imbalance, intensity. Intensity counts every print; signing and flow use
 *     eligible prints only (an ineligible print's price is stale or off-market and would mis-sign).
 *   - OptionQuote on the underlying's roots (SPX/SPXW, NDX/NDXP, SPY, QQQ) → implied-vol surface (VolSurface).
 *   - Every event's ts advances event time (Heartbeat/Timer included). Source `Bar` events are not used: bars are
 *     built here from prints (see BarClock), so nothing is counted twice.
 * Output events: `Features` (see featuresRecord.ts), one per underlying per cadence tick, only once the underlying
 * has a price. Emitted when the first event at or past the boundary arrives, stamped with the boundary, and built
 * from events strictly before it (the crossing event is applied after the emission: no look-ahead).
 * Underlyings at the same boundary come out in config order.
 * State (per subscription, inside the factory closure): bar builders; per underlying SessionVwap, AnchoredVwap,
 * Atr, Adx (1m bars), two RealizedVol windows, last price, VolSurface with the option quotes received since the
 * last snapshot; per micro symbol the NBBO, TradeSigner, and three OrderFlowImbalance / TradeIntensity windows.
 * Warm-up: each field is null until its own indicator has warmed up (see Features).
 * Time: event time only. VWAP is fed with each closed 1s price bar (typical price, bar start); for SPX/NDX the
 * weight is the proxy ETF's volume in the same second, since an index has no volume (seconds where only one of
 * the two printed contribute nothing). Sessions and the 09:30 VWAP reset come from the NYSE calendar
 * (`sessionFor`: holidays, 13:00 early closes). ATR/ADX run continuously on 1m bars across sessions (one
 * subscription per replay day in practice). Option quotes are batched: at each snapshot the latest quote of every
 * contract that changed, with a strike within `options.strikeWindowPct` of the price, is solved for IV at the
 * snapshot's spot and time (one consistent spot per smile, no IV solve per quote on the hot path, and no solves
 * for far wings that ATM IV and 25Δ skew never read).
 */
import { Observable, type OperatorFunction } from 'rxjs';
import { sessionFor } from '../../domain/calendar.js';
import { assertNever, type Bar, type MarketEvent, type OptionQuote } from '../../domain/events.js';
import { ROOT_INFO, UNDERLYING_INFO, isOptionRoot, tryParseOcc, type Underlying } from '../../domain/instruments.js';
import { AnchoredVwap, type VwapAnchor } from '../../quant/indicators/anchoredVwap.js';
import { Adx } from '../../quant/indicators/adx.js';
import { Atr } from '../../quant/indicators/atr.js';
import { BarClock } from '../../quant/indicators/barClock.js';
import { SessionTracker } from '../../quant/indicators/sessionTracker.js';
import { SessionVwap } from '../../quant/indicators/vwap.js';
import { microPrice } from '../../quant/micro/microPrice.js';
import { nbboSpread } from '../../quant/micro/nbboSpread.js';
import { OrderFlowImbalance } from '../../quant/micro/orderFlowImbalance.js';
import { quoteImbalance } from '../../quant/micro/quoteImbalance.js';
import { RealizedVol } from '../../quant/micro/realizedVol.js';
import { TradeIntensity } from '../../quant/micro/tradeIntensity.js';
import { TradeSigner } from '../../quant/micro/tradeSigner.js';
import { expectedMove } from '../../quant/options/probabilities.js';
import { VolSurface } from '../../quant/options/volSurface.js';
import type { FeaturesConfig } from './featuresConfig.js';
import type { Features } from './featuresRecord.js';

export function features(config: FeaturesConfig): OperatorFunction<MarketEvent, Features> {
  return (source) =>
    new Observable<Features>((subscriber) => {
      const engine = new FeatureEngine(config, (f) => subscriber.next(f));
      return source.subscribe({
        next(ev) {
          engine.onEvent(ev);
        },
        error(err: unknown) {
          subscriber.error(err);
        },
        complete() {
          subscriber.complete();
        },
      });
    });
}

class MicroState {
  bid = 0;
  ask = 0;
  bidSize = 0;
  askSize = 0;
  readonly signer = new TradeSigner();
  readonly ofi: readonly [OrderFlowImbalance, OrderFlowImbalance, OrderFlowImbalance];
  readonly intensity: readonly [TradeIntensity, TradeIntensity, TradeIntensity];

  constructor(w: FeaturesConfig['flowWindowsMs']) {
    this.ofi = [new OrderFlowImbalance(w.short), new OrderFlowImbalance(w.medium), new OrderFlowImbalance(w.long)];
    this.intensity = [new TradeIntensity(w.short), new TradeIntensity(w.medium), new TradeIntensity(w.long)];
  }

  advance(ts: number): void {
    for (const o of this.ofi) o.advance(ts);
    for (const i of this.intensity) i.advance(ts);
  }
}

class UnderlyingState {
  price = Number.NaN;
  readonly vwap: SessionVwap;
  readonly avwap: AnchoredVwap;
  readonly atr: Atr;
  readonly adx: Adx;
  readonly rvShort: RealizedVol;
  readonly rvLong: RealizedVol;
  readonly surface: VolSurface | null;
  /** Contracts quoted since the last surface refresh (each at most once; its latest NBBO is in `meta.quote`). */
  readonly dirty: OptionMeta[] = [];
  /** Event time of the last surface refresh and the surface readings then (reused until the next refresh). */
  surfaceTs = Number.NEGATIVE_INFINITY;
  surfaceRead: SurfaceReading = NO_SURFACE;

  constructor(
    readonly underlying: Underlying,
    readonly priceSymbol: string,
    readonly volumeSymbol: string,
    readonly micro: MicroState,
    cfg: FeaturesConfig,
    sessions: SessionTracker,
  ) {
    this.vwap = new SessionVwap(sessions);
    this.avwap = new AnchoredVwap(anchorOf(cfg.anchoredVwap), sessions);
    this.atr = new Atr(cfg.atrPeriod);
    this.adx = new Adx(cfg.adxPeriod);
    const rv = cfg.realizedVol;
    const common = { annualizationSeconds: rv.annualizationSeconds, maxGapMs: rv.maxGapMs };
    this.rvShort = new RealizedVol({ windowMs: rv.shortWindowMs, ...common });
    this.rvLong = new RealizedVol({ windowMs: rv.longWindowMs, ...common });
    this.surface = cfg.options.enabled
      ? new VolSurface({
          underlying,
          rate: cfg.options.rate,
          dividendYield: cfg.options.dividendYield[underlying],
          maxQuoteAgeMs: cfg.options.maxQuoteAgeMs,
          minStrikes: cfg.options.minStrikes,
        })
      : null;
  }
}

function anchorOf(a: FeaturesConfig['anchoredVwap']): VwapAnchor {
  if (typeof a === 'string') return { kind: a };
  return { kind: 'timestamp', ts: Date.parse(a.at) };
}

/** The per-subscription state machine behind `features`. */
class FeatureEngine {
  private readonly clock: BarClock;
  private readonly states: UnderlyingState[] = [];
  private readonly byPriceSymbol = new Map<string, UnderlyingState[]>();
  private readonly byMicroSymbol = new Map<string, MicroState>();
  private readonly byUnderlying = new Map<Underlying, UnderlyingState>();
  /** OCC symbol → owning underlying and strike (parsed once per contract). */
  private readonly optionMeta = new Map<string, OptionMeta | null>();
  private readonly sessions = new SessionTracker(sessionFor);
  /** Last 1s bar per symbol from the current batch, for index VWAP weights. */
  private readonly batch1s = new Map<string, Bar>();
  private now = Number.NEGATIVE_INFINITY;
  private nextTick = Number.NaN;

  constructor(
    private readonly cfg: FeaturesConfig,
    private readonly emit: (f: Features) => void,
  ) {
    const symbols: string[] = [];
    const want = (s: string): void => {
      if (!symbols.includes(s)) symbols.push(s);
    };
    for (const u of cfg.underlyings) {
      if (this.byUnderlying.has(u)) continue;
      const info = UNDERLYING_INFO[u];
      const microSymbol = info.proxy ?? info.ticker;
      let micro = this.byMicroSymbol.get(microSymbol);
      if (micro === undefined) {
        micro = new MicroState(cfg.flowWindowsMs);
        this.byMicroSymbol.set(microSymbol, micro);
      }
      const st = new UnderlyingState(u, info.ticker, microSymbol, micro, cfg, this.sessions);
      this.states.push(st);
      this.byUnderlying.set(u, st);
      const list = this.byPriceSymbol.get(info.ticker) ?? [];
      list.push(st);
      this.byPriceSymbol.set(info.ticker, list);
      want(info.ticker);
      want(microSymbol);
    }
    this.clock = new BarClock(symbols, ['1s', '1m']);
  }

  onEvent(ev: MarketEvent): void {
    if (this.now === Number.NEGATIVE_INFINITY) this.startWatching(ev.ts);
    if (ev.ts > this.now) this.now = ev.ts;
    const closed = this.clock.onEvent(ev);
    const cadence = this.cfg.cadence;
    if (cadence.kind === 'interval') {
      if (Number.isNaN(this.nextTick)) this.nextTick = (Math.floor(this.now / cadence.everyMs) + 1) * cadence.everyMs;
      if (this.now >= this.nextTick) {
        const boundary = Math.floor(this.now / cadence.everyMs) * cadence.everyMs;
        this.nextTick = boundary + cadence.everyMs;
        this.onBars(closed, boundary);
        for (const st of this.states) this.snapshot(st, boundary);
        this.onBars(closed, Number.POSITIVE_INFINITY, boundary);
      } else {
        this.onBars(closed, Number.POSITIVE_INFINITY);
      }
    } else {
      this.onBars(closed, Number.POSITIVE_INFINITY);
    }
    this.apply(ev);
  }

  /** Rolling windows warm up from the first event of the stream: that is when we started watching the tape. */
  private startWatching(ts: number): void {
    for (const m of this.byMicroSymbol.values()) m.advance(ts);
    for (const st of this.states) {
      st.rvShort.advance(ts);
      st.rvLong.advance(ts);
    }
  }

  /** Feed closed bars with after < ts ≤ upTo into the indicators (and emit on bar cadence). */
  private onBars(closed: Bar[] | null, upTo: number, after = Number.NEGATIVE_INFINITY): void {
    if (closed === null) return;
    if (after === Number.NEGATIVE_INFINITY) {
      this.batch1s.clear();
      for (const b of closed) if (b.interval === '1s') this.batch1s.set(b.symbol, b);
    }
    const cadence = this.cfg.cadence;
    for (const bar of closed) {
      if (bar.ts <= after || bar.ts > upTo) continue;
      const owners = this.byPriceSymbol.get(bar.symbol);
      if (owners === undefined) continue;
      for (const st of owners) {
        this.onPriceBar(st, bar);
        if (cadence.kind === 'bar' && cadence.interval === bar.interval) this.snapshot(st, bar.ts);
      }
    }
  }

  private onPriceBar(st: UnderlyingState, bar: Bar): void {
    const rvBars = this.cfg.realizedVol.bars;
    if (bar.interval === '1s') {
      let volume = bar.volume;
      if (st.volumeSymbol !== st.priceSymbol) {
        const v = this.batch1s.get(st.volumeSymbol);
        volume = v !== undefined && v.start === bar.start ? v.volume : 0;
      }
      const typical = (bar.high + bar.low + bar.close) / 3;
      st.vwap.update({ ts: bar.start, price: typical, volume });
      st.avwap.update({ ts: bar.start, price: typical, volume, high: bar.high, low: bar.low });
    } else {
      st.atr.update(bar);
      st.adx.update(bar);
    }
    if (bar.interval === rvBars) {
      st.rvShort.update(bar);
      st.rvLong.update(bar);
    }
  }

  /** Apply the event's own information after any emission it triggered. */
  private apply(ev: MarketEvent): void {
    switch (ev.type) {
      case 'IndexValue': {
        const owners = this.byPriceSymbol.get(ev.symbol);
        if (owners !== undefined) for (const st of owners) st.price = ev.value;
        return;
      }
      case 'Trade': {
        if (ev.eligible) {
          const owners = this.byPriceSymbol.get(ev.symbol);
          if (owners !== undefined) for (const st of owners) st.price = ev.price;
        }
        const m = this.byMicroSymbol.get(ev.symbol);
        if (m !== undefined) {
          for (const i of m.intensity) i.update(this.now);
          if (ev.eligible) {
            const sign = m.signer.update({ price: ev.price, bid: m.bid, ask: m.ask });
            for (const o of m.ofi) o.update(this.now, sign, ev.size);
          }
        }
        return;
      }
      case 'Quote': {
        const m = this.byMicroSymbol.get(ev.symbol);
        if (m !== undefined) {
          m.bid = ev.bid;
          m.ask = ev.ask;
          m.bidSize = ev.bidSize;
          m.askSize = ev.askSize;
        }
        return;
      }
      case 'OptionQuote': {
        const meta = this.optionMetaOf(ev.symbol);
        if (meta !== null && meta.st.surface !== null) {
          // Copy into the contract's own record rather than keeping the event: retained events would survive
          // into the old generation and make every GC pass dearer.
          const q = meta.quote;
          q.bid = ev.bid;
          q.ask = ev.ask;
          q.bidSize = ev.bidSize;
          q.askSize = ev.askSize;
          q.ts = ev.ts;
          if (!meta.dirty) {
            meta.dirty = true;
            meta.st.dirty.push(meta);
          }
        }
        return;
      }
      case 'Bar':
      case 'OptionTrade':
      case 'ChainSnapshot':
      case 'Heartbeat':
      case 'Timer':
        return;
      default:
        return assertNever(ev, 'MarketEvent');
    }
  }

  private optionMetaOf(symbol: string): OptionMeta | null {
    let meta = this.optionMeta.get(symbol);
    if (meta === undefined) {
      const c = tryParseOcc(symbol);
      const st = c !== null && isOptionRoot(c.root) ? this.byUnderlying.get(ROOT_INFO[c.root].underlying) : undefined;
      meta =
        c !== null && st !== undefined
          ? { st, strike: c.strike, right: c.right, dirty: false, quote: { symbol, bid: 0, ask: 0, bidSize: 0, askSize: 0, ts: 0 } }
          : null;
      this.optionMeta.set(symbol, meta);
    }
    return meta;
  }

  private snapshot(st: UnderlyingState, ts: number): void {
    if (Number.isNaN(st.price)) return;
    const m = st.micro;
    m.advance(ts);
    st.rvShort.advance(ts);
    st.rvLong.advance(ts);
    const bands = st.vwap.bands;
    const spread = nbboSpread(m.bid, m.ask);
    const opt = this.optionFields(st, ts);
    this.emit({
      type: 'Features',
      ts,
      underlying: st.underlying,
      price: st.price,
      vwap: bands?.vwap ?? null,
      vwapSigma: bands?.sigma ?? null,
      vwapUpper1: bands?.upper1 ?? null,
      vwapLower1: bands?.lower1 ?? null,
      vwapUpper2: bands?.upper2 ?? null,
      vwapLower2: bands?.lower2 ?? null,
      vwapUpper3: bands?.upper3 ?? null,
      vwapLower3: bands?.lower3 ?? null,
      anchoredVwap: st.avwap.value,
      atr: st.atr.value,
      adx: st.adx.value,
      plusDi: st.adx.plusDi,
      minusDi: st.adx.minusDi,
      microSymbol: st.volumeSymbol,
      spread: spread?.dollars ?? null,
      spreadBps: spread?.bps ?? null,
      quoteImbalance: spread === null ? null : quoteImbalance(m.bidSize, m.askSize),
      microPrice: microPrice(m.bid, m.bidSize, m.ask, m.askSize),
      ofiShort: m.ofi[0].value,
      ofiMedium: m.ofi[1].value,
      ofiLong: m.ofi[2].value,
      intensityShort: m.intensity[0].value,
      intensityMedium: m.intensity[1].value,
      intensityLong: m.intensity[2].value,
      realizedVolShort: st.rvShort.value,
      realizedVolLong: st.rvLong.value,
      atmIv0dte: opt.atmIv0dte,
      atmIvNext: opt.atmIvNext,
      skew25d: opt.skew25d,
      termSlope: opt.termSlope,
      expectedMoveToClose: opt.expectedMoveToClose,
    });
  }

  private readSurface(st: UnderlyingState, s: VolSurface, ts: number): SurfaceReading {
    if (st.dirty.length > 0) {
      const band = this.cfg.options.strikeWindowPct * st.price;
      for (const m of st.dirty) {
        m.dirty = false;
        if (Math.abs(m.strike - st.price) > band) continue;
        // The smile is read from out-of-the-money quotes (puts below, calls above the price: tighter relative
        // spreads, no early-exercise premium); solving the in-the-money twin would double the cost for nothing.
        if (m.right === 'C' ? m.strike < st.price : m.strike > st.price) continue;
        s.update(m.quote, st.price, ts);
      }
      st.dirty.length = 0;
    }
    const today = this.sessions.sessionOf(ts)?.date ?? null;
    let atmIv0dte: number | null = null;
    let atmIvNext: number | null = null;
    let nextExpiry: string | null = null;
    for (const e of s.expiries()) {
      if (today !== null && e === today) atmIv0dte = s.atmIv(e);
      else if (today === null || e > today) {
        const iv = s.atmIv(e);
        if (iv !== null) {
          atmIvNext = iv;
          nextExpiry = e;
          break;
        }
      }
    }
    const skew0 = today !== null && atmIv0dte !== null ? s.skew25d(today) : null;
    const skew25d = skew0 ?? (nextExpiry !== null ? s.skew25d(nextExpiry) : null);
    return { atmIv0dte, atmIvNext, skew25d };
  }

  private optionFields(
    st: UnderlyingState,
    ts: number,
  ): Pick<Features, 'atmIv0dte' | 'atmIvNext' | 'skew25d' | 'termSlope' | 'expectedMoveToClose'> {
    const s = st.surface;
    if (s === null) return NO_OPTIONS;
    // IV solves dominate the feature stage's cost; the surface moves slowly, so it is refreshed at most every
    // `options.refreshMs` of event time (quotes in between are batched, latest per contract) and read in between.
    if (ts - st.surfaceTs >= this.cfg.options.refreshMs) {
      st.surfaceTs = ts;
      st.surfaceRead = this.readSurface(st, s, ts);
    }
    const { atmIv0dte, atmIvNext, skew25d } = st.surfaceRead;
    const iv = atmIv0dte ?? atmIvNext;
    const session = this.sessions.sessionOf(ts);
    // Same clock as yearFraction (ACT/365 to the PM close of today's session), without a calendar lookup per call.
    const t = session !== null && ts < session.close ? (session.close - ts) / MS_PER_YEAR : 0;
    return {
      atmIv0dte,
      atmIvNext,
      skew25d,
      termSlope: atmIv0dte !== null && atmIvNext !== null ? atmIv0dte - atmIvNext : null,
      expectedMoveToClose: iv !== null && t > 0 ? expectedMove(st.price, iv, t) : null,
    };
  }
}

const MS_PER_YEAR = 365 * 24 * 3600 * 1000;

interface OptionMeta {
  readonly st: UnderlyingState;
  readonly strike: number;
  readonly right: 'C' | 'P';
  dirty: boolean;
  readonly quote: { readonly symbol: string; bid: number; ask: number; bidSize: number; askSize: number; ts: number };
}

interface SurfaceReading {
  readonly atmIv0dte: number | null;
  readonly atmIvNext: number | null;
  readonly skew25d: number | null;
}

const NO_SURFACE: SurfaceReading = { atmIv0dte: null, atmIvNext: null, skew25d: null };

const NO_OPTIONS = {
  atmIv0dte: null,
  atmIvNext: null,
  skew25d: null,
  termSlope: null,
  expectedMoveToClose: null,
} as const;
