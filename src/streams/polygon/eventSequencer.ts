/**
 * EventSequencer: the one merge point of the live sources (three sockets, heartbeats, feed states). It turns
 * arrival order into ONE stream whose event time is strictly increasing, applies the replay's data-quality rules,
 * and is what the flight recorder records — which is what makes a recorded session replay to the same decisions.
 *
 * Why stamps are adjusted. Replay orders a day by (ts in ns, then kind, symbol, sequence, file row). Live merges
 * sockets in arrival order: an index value can arrive after an option quote stamped 2 ms later, and many events
 * share one exchange millisecond. Re-ordering live data by ts would need a hold-back window (latency on every
 * event). Instead each event keeps its exchange time unless that would not be strictly after the previous
 * event, in which case it is stamped 1 ns after it. Event time stays within a few ms of exchange time (the
 * cross-socket skew), nothing waits, and because every stamp is distinct and increasing in arrival order, the
 * replay's sort of the recording reproduces the live order exactly. Stamps are kept as whole ms + ns remainder
 * and turned into a float exactly as `nsToMs` does, so the recorded nanoseconds read back to the same float.
 *
 * Data quality: everything the replay catalog drops is dropped here too (counted by reason): crossed/locked,
 * empty or negative quotes; non-positive trade prices, zero or negative sizes; OPRA cancels; repeated sequence
 * numbers (here: a sequence not above the ticker's last, a superset of replay's exact-duplicate rule);
 * non-positive index values; malformed bars and repeated bar windows. Bars other than stock minute aggregates
 * (the only bars the replay reads) are not emitted.
 */
import type { Bar, MarketEvent } from '../../domain/events.js';

const OPRA_CANCELS = new Set([201, 203, 205, 207]);

export class EventSequencer {
  private whole = Number.NEGATIVE_INFINITY;
  private rem = 0;
  private readonly lastSeq = new Map<string, number>();
  private readonly lastBar = new Map<string, number>();
  readonly dropped: Record<string, number> = {};
  /** Events stamped later than their exchange time to keep the stream strictly increasing. */
  restamped = 0;
  /** Largest (stamp − exchange time), ms. */
  maxRestampMs = 0;

  constructor(private readonly opts: { readonly minuteBars: boolean } = { minuteBars: true }) {}

  /** Event time of the last stamped item (−∞ before the first). */
  get lastTs(): number {
    return this.whole + this.rem / 1e6;
  }

  /** The last stamp as whole ms + ns remainder (NsStamp) — what the recorder writes, as decimal nanoseconds. */
  get nsWhole(): number {
    return this.whole;
  }
  get nsRem(): number {
    return this.rem;
  }

  get started(): boolean {
    return this.whole !== Number.NEGATIVE_INFINITY;
  }

  /** Strictly increasing stamp for raw time `t` (ms). */
  stamp(t: number): number {
    let w = Math.floor(t);
    let r = Math.round((t - w) * 1e6);
    if (r === 1_000_000) {
      w++;
      r = 0;
    }
    if (w > this.whole || (w === this.whole && r > this.rem)) {
      this.whole = w;
      this.rem = r;
    } else {
      this.rem++;
      if (this.rem === 1_000_000) {
        this.whole++;
        this.rem = 0;
      }
      const ts = this.whole + this.rem / 1e6;
      this.restamped++;
      if (ts - t > this.maxRestampMs) this.maxRestampMs = ts - t;
      return ts;
    }
    return w + r / 1e6;
  }

  /** A stamp right after the last one (feed states): never moves event time on. */
  stampNext(): number {
    return this.stamp(this.started ? this.lastTs : 0);
  }

  private drop(reason: string): null {
    this.dropped[reason] = (this.dropped[reason] ?? 0) + 1;
    return null;
  }

  /** Validate + stamp in place (the event object is ours, fresh from the parser). Null = dropped. */
  accept(ev: MarketEvent): MarketEvent | null {
    switch (ev.type) {
      case 'Quote':
      case 'OptionQuote': {
        const { bid, ask, bidSize, askSize } = ev;
        if (!(bid >= 0) || !(ask >= 0) || !Number.isFinite(bid) || !Number.isFinite(ask)) return this.drop('bad_price');
        if (bid === 0 && ask === 0) return this.drop('empty_quote');
        if (!(bidSize >= 0) || !(askSize >= 0)) return this.drop('negative_size');
        if (bid > 0 && ask > 0 && bid > ask) return this.drop('crossed');
        if (bid > 0 && bid === ask) return this.drop('locked');
        if (ev.seq > 0 && !this.seqOk(ev.symbol, ev.seq)) return this.drop('duplicate_sequence');
        break;
      }
      case 'Trade':
      case 'OptionTrade': {
        if (!(ev.price > 0) || !Number.isFinite(ev.price)) return this.drop('bad_price');
        if (!(ev.size >= 0)) return this.drop('negative_size');
        if (ev.size === 0) return this.drop('zero_size');
        if (ev.type === 'OptionTrade') {
          for (const c of ev.conditions) if (OPRA_CANCELS.has(c)) return this.drop('corrected_or_canceled');
        } else if (ev.seq > 0 && !this.seqOk(ev.symbol, ev.seq)) return this.drop('duplicate_sequence');
        break;
      }
      case 'IndexValue':
        if (!(ev.value > 0) || !Number.isFinite(ev.value)) return this.drop('bad_price');
        break;
      case 'Bar': {
        if (!this.opts.minuteBars || ev.interval !== '1m' || ev.symbol.startsWith('I:') || ev.symbol.startsWith('O:')) return this.drop('bar_not_replayed');
        const { open, high, low, close, volume } = ev;
        if (!(Math.min(open, high, low, close) > 0) || high < Math.max(open, close, low) || low > Math.min(open, close)) return this.drop('bad_bar');
        if (!(volume >= 0)) return this.drop('negative_size');
        const prev = this.lastBar.get(ev.symbol);
        if (prev !== undefined && ev.start <= prev) return this.drop('duplicate_window');
        this.lastBar.set(ev.symbol, ev.start);
        const ts = this.stamp(ev.ts);
        // Replay derives the window start from the (stamped) end: keep the two equal.
        (ev as { ts: number }).ts = ts;
        (ev as { start: number }).start = ts - 60_000;
        return ev as Bar;
      }
      case 'ChainSnapshot':
      case 'Heartbeat':
      case 'Timer':
        break;
    }
    (ev as { ts: number }).ts = this.stamp(ev.ts);
    return ev;
  }

  private seqOk(symbol: string, seq: number): boolean {
    const last = this.lastSeq.get(symbol);
    if (last !== undefined && seq <= last) return false;
    this.lastSeq.set(symbol, seq);
    return true;
  }
}
