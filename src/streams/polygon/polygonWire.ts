/**
 * Polygon (Massive) websocket wire format, validated at the edge (specs/polygon.md §1): every server frame is a
 * JSON array of events dispatched on `ev`. Stock and option trades/quotes share `T`/`Q` and differ by the
 * cluster (option symbols start with `O:`); index values use `T` for the ticker, not `sym`.
 *
 * `parseFrame(text, cluster, tsRecv, out)` appends the frame's market events to `out` (raw exchange time in `ts`,
 * not yet sequenced) and returns the frame's status events; anything that is not valid JSON, not an array, an
 * element that fails its schema or an `ev` we do not handle is COUNTED in `stats` and dropped — a bad element
 * never drops its good neighbours and never ends the stream.
 */
import { z } from 'zod';
import type { Bar, IndexValue, MarketEvent, OptionQuote, OptionTrade, Quote, Trade } from '../../domain/events.js';
import type { FeedCluster } from '../../operators/risk/riskEvents.js';
import { conditionTables, type ConditionEntry } from '../replay/conditionTables.js';
import { memoize } from '../../domain/memo.js';

const num = z.number().finite();
const int = z.number().int();
/** OPRA exchange ids arrive as numbers (client-js types them as strings): accept both. */
const exch = z.union([int, z.string().regex(/^\d+$/).transform(Number)]);

export const statusSchema = z.object({ ev: z.literal('status'), status: z.string(), message: z.string().default('') });
export type StatusEvent = z.infer<typeof statusSchema>;

const tradeSchema = z.object({
  ev: z.literal('T'),
  sym: z.string().min(1),
  x: exch,
  p: num,
  s: num,
  c: z.array(int).optional(),
  t: num,
  q: num.optional(),
  i: z.union([z.string(), num]).optional(),
  z: int.optional(),
});
const quoteSchema = z.object({
  ev: z.literal('Q'),
  sym: z.string().min(1),
  bx: exch.default(0),
  ax: exch.default(0),
  bp: num,
  ap: num,
  bs: num,
  as: num,
  t: num,
  q: num.optional(),
  z: int.optional(),
});
const aggSchema = z.object({
  ev: z.enum(['A', 'AM']),
  sym: z.string().min(1),
  v: num.optional(),
  o: num,
  h: num,
  l: num,
  c: num,
  s: num,
  e: num,
  z: num.optional(),
});
const valueSchema = z.object({ ev: z.literal('V'), T: z.string().min(1), val: num, t: num });

/*
 * Hot-path validation. The zod schemas above are the contract; these checks accept exactly the well-formed
 * common case (every required key of the right type, optional keys absent or of the right type) without zod's
 * per-call overhead. Anything they do not accept goes through zod, which accepts the rest of the valid space
 * (string exchange ids, absent exchange ids) or rejects it — so the outcome is always zod's.
 */
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const optNum = (v: unknown) => v === undefined || isNum(v);
const isInt = (v: unknown): v is number => Number.isInteger(v);
function fastQuote(o: Record<string, unknown>): boolean {
  return typeof o.sym === 'string' && o.sym.length > 0 && isInt(o.bx) && isInt(o.ax) && isNum(o.bp) && isNum(o.ap) && isNum(o.bs) && isNum(o.as) && isNum(o.t) && optNum(o.q) && (o.z === undefined || isInt(o.z));
}
function fastTrade(o: Record<string, unknown>): boolean {
  if (!(typeof o.sym === 'string' && o.sym.length > 0 && isInt(o.x) && isNum(o.p) && isNum(o.s) && isNum(o.t) && optNum(o.q) && (o.z === undefined || isInt(o.z)))) return false;
  if (o.i !== undefined && typeof o.i !== 'string' && !isNum(o.i)) return false;
  const c = o.c;
  if (c === undefined) return true;
  if (!Array.isArray(c)) return false;
  for (let k = 0; k < c.length; k++) if (!isInt(c[k])) return false;
  return true;
}
function fastValue(o: Record<string, unknown>): boolean {
  return typeof o.T === 'string' && o.T.length > 0 && isNum(o.val) && isNum(o.t);
}

export type WireTrade = z.infer<typeof tradeSchema>;
export type WireQuote = z.infer<typeof quoteSchema>;

export interface WireStats {
  frames: number;
  events: number;
  /** Frames that were not JSON arrays. */
  malformedFrames: number;
  /** Elements that failed their schema. */
  malformedEvents: number;
  /** Elements with an `ev` we do not subscribe to or handle. */
  unknownEvents: number;
  statuses: number;
}

export function newWireStats(): WireStats {
  return { frames: 0, events: 0, malformedFrames: 0, malformedEvents: 0, unknownEvents: 0, statuses: 0 };
}

const NONE: ConditionEntry = { codes: Object.freeze([]) as readonly number[], eligible: true };

/**
 * Per-connection caches of the wire decoding:
 *   - condition lists → frozen codes + last-price eligibility, with the replay's tables (same rules both ways);
 *   - ticker symbols → one canonical string each. JSON.parse makes a fresh string per event; events keep the
 *     canonical one, so the latest quote of each contract (held by several stages) does not carry its own copy
 *     through minor GCs, and downstream Map lookups find the string's hash already computed.
 */
export class WireCache {
  private readonly stock = new Map<string, ConditionEntry>();
  private readonly option = new Map<string, ConditionEntry>();
  /** The canonical string for a ticker (the first one seen); bounded far above any subscription set. */
  readonly symbol: (s: string) => string = memoize((s: string) => s, 100_000);
  conditions(codes: readonly number[] | undefined, kind: 'stock' | 'option'): ConditionEntry {
    if (codes === undefined || codes.length === 0) return NONE;
    const key = codes.join(',');
    const m = kind === 'stock' ? this.stock : this.option;
    let e = m.get(key);
    if (e === undefined) {
      const t = conditionTables(['', key]);
      e = (kind === 'stock' ? t.stock[1] : t.option[1])!;
      m.set(key, e);
    }
    return e;
  }
}

/** Where parseFrame appends: an array, or a `FrameBatch` reused from frame to frame. */
export interface EventSink {
  push(e: MarketEvent): unknown;
}

/**
 * A frame's events in a buffer reused for every frame. `array.length = 0` makes V8 drop the backing store, so the
 * next push allocates a new one: per frame on the live hot path, that was a steady source of minor-GC work. Here
 * slots are overwritten and cleared (no event outlives its frame through the batch).
 */
export class FrameBatch implements EventSink {
  private readonly items: (MarketEvent | null)[] = [];
  length = 0;
  push(e: MarketEvent): void {
    this.items[this.length++] = e;
  }
  at(i: number): MarketEvent {
    return this.items[i]!;
  }
  clear(): void {
    for (let i = 0; i < this.length; i++) this.items[i] = null;
    this.length = 0;
  }
}

/**
 * One frame → market events appended to `out`; returns status events (rare) or null. Each market event gets
 * `tsRecv`; `ts` is the raw exchange time (ms) — the sequencer makes it monotone.
 */
export function parseFrame(
  text: string,
  cluster: FeedCluster,
  tsRecv: number,
  out: EventSink,
  stats: WireStats,
  cache: WireCache,
): StatusEvent[] | null {
  stats.frames++;
  let arr: unknown;
  try {
    arr = JSON.parse(text);
  } catch {
    stats.malformedFrames++;
    return null;
  }
  if (!Array.isArray(arr)) {
    stats.malformedFrames++;
    return null;
  }
  let statuses: StatusEvent[] | null = null;
  for (const el of arr) {
    const ev = el !== null && typeof el === 'object' ? (el as { ev?: unknown }).ev : undefined;
    switch (ev) {
      case 'status': {
        const r = statusSchema.safeParse(el);
        if (!r.success) {
          stats.malformedEvents++;
          break;
        }
        stats.statuses++;
        (statuses ??= []).push(r.data);
        break;
      }
      case 'T': {
        if (cluster === 'indices') {
          stats.unknownEvents++;
          break;
        }
        let w: WireTrade;
        if (fastTrade(el as Record<string, unknown>)) w = el as WireTrade;
        else {
          const r = tradeSchema.safeParse(el);
          if (!r.success) {
            stats.malformedEvents++;
            break;
          }
          w = r.data;
        }
        stats.events++;
        out.push(toTrade(w, cluster, tsRecv, cache));
        break;
      }
      case 'Q': {
        if (cluster === 'indices') {
          stats.unknownEvents++;
          break;
        }
        let w: WireQuote;
        if (fastQuote(el as Record<string, unknown>)) w = el as WireQuote;
        else {
          const r = quoteSchema.safeParse(el);
          if (!r.success) {
            stats.malformedEvents++;
            break;
          }
          w = r.data;
        }
        stats.events++;
        out.push(toQuote(w, cluster, tsRecv, cache));
        break;
      }
      case 'AM':
      case 'A': {
        const r = aggSchema.safeParse(el);
        if (!r.success) {
          stats.malformedEvents++;
          break;
        }
        stats.events++;
        const a = r.data;
        // A bar is known at its window END (no look-ahead): 60 s after the start for minute bars.
        const interval = a.ev === 'AM' ? '1m' : '1s';
        const end = a.s + (a.ev === 'AM' ? 60_000 : 1_000);
        const bar: Bar = { type: 'Bar', ts: end, symbol: cache.symbol(a.sym), interval, start: a.s, open: a.o, high: a.h, low: a.l, close: a.c, volume: a.v ?? 0, transactions: 0, tsRecv };
        out.push(bar);
        break;
      }
      case 'V': {
        let w: z.infer<typeof valueSchema>;
        if (fastValue(el as Record<string, unknown>)) w = el as z.infer<typeof valueSchema>;
        else {
          const r = valueSchema.safeParse(el);
          if (!r.success) {
            stats.malformedEvents++;
            break;
          }
          w = r.data;
        }
        stats.events++;
        const v: IndexValue = { type: 'IndexValue', ts: w.t, symbol: cache.symbol(w.T), value: w.val, tsRecv };
        out.push(v);
        break;
      }
      default:
        if (typeof ev === 'string') stats.unknownEvents++;
        else stats.malformedEvents++;
    }
  }
  return statuses;
}

function toTrade(w: WireTrade, cluster: FeedCluster, tsRecv: number, cache: WireCache): Trade | OptionTrade {
  const x = w.x as number;
  const symbol = cache.symbol(w.sym);
  if (cluster === 'options' || symbol.startsWith('O:')) {
    const c = cache.conditions(w.c, 'option');
    const t: OptionTrade = { type: 'OptionTrade', ts: w.t, symbol, price: w.p, size: w.s, exchange: x, conditions: c.codes, eligible: c.eligible, tsRecv };
    return t;
  }
  const c = cache.conditions(w.c, 'stock');
  const t: Trade = { type: 'Trade', ts: w.t, symbol, price: w.p, size: w.s, exchange: x, conditions: c.codes, eligible: c.eligible, seq: w.q ?? 0, tsRecv };
  return t;
}

function toQuote(w: WireQuote, cluster: FeedCluster, tsRecv: number, cache: WireCache): Quote | OptionQuote {
  const symbol = cache.symbol(w.sym);
  if (cluster === 'options' || symbol.startsWith('O:')) {
    const q: OptionQuote = { type: 'OptionQuote', ts: w.t, symbol, bid: w.bp, bidSize: w.bs, ask: w.ap, askSize: w.as, bidExchange: w.bx as number, askExchange: w.ax as number, seq: w.q ?? 0, tsRecv };
    return q;
  }
  const q: Quote = { type: 'Quote', ts: w.t, symbol, bid: w.bp, bidSize: w.bs, ask: w.ap, askSize: w.as, bidExchange: w.bx as number, askExchange: w.ax as number, seq: w.q ?? 0, tsRecv };
  return q;
}

/** Client → server frames. */
export function authFrame(apiKey: string): string {
  return JSON.stringify({ action: 'auth', params: apiKey });
}
export function subscriptionFrame(action: 'subscribe' | 'unsubscribe', topics: readonly string[]): string {
  return JSON.stringify({ action, params: topics.join(',') });
}

/** Market event → the wire object Polygon would send (used by the fake server and the benchmark). */
export function toWire(ev: MarketEvent): Record<string, unknown> | null {
  switch (ev.type) {
    case 'Trade':
      return { ev: 'T', sym: ev.symbol, x: ev.exchange, i: String(ev.seq), z: 1, p: ev.price, s: ev.size, ...(ev.conditions.length ? { c: ev.conditions } : {}), t: ev.ts, q: ev.seq };
    case 'OptionTrade':
      return { ev: 'T', sym: ev.symbol, x: ev.exchange, p: ev.price, s: ev.size, ...(ev.conditions.length ? { c: ev.conditions } : {}), t: ev.ts, q: 0 };
    case 'Quote':
    case 'OptionQuote':
      return { ev: 'Q', sym: ev.symbol, bx: ev.bidExchange, ax: ev.askExchange, bp: ev.bid, ap: ev.ask, bs: ev.bidSize, as: ev.askSize, t: ev.ts, q: ev.seq };
    case 'IndexValue':
      return { ev: 'V', val: ev.value, T: ev.symbol, t: ev.ts };
    case 'Bar':
      return { ev: ev.interval === '1m' ? 'AM' : 'A', sym: ev.symbol, v: ev.volume, o: ev.open, h: ev.high, l: ev.low, c: ev.close, s: ev.start, e: ev.ts };
    default:
      return null;
  }
}

/** Which cluster and channel prefix carries an event (for the fake server's subscription filter). */
export function wireTopic(ev: MarketEvent): { cluster: FeedCluster; topic: string } | null {
  switch (ev.type) {
    case 'Trade':
      return { cluster: 'stocks', topic: `T.${ev.symbol}` };
    case 'Quote':
      return { cluster: 'stocks', topic: `Q.${ev.symbol}` };
    case 'OptionTrade':
      return { cluster: 'options', topic: `T.${ev.symbol}` };
    case 'OptionQuote':
      return { cluster: 'options', topic: `Q.${ev.symbol}` };
    case 'IndexValue':
      return { cluster: 'indices', topic: `V.${ev.symbol}` };
    case 'Bar':
      return { cluster: ev.symbol.startsWith('I:') ? 'indices' : ev.symbol.startsWith('O:') ? 'options' : 'stocks', topic: `AM.${ev.symbol}` };
    default:
      return null;
  }
}
