/**
 * RunRecorder: watches one replayed day's pipeline events (every PipelineEvent, in order) and keeps what the
 * reports and the Parquet store need, then `finish()` gives the day's DayRecord.
 *
 * Kept per bracket (OrderIntent.id): the intent, its signal, fills, fees, the stop in force, when a close began,
 * and holding time. Kept per option contract: the latest NBBO (marks open positions, gives the NBBO at a fill) and
 * fills waiting for their 1 s / 5 s / 30 s mids. Equity per group is sampled at each minute boundary of event
 * time from the session open; the last sample is taken after the final event (expiry settlements included).
 *
 * Post-run reporting only: it reads later quotes to measure adverse selection, which never flows back into a
 * decision (the recorder is a leaf observer of the pipeline's output).
 *
 * `tables` collects the rows for storage/parquet (features, intents, gate and risk decisions, orders and order
 * lifecycle, execution reports) by reference — the events are immutable.
 */
import { sessionFor } from '../../domain/calendar.js';
import { isOptionRoot, MULTIPLIER, ROOT_INFO, tryParseOcc } from '../../domain/instruments.js';
import { bracketIdOf, type ExecutionReport, type OrderIntent, type SignalIntent } from '../../domain/orders.js';
import type { Features } from '../../operators/features/featuresRecord.js';
import type { PipelineEvent } from '../../pipeline/buildPipeline.js';
import { GROUP_ALL, type DayRecord, type FillRow, type TradeRow } from './dayRecord.js';
import { unionLength } from './metrics/unionLength.js';

const MINUTE = 60_000;
const HORIZONS = [1_000, 5_000, 30_000] as const;

interface Nbbo {
  bid: number;
  ask: number;
  mark: number | null;
}

interface Bracket {
  readonly id: string;
  intent: OrderIntent | null;
  playbook: string;
  underlying: string;
  symbol: string;
  bought: number;
  sold: number;
  buyCost: number;
  sellProceeds: number;
  fees: number;
  firstFillTs: number | null;
  flatTs: number | null;
  /** Stop in force, when it was set and the NBBO then (the stop leg's decision). */
  stopPrice: number | null;
  stopSetTs: number | null;
  stopSetNbbo: { bid: number; ask: number } | null;
  /** NBBO when the entry filled (the target leg's decision). */
  entryNbbo: { bid: number; ask: number } | null;
  /** The OMS began closing (reason, event time, NBBO then). */
  closing: { reason: string; ts: number; bid: number | null; ask: number | null } | null;
  lastExit: ExecutionReport | null;
  entryFillTs: number | null;
}

interface PendingMid {
  readonly fill: MutableFill;
  readonly idx: 0 | 1 | 2;
  readonly at: number;
}

type MutableFill = { -readonly [K in keyof FillRow]: FillRow[K] };

export interface RecorderTables {
  readonly features: Features[];
  readonly intents: SignalIntent[];
  readonly gate_decisions: PipelineEvent[];
  readonly risk_decisions: PipelineEvent[];
  readonly orders: OrderIntent[];
  readonly order_events: PipelineEvent[];
  readonly executions: ExecutionReport[];
}

export class RunRecorder {
  readonly tables: RecorderTables = {
    features: [],
    intents: [],
    gate_decisions: [],
    risk_decisions: [],
    orders: [],
    order_events: [],
    executions: [],
  };
  private readonly open: number;
  private readonly close: number;
  private readonly nbbo = new Map<string, Nbbo>();
  private readonly brackets = new Map<string, Bracket>();
  private readonly signals = new Map<string, { intent: SignalIntent; features: Features | null }>();
  private readonly lastFeatures = new Map<string, Features>();
  private readonly fills: MutableFill[] = [];
  private readonly pending = new Map<string, PendingMid[]>();
  private readonly awaitingNbbo: MutableFill[] = [];
  private readonly equity = new Map<string, number[]>();
  private nextBoundary: number;
  private samples = 0;
  private lastTs = -Infinity;
  private signalCount = 0;

  constructor(
    private readonly date: string,
    private readonly opts: { readonly keepTables?: boolean } = {},
  ) {
    // A closed date has no session (and no equity grid); the replay itself refuses it with the reason.
    const s = sessionFor(date) ?? { open: Date.parse(`${date}T12:00:00Z`), close: Date.parse(`${date}T12:00:00Z`) };
    this.open = s.open;
    this.close = s.close;
    this.nextBoundary = s.open;
  }

  onEvent = (e: PipelineEvent): void => {
    if (e.ts > this.lastTs) this.lastTs = e.ts;
    while (e.ts >= this.nextBoundary && this.nextBoundary < this.close) this.sample();
    const keep = this.opts.keepTables ?? true;
    switch (e.type) {
      case 'OptionQuote': {
        const pend = this.pending.get(e.symbol);
        if (pend !== undefined && pend.length > 0) this.resolvePending(pend, e.ts);
        // The quote that triggered a fill comes through right after the fill's report (a stage emits its outputs
        // before the item that caused them): it is the NBBO at the fill.
        if (this.awaitingNbbo.length) this.settleFillNbbo(e.symbol, e.ts, e.bid, e.ask);
        const two = e.bid > 0 && e.ask > 0;
        const q = this.nbbo.get(e.symbol);
        if (q) {
          q.bid = e.bid;
          q.ask = e.ask;
          if (two) q.mark = (e.bid + e.ask) / 2;
        } else this.nbbo.set(e.symbol, { bid: e.bid, ask: e.ask, mark: two ? (e.bid + e.ask) / 2 : null });
        return;
      }
      case 'Features':
        this.lastFeatures.set(e.underlying, e);
        if (keep) this.tables.features.push(e);
        return;
      case 'SignalIntent':
        this.signalCount++;
        this.signals.set(e.id, { intent: e, features: this.lastFeatures.get(e.underlying) ?? null });
        if (keep) this.tables.intents.push(e);
        return;
      case 'GateDecision':
        if (keep) this.tables.gate_decisions.push(e);
        return;
      case 'OrderDenied':
      case 'TradingStateChanged':
        if (keep) this.tables.risk_decisions.push(e);
        return;
      case 'OrderIntent': {
        if (keep) {
          this.tables.orders.push(e);
          this.tables.risk_decisions.push(e);
        }
        const b = this.bracket(e.id);
        b.intent = e;
        b.playbook = e.playbook;
        b.underlying = e.underlying;
        b.symbol = e.optionSymbol;
        b.stopPrice = e.stopPrice;
        return;
      }
      case 'BracketUpdate': {
        if (keep) this.tables.order_events.push(e);
        const b = this.brackets.get(e.orderId);
        if (b && b.closing === null && e.reason.startsWith('closing: ')) {
          const q = this.nbbo.get(b.symbol);
          b.closing = { reason: e.reason.slice('closing: '.length), ts: e.ts, bid: q?.bid ?? null, ask: q?.ask ?? null };
        }
        return;
      }
      case 'StopAdjusted': {
        if (keep) this.tables.order_events.push(e);
        const b = this.brackets.get(e.orderId);
        if (b && e.accepted) {
          b.stopPrice = e.to;
          b.stopSetTs = e.ts;
          b.stopSetNbbo = this.quoteOf(b.symbol);
        }
        return;
      }
      case 'ExecutionReport':
        if (keep) this.tables.executions.push(e);
        if (e.fillQuantity > 0 || e.fees !== 0) this.onReport(e);
        return;
      default:
        return;
    }
  };

  finish(decisionsHash: string): DayRecord {
    while (this.nextBoundary < this.close) this.sample();
    // Final sample after every event (settlements after the close included).
    this.sampleAll();
    for (const [sym, pend] of this.pending) {
      const q = this.nbbo.get(sym);
      for (const p of pend) if (this.lastTs >= p.at) setMid(p, q?.mark ?? null);
    }
    this.pending.clear();
    const trades: TradeRow[] = [];
    const intervals = new Map<string, [number, number][]>();
    for (const b of this.sortedBrackets()) {
      if (b.firstFillTs === null) continue;
      const end = b.flatTs ?? Math.max(this.lastTs, b.firstFillTs);
      for (const g of groupsOf(b)) {
        let xs = intervals.get(g);
        if (!xs) intervals.set(g, (xs = []));
        xs.push([b.firstFillTs, end]);
      }
      if (b.flatTs !== null) trades.push(this.tradeRow(b));
    }
    trades.sort((a, c) => a.exitTs - c.exitTs || a.id.localeCompare(c.id));
    const exposureMs: Record<string, number> = {};
    for (const g of sortGroups([...intervals.keys()])) exposureMs[g] = unionLength(intervals.get(g)!);
    const equity: Record<string, number[]> = {};
    for (const g of sortGroups([...this.equity.keys()])) equity[g] = this.equity.get(g)!;
    return {
      date: this.date,
      open: this.open,
      close: this.close,
      trades,
      fills: [...this.fills],
      equity,
      exposureMs,
      signals: this.signalCount,
      decisionsHash,
    };
  }

  private bracket(id: string): Bracket {
    let b = this.brackets.get(id);
    if (!b) {
      b = {
        id,
        intent: null,
        playbook: 'unknown',
        underlying: 'unknown',
        symbol: '',
        bought: 0,
        sold: 0,
        buyCost: 0,
        sellProceeds: 0,
        fees: 0,
        firstFillTs: null,
        flatTs: null,
        stopPrice: null,
        stopSetTs: null,
        stopSetNbbo: null,
        entryNbbo: null,
        closing: null,
        lastExit: null,
        entryFillTs: null,
      };
      this.brackets.set(id, b);
    }
    return b;
  }

  private onReport(e: ExecutionReport): void {
    const b = this.bracket(bracketIdOf(e.orderId));
    if (b.symbol === '') b.symbol = e.optionSymbol;
    if (b.underlying === 'unknown') {
      const c = tryParseOcc(e.optionSymbol);
      if (c) b.underlying = isOptionRoot(c.root) ? ROOT_INFO[c.root].underlying : c.root;
    }
    b.fees += e.fees;
    if (e.fillQuantity <= 0) return;
    const isEntry = e.leg === 'entry';
    const orderQty = isEntry ? (b.intent?.quantity ?? null) : b.bought > 0 ? b.bought : null;
    if (isEntry) {
      b.bought += e.fillQuantity;
      b.buyCost += e.fillQuantity * e.fillPrice * MULTIPLIER;
      if (b.firstFillTs === null) b.firstFillTs = e.ts;
      b.entryFillTs = e.ts;
      b.entryNbbo = this.quoteOf(e.optionSymbol);
      if (b.stopSetTs === null) {
        b.stopSetTs = e.ts;
        b.stopSetNbbo = b.entryNbbo;
      }
    } else {
      b.sold += e.fillQuantity;
      b.sellProceeds += e.fillQuantity * e.fillPrice * MULTIPLIER;
      b.lastExit = e;
    }
    if (b.flatTs === null && b.bought > 0 && b.sold >= b.bought) b.flatTs = e.ts;

    const q = this.nbbo.get(e.optionSymbol);
    let intended: number | null = null;
    let decisionTs: number | null = null;
    let dBid: number | null = null;
    let dAsk: number | null = null;
    if (isEntry && b.intent) {
      intended = b.intent.limitPrice;
      decisionTs = b.intent.ts;
      dBid = b.intent.bidAtDecision;
      dAsk = b.intent.askAtDecision;
    } else if (e.leg === 'target' && b.intent) {
      intended = b.intent.takeProfit;
      decisionTs = b.entryFillTs;
      dBid = b.entryNbbo?.bid ?? null;
      dAsk = b.entryNbbo?.ask ?? null;
    } else if (e.leg === 'stop') {
      intended = b.stopPrice;
      decisionTs = b.stopSetTs;
      dBid = b.stopSetNbbo?.bid ?? null;
      dAsk = b.stopSetNbbo?.ask ?? null;
    } else if (e.leg === 'exit' && b.closing) {
      intended = b.closing.bid !== null && b.closing.bid > 0 ? b.closing.bid : null;
      decisionTs = b.closing.ts;
      dBid = b.closing.bid;
      dAsk = b.closing.ask;
    }
    const fill: MutableFill = {
      date: this.date,
      orderId: e.orderId,
      bracketId: b.id,
      leg: e.leg,
      status: e.status,
      optionSymbol: e.optionSymbol,
      side: isEntry ? 'buy' : 'sell',
      ts: e.ts,
      quantity: e.fillQuantity,
      fillPrice: e.fillPrice,
      fees: e.fees,
      intendedPrice: intended,
      decisionTs,
      bidAtDecision: dBid,
      askAtDecision: dAsk,
      bidAtFill: q?.bid ?? null,
      askAtFill: q?.ask ?? null,
      timeToFillMs: decisionTs !== null ? e.ts - decisionTs : null,
      fillRatio: orderQty ? Math.min(1, e.cumulativeQuantity / orderQty) : null,
      midAfter1s: null,
      midAfter5s: null,
      midAfter30s: null,
    };
    this.fills.push(fill);
    this.awaitingNbbo.push(fill);
    let pend = this.pending.get(e.optionSymbol);
    if (!pend) this.pending.set(e.optionSymbol, (pend = []));
    HORIZONS.forEach((h, i) => pend.push({ fill, idx: i as 0 | 1 | 2, at: e.ts + h }));
  }

  private quoteOf(symbol: string): { bid: number; ask: number } | null {
    const q = this.nbbo.get(symbol);
    return q ? { bid: q.bid, ask: q.ask } : null;
  }

  /** Fills waiting for their triggering quote: one at the fill's time sets their NBBO; any later quote ends the wait. */
  private settleFillNbbo(symbol: string, ts: number, bid: number, ask: number): void {
    let w = 0;
    for (const f of this.awaitingNbbo) {
      if (f.optionSymbol !== symbol) {
        if (ts <= f.ts) this.awaitingNbbo[w++] = f;
        continue;
      }
      if (ts <= f.ts) {
        f.bidAtFill = bid;
        f.askAtFill = ask;
      }
    }
    this.awaitingNbbo.length = w;
  }

  /** A quote at `ts` arrives: every horizon strictly before it sees the NBBO prevailing until now. */
  private resolvePending(pend: PendingMid[], ts: number): void {
    const sym = pend[0]!.fill.optionSymbol;
    const mark = this.nbbo.get(sym)?.mark ?? null;
    let w = 0;
    for (const p of pend) {
      if (ts > p.at) setMid(p, mark);
      else pend[w++] = p;
    }
    pend.length = w;
  }

  private sample(): void {
    this.sampleAll();
    this.nextBoundary += MINUTE;
  }

  private sampleAll(): void {
    const values = new Map<string, number>();
    for (const b of this.brackets.values()) {
      if (b.firstFillTs === null && b.fees === 0) continue;
      const open = b.bought - b.sold;
      const mark = open !== 0 ? (this.nbbo.get(b.symbol)?.mark ?? (b.bought ? b.buyCost / b.bought / MULTIPLIER : 0)) : 0;
      const v = b.sellProceeds - b.buyCost - b.fees + open * mark * MULTIPLIER;
      for (const g of groupsOf(b)) values.set(g, (values.get(g) ?? 0) + v);
    }
    for (const [g, v] of values) {
      let xs = this.equity.get(g);
      if (!xs) this.equity.set(g, (xs = new Array<number>(this.samples).fill(0)));
      xs.push(v);
    }
    // Groups without a value this time (none yet) stay aligned.
    for (const [g, xs] of this.equity) if (!values.has(g)) xs.push(xs.length ? xs[xs.length - 1]! : 0);
    this.samples++;
  }

  private sortedBrackets(): Bracket[] {
    return [...this.brackets.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  private tradeRow(b: Bracket): TradeRow {
    const sig = b.intent ? this.signals.get(b.intent.signalId) : undefined;
    const c = tryParseOcc(b.symbol);
    const entryPrice = b.bought ? b.buyCost / b.bought / MULTIPLIER : 0;
    const exitPrice = b.sold ? b.sellProceeds / b.sold / MULTIPLIER : 0;
    const gross = b.sellProceeds - b.buyCost;
    const net = gross - b.fees;
    const riskPerContract = b.intent ? (entryPrice - b.intent.stopPrice) * MULTIPLIER : 0;
    const risk = riskPerContract > 0 ? riskPerContract * b.bought : null;
    let exitReason: string;
    if (b.closing) exitReason = b.closing.reason;
    else if (b.lastExit?.status === 'expired') exitReason = 'expiry settlement';
    else if (b.lastExit?.leg === 'target') exitReason = 'target';
    else if (b.lastExit?.leg === 'stop') exitReason = 'stop';
    else exitReason = b.lastExit?.reason ?? b.lastExit?.leg ?? '';
    return {
      date: this.date,
      id: b.id,
      underlying: b.underlying,
      playbook: b.playbook,
      signalId: b.intent?.signalId ?? '',
      optionSymbol: b.symbol,
      right: c?.right ?? '',
      strike: c?.strike ?? null,
      expiry: b.intent?.expiry ?? '',
      quantity: b.bought,
      entryTs: b.firstFillTs!,
      exitTs: b.flatTs!,
      entryPrice,
      exitPrice,
      grossPnl: gross,
      fees: b.fees,
      netPnl: net,
      risk,
      rMultiple: risk !== null ? net / risk : null,
      entryReason: sig?.intent.reason ?? '',
      exitReason,
      pWin: sig?.intent.pWin ?? null,
      strength: sig?.intent.strength ?? null,
      features: sig?.features ?? null,
    };
  }
}

function setMid(p: PendingMid, mark: number | null): void {
  if (p.idx === 0) p.fill.midAfter1s = mark;
  else if (p.idx === 1) p.fill.midAfter5s = mark;
  else p.fill.midAfter30s = mark;
}

function groupsOf(b: { playbook: string; underlying: string }): string[] {
  return [GROUP_ALL, `playbook:${b.playbook}`, `underlying:${b.underlying}`];
}

/** `all` first, then playbooks, then underlyings, each alphabetical. */
export function sortGroups(keys: readonly string[]): string[] {
  const rank = (k: string) => (k === GROUP_ALL ? 0 : k.startsWith('playbook:') ? 1 : 2);
  return [...keys].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}
