/**
 * SimBroker: the broker port for replay and paper, filling against the recorded (or live) option NBBO in event
 * time. No wall clock, no timers: everything happens inside `onMarket(ev)`, and every report is stamped with the
 * `ts` of the market event that caused it. Same events + same calls → same reports (deterministic).
 *
 * Fill model (conservative on purpose — a backtest that fills better than the market is worse than useless):
 *   - Latency: an order, a modification or a cancel sent at event time T reaches the market at T + latencyMs. An
 *     order fills only on option quotes that arrive after it was sent (later in the stream) AND carry
 *     ts ≥ T + latency, so it can never fill on the quote that triggered it. A quote standing when the order
 *     arrives is not re-read: the next quote update is needed (0DTE index quotes update many times a second).
 *   - Buy limit: fills when ask ≤ limit, AT THE ASK (never better than the touch), up to the displayed ask size;
 *     the rest keeps working. Sell limit: mirror on the bid. Displayed size is consumed across all our orders on
 *     the same quote, so together they never take more than is shown.
 *   - Sell stop: triggers when bid ≤ stop. Stops are held by the broker by default (`stopHeldByBroker`), so the
 *     resulting market order reaches the exchange `latencyMs` after the trigger and then fills at the bid of each
 *     later quote, up to bid size, whatever the price (a stop is a market order once triggered).
 *   - No fills on crossed (bid > ask), one-sided or zero quotes, or on quotes older than `staleQuoteMs` relative
 *     to the newest event time seen (paper mode merges sockets in arrival order, so a late quote can be old).
 *   - Fees per fill: contracts × (perContract + indexOptionFeePerContract for SPX/SPXW/NDX/NDXP). See omsConfig.
 *
 * OTOCO as Tradier (spec §4.2): the entry (buy_to_open limit) is working; the take-profit (sell limit) and the stop
 * are `pending` until the entry fills. Decisions where Tradier's docs are silent, written down here:
 *   - Partial entry fills: the OCO activates on the first entry fill, and both OCO legs always cover exactly the
 *     open contracts (entry filled − exit filled); their quantities grow with further entry fills. A partial fill
 *     of one OCO leg shrinks its sibling; the sibling is cancelled ("OCO: sibling filled") once the position is
 *     flat and the entry is done. Cancelling the entry after a partial fill leaves the OCO on the filled part.
 *   - OCO activation goes through the same latency as an order; with `cancelOcoWhenStopAtOrAboveBid` a stop at or
 *     above the bid on the OCO's first live quote cancels both OCO legs (Tradier practice).
 *   - Cancelling the parent id cancels every non-final leg; cancelling one leg id cancels only that leg.
 *   - Modifying a sell stop to at or above the current bid is rejected (it would trigger at once).
 *   - `closePosition` is rejected when the quantity exceeds the position not already committed to working sells
 *     (the OCO counts for the open contracts): cancel the bracket first.
 *   - All orders are `day` orders: legs still working at the session close (16:00 ET, 13:00 on early closes,
 *     from the NYSE calendar) expire.
 * Expiry: at the contract's expiry instant (the close for PM-settled, the open for AM-settled) open positions
 * settle at intrinsic from the last underlying price seen BEFORE the event that crosses the instant: the index
 * value (IndexValue I:SPX / I:NDX) for the cash-settled roots, the last eligible trade (else the quote mid) for
 * SPY/QQQ, which are physically settled: an ITM long is exercised (shares at the strike) and booked here at
 * intrinsic; an OTM one expires worthless. Each produces an ExecutionReport (leg 'exit', status 'expired') saying
 * which. AM-settled monthlies use the last value seen before the open, an approximation of the opening SOQ.
 * Settlement carries no fees (assumption).
 */
import { Subject, type Observable } from 'rxjs';
import { nextTradingDay, sessionFor } from '../../domain/calendar.js';
import type { MarketEvent, OptionQuote } from '../../domain/events.js';
import { ROOT_INFO, UNDERLYING_INFO, isOnTick, isOptionRoot, parseOcc, MULTIPLIER, type OptionContract, type OptionRoot, type Underlying } from '../../domain/instruments.js';
import type { BracketLeg, ExecutionReport, OrderIntent, OrderStatus } from '../../domain/orders.js';
import { toNy } from '../../domain/time.js';
import { expiryInstantMs } from '../../quant/options/yearFraction.js';
import type {
  BrokerBalances,
  BrokerLeg,
  BrokerOrder,
  BrokerPort,
  BrokerPosition,
  CancelResult,
  ModifyResult,
  SubmitResult,
} from './BrokerPort.js';
import type { OmsConfig } from './omsConfig.js';
import type { MarketDrivenBroker, SyncBrokerCalls } from './syncBroker.js';

export type SimBrokerConfig = OmsConfig['sim'];

const FINAL: ReadonlySet<OrderStatus> = new Set(['filled', 'cancelled', 'rejected', 'expired']);
const TAG_RE = /^[A-Za-z0-9-]{1,255}$/;

interface SimLeg {
  readonly id: string;
  readonly leg: BracketLeg;
  readonly side: 'buy_to_open' | 'sell_to_close';
  readonly type: 'limit' | 'stop';
  quantity: number;
  price: number | null;
  stop: number | null;
  status: OrderStatus;
  execQuantity: number;
  avgFillPrice: number;
  /** Event time from which the leg (or its triggered stop) may fill. */
  activeAt: number;
  /** Stream position at which it was sent: only later quotes can fill it. */
  activeSeq: number;
  /** OCO legs: has the first live quote been checked (stop vs bid)? */
  armed: boolean;
  triggered: boolean;
  /** Day-order expiry (session close). */
  readonly expiresAt: number;
}

interface SimOrder {
  readonly id: string;
  readonly tag: string;
  readonly kind: 'otoco' | 'exit';
  readonly optionSymbol: string;
  readonly contract: OptionContract;
  readonly root: OptionRoot;
  readonly underlying: Underlying;
  /** otoco: [entry, target, stop]; exit: [exit]. */
  readonly legs: SimLeg[];
}

interface Lot {
  readonly tag: string;
  readonly parentId: string;
  readonly optionSymbol: string;
  readonly contract: OptionContract;
  readonly root: OptionRoot;
  readonly underlying: Underlying;
  readonly expiryAt: number;
  qty: number;
  /** Cost basis of the open contracts, dollars. */
  cost: number;
}

type PendingAction =
  | { readonly kind: 'cancel'; readonly at: number; readonly order: SimOrder; readonly legs: readonly SimLeg[] }
  | { readonly kind: 'modify'; readonly at: number; readonly leg: SimLeg; readonly price?: number; readonly stop?: number };

export class SimBroker implements BrokerPort, MarketDrivenBroker, SyncBrokerCalls {
  readonly name = 'sim';
  readonly reports$: Observable<ExecutionReport>;

  private readonly subject = new Subject<ExecutionReport>();
  private readonly cfg: SimBrokerConfig;
  /** Newest event time seen (−∞ before the first event). */
  private now = Number.NEGATIVE_INFINITY;
  /** Position of the current event in the stream. */
  private seq = 0;
  private nextId = 1;
  private readonly orders: SimOrder[] = [];
  private readonly orderById = new Map<string, SimOrder>();
  private readonly legById = new Map<string, { order: SimOrder; leg: SimLeg }>();
  private readonly quotes = new Map<string, OptionQuote>();
  private readonly indexValue = new Map<Underlying, number>();
  private readonly lastTrade = new Map<Underlying, number>();
  private readonly lastMid = new Map<Underlying, number>();
  private lots: Lot[] = [];
  private pending: PendingAction[] = [];
  private cash: number;
  /** Earliest leg expiry / settlement instant still ahead (skip the scan until then). */
  private deadline = Number.POSITIVE_INFINITY;
  /** Reports produced while handling the current event; emitted once its state is consistent. */
  private out: ExecutionReport[] = [];

  constructor(config: SimBrokerConfig) {
    this.cfg = config;
    this.cash = config.startingCash;
    this.reports$ = this.subject.asObservable();
  }

  // ---------------------------------------------------------------------------------------------- market

  onMarket(ev: MarketEvent): void {
    if (!Number.isFinite(ev.ts)) throw new Error(`SimBroker: non-finite event time on ${ev.type}`);
    if (ev.ts > this.now) this.now = ev.ts;
    this.seq++;
    const ts = ev.ts;
    if (this.pending.length > 0) this.applyDueActions(ts);
    if (this.now >= this.deadline) this.processDeadlines(ts);
    switch (ev.type) {
      case 'OptionQuote':
        this.quotes.set(ev.symbol, ev);
        this.fillOn(ev);
        break;
      case 'IndexValue':
        if (ev.symbol === 'I:SPX') this.indexValue.set('SPX', ev.value);
        else if (ev.symbol === 'I:NDX') this.indexValue.set('NDX', ev.value);
        break;
      case 'Trade':
        if (ev.eligible && (ev.symbol === 'SPY' || ev.symbol === 'QQQ')) this.lastTrade.set(ev.symbol, ev.price);
        break;
      case 'Quote':
        if ((ev.symbol === 'SPY' || ev.symbol === 'QQQ') && ev.bid > 0 && ev.ask > 0 && ev.bid <= ev.ask) {
          this.lastMid.set(ev.symbol, (ev.bid + ev.ask) / 2);
        }
        break;
      case 'Bar':
      case 'OptionTrade':
      case 'ChainSnapshot':
      case 'Heartbeat':
      case 'Timer':
        break;
      default: {
        const never: never = ev;
        throw new Error(`SimBroker: unhandled market event ${JSON.stringify(never)}`);
      }
    }
    this.flush();
  }

  // ---------------------------------------------------------------------------------------------- port (async)

  submitBracket(intent: OrderIntent): Promise<SubmitResult> {
    return Promise.resolve(this.submitBracketSync(intent));
  }
  modifyLeg(legId: string, change: { readonly price?: number; readonly stop?: number }): Promise<ModifyResult> {
    return Promise.resolve(this.modifyLegSync(legId, change));
  }
  cancel(brokerOrderId: string): Promise<CancelResult> {
    return Promise.resolve(this.cancelSync(brokerOrderId));
  }
  closePosition(optionSymbol: string, quantity: number, limitPrice: number, tag: string): Promise<SubmitResult> {
    return Promise.resolve(this.closePositionSync(optionSymbol, quantity, limitPrice, tag));
  }
  listOrders(): Promise<readonly BrokerOrder[]> {
    return Promise.resolve(this.listOrdersSync());
  }
  findByTag(tag: string): Promise<BrokerOrder | null> {
    return Promise.resolve(this.findByTagSync(tag));
  }
  positions(): Promise<readonly BrokerPosition[]> {
    return Promise.resolve(this.positionsSync());
  }
  balances(): Promise<BrokerBalances> {
    return Promise.resolve(this.balancesSync());
  }

  // ---------------------------------------------------------------------------------------------- port (sync)

  submitBracketSync(intent: OrderIntent): SubmitResult {
    const t = this.clock(intent.ts);
    const c = this.contractOf(intent.optionSymbol);
    if (!c) return reject(`not a tradable option symbol: ${intent.optionSymbol}`);
    if (c.root !== intent.root) return reject(`root ${intent.root} does not match ${intent.optionSymbol}`);
    if (intent.side !== 'buy_to_open') return reject('bracket entry must be buy_to_open');
    if (!Number.isInteger(intent.quantity) || intent.quantity < 1) return reject(`quantity must be a whole number ≥ 1, got ${intent.quantity}`);
    if (!TAG_RE.test(intent.id)) return reject(`tag must be letters, digits or '-' (≤255): ${JSON.stringify(intent.id)}`);
    for (const [what, p] of [['price', intent.limitPrice], ['take-profit', intent.takeProfit], ['stop', intent.stopPrice]] as const) {
      if (!(Number.isFinite(p) && p > 0)) return reject(`${what} must be > 0, got ${p}`);
      if (!isOnTick(c.root, p)) return reject(`${what} ${p} is not on the ${c.root} tick grid`);
    }
    if (!(intent.stopPrice < intent.takeProfit)) return reject(`stop ${intent.stopPrice} must be below take-profit ${intent.takeProfit}`);
    const expiryAt = expiryInstantMs(c.contract.expiry, ROOT_INFO[c.root].settlement);
    if (t >= expiryAt) return reject(`${intent.optionSymbol} has expired`);
    const need = intent.limitPrice * intent.quantity * MULTIPLIER + this.feeFor(c.root, intent.quantity);
    if (need > this.cash + 1e-9) return reject(`insufficient buying power: need ${need.toFixed(2)}, cash ${this.cash.toFixed(2)}`);

    const expiresAt = this.dayOrderExpiry(t);
    const id = this.newId();
    const mk = (leg: BracketLeg, type: 'limit' | 'stop', side: SimLeg['side'], price: number | null, stop: number | null, status: OrderStatus): SimLeg => ({
      id: this.newId(),
      leg,
      side,
      type,
      quantity: intent.quantity,
      price,
      stop,
      status,
      execQuantity: 0,
      avgFillPrice: 0,
      activeAt: t + this.cfg.latencyMs,
      activeSeq: this.seq,
      armed: false,
      triggered: false,
      expiresAt,
    });
    const entry = mk('entry', 'limit', 'buy_to_open', intent.limitPrice, null, 'working');
    const target = mk('target', 'limit', 'sell_to_close', intent.takeProfit, null, 'pending');
    const stop = mk('stop', 'stop', 'sell_to_close', null, intent.stopPrice, 'pending');
    const order: SimOrder = { id, tag: intent.id, kind: 'otoco', optionSymbol: intent.optionSymbol, ...c, legs: [entry, target, stop] };
    this.addOrder(order);
    return { kind: 'accepted', brokerOrderId: id, legIds: { entry: entry.id, target: target.id, stop: stop.id } };
  }

  modifyLegSync(legId: string, change: { readonly price?: number; readonly stop?: number }): ModifyResult {
    const hit = this.legById.get(legId);
    if (!hit) return { kind: 'rejected', reason: `no such order leg ${legId}` };
    const { order, leg } = hit;
    if (FINAL.has(leg.status)) return { kind: 'rejected', reason: `order already in finalized state (${leg.status})` };
    if (leg.type === 'limit' && change.stop !== undefined) return { kind: 'rejected', reason: 'a limit leg has no stop price' };
    if (leg.type === 'stop' && change.price !== undefined) return { kind: 'rejected', reason: 'a stop leg has no limit price' };
    const p = change.price ?? change.stop;
    if (p === undefined) return { kind: 'rejected', reason: 'nothing to change' };
    if (!(Number.isFinite(p) && p > 0) || !isOnTick(order.root, p)) return { kind: 'rejected', reason: `price ${p} is not a valid ${order.root} price` };
    if (change.stop !== undefined) {
      if (leg.triggered) return { kind: 'rejected', reason: 'stop already triggered' };
      const q = this.quotes.get(order.optionSymbol);
      if (q && q.bid > 0 && change.stop >= q.bid) return { kind: 'rejected', reason: `sell stop ${change.stop} must be below the bid ${q.bid}` };
      const target = order.kind === 'otoco' ? order.legs[1] : undefined;
      if (target?.price != null && !FINAL.has(target.status) && change.stop >= target.price) {
        return { kind: 'rejected', reason: `stop ${change.stop} must be below the take-profit ${target.price}` };
      }
    }
    this.pending.push({ kind: 'modify', at: this.clock(0) + this.cfg.latencyMs, leg, ...change });
    return { kind: 'ok' };
  }

  cancelSync(brokerOrderId: string): CancelResult {
    const order = this.orderById.get(brokerOrderId);
    if (order) {
      const live = order.legs.filter((l) => !FINAL.has(l.status));
      if (live.length === 0) return { kind: 'already-final', status: orderStatus(order) };
      this.pending.push({ kind: 'cancel', at: this.clock(0) + this.cfg.latencyMs, order, legs: live });
      return { kind: 'ok' };
    }
    const hit = this.legById.get(brokerOrderId);
    if (!hit) return { kind: 'rejected', reason: `no such order ${brokerOrderId}` };
    if (FINAL.has(hit.leg.status)) return { kind: 'already-final', status: hit.leg.status };
    this.pending.push({ kind: 'cancel', at: this.clock(0) + this.cfg.latencyMs, order: hit.order, legs: [hit.leg] });
    return { kind: 'ok' };
  }

  closePositionSync(optionSymbol: string, quantity: number, limitPrice: number, tag: string): SubmitResult {
    const t = this.clock(0);
    const c = this.contractOf(optionSymbol);
    if (!c) return reject(`not a tradable option symbol: ${optionSymbol}`);
    if (!Number.isInteger(quantity) || quantity < 1) return reject(`quantity must be a whole number ≥ 1, got ${quantity}`);
    if (!TAG_RE.test(tag)) return reject(`tag must be letters, digits or '-' (≤255): ${JSON.stringify(tag)}`);
    if (!(Number.isFinite(limitPrice) && limitPrice > 0) || !isOnTick(c.root, limitPrice)) return reject(`limit ${limitPrice} is not a valid ${c.root} price`);
    const held = this.positionQty(optionSymbol);
    const free = held - this.committedSells(optionSymbol);
    if (quantity > free) {
      return reject(`sell_to_close ${quantity} exceeds the free position (${held} held, ${held - free} committed to working orders)`);
    }
    const id = this.newId();
    const leg: SimLeg = {
      id: this.newId(),
      leg: 'exit',
      side: 'sell_to_close',
      type: 'limit',
      quantity,
      price: limitPrice,
      stop: null,
      status: 'working',
      execQuantity: 0,
      avgFillPrice: 0,
      activeAt: t + this.cfg.latencyMs,
      activeSeq: this.seq,
      armed: true,
      triggered: false,
      expiresAt: this.dayOrderExpiry(t),
    };
    this.addOrder({ id, tag, kind: 'exit', optionSymbol, ...c, legs: [leg] });
    // An exit is a single order: its one leg id is the order id's leg; all three ids name it for port symmetry.
    return { kind: 'accepted', brokerOrderId: id, legIds: { entry: leg.id, target: leg.id, stop: leg.id } };
  }

  listOrdersSync(): readonly BrokerOrder[] {
    return this.orders.map(toBrokerOrder);
  }

  findByTagSync(tag: string): BrokerOrder | null {
    for (let i = this.orders.length - 1; i >= 0; i--) {
      const o = this.orders[i];
      if (o && o.tag === tag) return toBrokerOrder(o);
    }
    return null;
  }

  positionsSync(): readonly BrokerPosition[] {
    const by = new Map<string, { quantity: number; costBasis: number }>();
    for (const l of this.lots) {
      if (l.qty <= 0) continue;
      const p = by.get(l.optionSymbol) ?? { quantity: 0, costBasis: 0 };
      p.quantity += l.qty;
      p.costBasis += l.cost;
      by.set(l.optionSymbol, p);
    }
    return [...by].map(([optionSymbol, p]) => ({ optionSymbol, quantity: p.quantity, costBasis: round2(p.costBasis) }));
  }

  balancesSync(): BrokerBalances {
    let marks = 0;
    for (const l of this.lots) {
      const q = this.quotes.get(l.optionSymbol);
      const mid = q && q.bid > 0 && q.ask > 0 ? (q.bid + q.ask) / 2 : q?.bid ?? 0;
      marks += mid * l.qty * MULTIPLIER;
    }
    return { cash: round2(this.cash), optionBuyingPower: round2(this.cash), equity: round2(this.cash + marks) };
  }

  // ---------------------------------------------------------------------------------------------- internals

  private clock(fallback: number): number {
    return Number.isFinite(this.now) ? this.now : fallback;
  }

  private newId(): string {
    return String(this.nextId++);
  }

  private contractOf(symbol: string): { contract: OptionContract; root: OptionRoot; underlying: Underlying } | null {
    let contract: OptionContract;
    try {
      contract = parseOcc(symbol);
    } catch {
      return null;
    }
    if (!isOptionRoot(contract.root)) return null;
    return { contract, root: contract.root, underlying: ROOT_INFO[contract.root].underlying };
  }

  private feeFor(root: OptionRoot, qty: number): number {
    const index = UNDERLYING_INFO[ROOT_INFO[root].underlying].isIndex;
    return qty * (this.cfg.fees.perContract + (index ? this.cfg.fees.indexOptionFeePerContract : 0));
  }

  /** Close of the session a day order sent at `t` belongs to (the next session when sent after the close). */
  private dayOrderExpiry(t: number): number {
    let date = toNy(t).date;
    for (let i = 0; i < 15; i++) {
      const s = sessionFor(date);
      if (s && t < s.close) return s.close;
      date = nextTradingDay(date);
    }
    throw new Error(`SimBroker: no session close found after ${t}`);
  }

  private addOrder(o: SimOrder): void {
    this.orders.push(o);
    this.orderById.set(o.id, o);
    for (const leg of o.legs) {
      this.legById.set(leg.id, { order: o, leg });
      if (leg.expiresAt < this.deadline) this.deadline = leg.expiresAt;
    }
  }

  private positionQty(symbol: string): number {
    let n = 0;
    for (const l of this.lots) if (l.optionSymbol === symbol) n += l.qty;
    return n;
  }

  /** Contracts of `symbol` that working sells could still take. */
  private committedSells(symbol: string): number {
    let n = 0;
    for (const o of this.orders) {
      if (o.optionSymbol !== symbol) continue;
      if (o.kind === 'exit') {
        const l = o.legs[0];
        if (l && !FINAL.has(l.status)) n += l.quantity - l.execQuantity;
      } else {
        const [e, t, s] = o.legs as [SimLeg, SimLeg, SimLeg];
        const ocoLive = (t.status !== 'pending' && !FINAL.has(t.status)) || (s.status !== 'pending' && !FINAL.has(s.status));
        if (ocoLive) n += e.execQuantity - t.execQuantity - s.execQuantity;
      }
    }
    return n;
  }

  private report(ts: number, o: SimOrder, leg: SimLeg, status: OrderStatus, fillQty: number, fillPrice: number, fees: number, reason?: string): void {
    const r: ExecutionReport = {
      type: 'ExecutionReport',
      ts,
      orderId: o.tag,
      brokerOrderId: o.id,
      leg: leg.leg,
      optionSymbol: o.optionSymbol,
      status,
      fillQuantity: fillQty,
      fillPrice,
      cumulativeQuantity: leg.execQuantity,
      avgFillPrice: leg.avgFillPrice,
      fees: round2(fees),
      ...(reason !== undefined ? { reason } : {}),
    };
    this.out.push(r);
  }

  private flush(): void {
    if (this.out.length === 0) return;
    const batch = this.out;
    this.out = [];
    for (const r of batch) this.subject.next(r);
  }

  private applyDueActions(ts: number): void {
    const keep: PendingAction[] = [];
    const due: PendingAction[] = [];
    for (const a of this.pending) (a.at <= this.now ? due : keep).push(a);
    this.pending = keep;
    for (const a of due) {
      if (a.kind === 'modify') {
        if (FINAL.has(a.leg.status)) continue;
        if (a.price !== undefined) a.leg.price = a.price;
        if (a.stop !== undefined && !a.leg.triggered) a.leg.stop = a.stop;
        continue;
      }
      for (const leg of a.legs) {
        if (FINAL.has(leg.status)) continue;
        leg.status = 'cancelled';
        this.report(ts, a.order, leg, 'cancelled', 0, 0, 0, 'cancelled by client');
      }
      if (a.order.kind === 'otoco') this.settleOco(ts, a.order, 'entry cancelled before any fill');
    }
  }

  private processDeadlines(ts: number): void {
    // Day orders first: nothing may fill at or after the close, and settlement must see the final legs.
    for (const o of this.orders) {
      for (const leg of o.legs) {
        if (!FINAL.has(leg.status) && leg.expiresAt <= this.now) {
          leg.status = 'expired';
          this.report(ts, o, leg, 'expired', 0, 0, 0, 'day order expired at the close');
        }
      }
    }
    const remaining: Lot[] = [];
    for (const lot of this.lots) {
      if (lot.qty > 0 && lot.expiryAt <= this.now) this.settle(ts, lot);
      else if (lot.qty > 0) remaining.push(lot);
    }
    this.lots = remaining;
    this.recomputeDeadline();
  }

  private recomputeDeadline(): void {
    let d = Number.POSITIVE_INFINITY;
    for (const o of this.orders) for (const l of o.legs) if (!FINAL.has(l.status) && l.expiresAt < d) d = l.expiresAt;
    for (const l of this.lots) if (l.expiryAt < d) d = l.expiryAt;
    this.deadline = d;
  }

  private settle(ts: number, lot: Lot): void {
    const cashSettled = ROOT_INFO[lot.root].cashSettled;
    const und = lot.underlying;
    const spot = cashSettled ? this.indexValue.get(und) : this.lastTrade.get(und) ?? this.lastMid.get(und);
    const { strike, right } = lot.contract;
    const o = this.orderById.get(lot.parentId);
    let intrinsic = 0;
    let reason: string;
    if (spot === undefined) {
      reason = `expired: no ${UNDERLYING_INFO[und].ticker} price seen before the expiry instant; booked at 0 — check the position`;
    } else {
      intrinsic = Math.max(0, round2(right === 'C' ? spot - strike : strike - spot));
      const px = `${UNDERLYING_INFO[und].ticker} ${spot}`;
      if (cashSettled) reason = `cash-settled at intrinsic ${intrinsic.toFixed(2)} from the index close (${px})`;
      else if (intrinsic > 0) {
        reason = `exercised at intrinsic ${intrinsic.toFixed(2)} (${px}): physically settled, ${lot.qty * MULTIPLIER} shares at strike ${strike}, booked at intrinsic`;
      } else reason = `expired worthless (${px}, strike ${strike})`;
    }
    this.cash += intrinsic * lot.qty * MULTIPLIER;
    const qty = lot.qty;
    lot.qty = 0;
    lot.cost = 0;
    const r: ExecutionReport = {
      type: 'ExecutionReport',
      ts,
      orderId: lot.tag,
      brokerOrderId: o?.id ?? lot.parentId,
      leg: 'exit',
      optionSymbol: lot.optionSymbol,
      status: 'expired',
      fillQuantity: qty,
      fillPrice: intrinsic,
      cumulativeQuantity: qty,
      avgFillPrice: intrinsic,
      fees: 0,
      reason,
    };
    this.out.push(r);
  }

  private fillOn(q: OptionQuote): void {
    if (!(q.bid > 0 && q.ask > 0) || q.bid > q.ask) return;
    if (this.now - q.ts > this.cfg.staleQuoteMs) return;
    const book = { ask: q.askSize, bid: q.bidSize };
    for (const o of this.orders) {
      if (o.optionSymbol !== q.symbol) continue;
      for (const leg of o.legs) {
        if (leg.status === 'pending' || FINAL.has(leg.status)) continue;
        if (q.ts < leg.activeAt || this.seq <= leg.activeSeq) continue;
        this.tryFill(q, o, leg, book);
      }
    }
  }

  private tryFill(q: OptionQuote, o: SimOrder, leg: SimLeg, book: { ask: number; bid: number }): void {
    const remaining = leg.quantity - leg.execQuantity;
    if (remaining <= 0) return;
    if (leg.type === 'stop') {
      if (!leg.armed) {
        leg.armed = true;
        if (this.cfg.cancelOcoWhenStopAtOrAboveBid && leg.stop !== null && q.bid <= leg.stop) {
          const why = `OCO cancelled: stop ${leg.stop} at or above the bid ${q.bid} when it became active`;
          for (const l of o.legs.slice(1)) {
            if (FINAL.has(l.status)) continue;
            l.status = 'cancelled';
            this.report(q.ts, o, l, 'cancelled', 0, 0, 0, why);
          }
          return;
        }
      }
      if (!leg.triggered) {
        if (leg.stop === null || q.bid > leg.stop) return;
        leg.triggered = true;
        if (this.cfg.stopHeldByBroker) {
          leg.activeAt = q.ts + this.cfg.latencyMs;
          leg.activeSeq = this.seq;
          return;
        }
      }
      if (book.bid <= 0) return;
      const n = Math.min(remaining, book.bid);
      book.bid -= n;
      this.fill(q.ts, o, leg, n, q.bid);
      return;
    }
    if (leg.side === 'buy_to_open') {
      if (leg.price === null || q.ask > leg.price || book.ask <= 0) return;
      const n = Math.min(remaining, book.ask);
      book.ask -= n;
      this.fill(q.ts, o, leg, n, q.ask);
      return;
    }
    leg.armed = true;
    if (leg.price === null || q.bid < leg.price || book.bid <= 0) return;
    const n = Math.min(remaining, book.bid);
    book.bid -= n;
    this.fill(q.ts, o, leg, n, q.bid);
  }

  private fill(ts: number, o: SimOrder, leg: SimLeg, n: number, price: number): void {
    const fees = this.feeFor(o.root, n);
    leg.avgFillPrice = (leg.avgFillPrice * leg.execQuantity + price * n) / (leg.execQuantity + n);
    leg.execQuantity += n;
    if (leg.side === 'buy_to_open') {
      this.cash -= price * n * MULTIPLIER + fees;
      let lot = this.lots.find((l) => l.tag === o.tag && l.optionSymbol === o.optionSymbol);
      if (!lot) {
        const expiryAt = expiryInstantMs(o.contract.expiry, ROOT_INFO[o.root].settlement);
        lot = { tag: o.tag, parentId: o.id, optionSymbol: o.optionSymbol, contract: o.contract, root: o.root, underlying: o.underlying, expiryAt, qty: 0, cost: 0 };
        this.lots.push(lot);
        if (expiryAt < this.deadline) this.deadline = expiryAt;
      }
      lot.qty += n;
      lot.cost += price * n * MULTIPLIER;
    } else {
      this.cash += price * n * MULTIPLIER - fees;
      this.reduceLots(o, n);
    }
    if (o.kind === 'exit') {
      leg.status = leg.execQuantity >= leg.quantity ? 'filled' : 'partially_filled';
      this.report(ts, o, leg, leg.status, n, price, fees);
      return;
    }
    const [entry, target, stop] = o.legs as [SimLeg, SimLeg, SimLeg];
    if (leg === entry) {
      entry.status = entry.execQuantity >= entry.quantity ? 'filled' : 'partially_filled';
      for (const l of [target, stop]) {
        if (l.status === 'pending') {
          l.status = 'working';
          l.activeAt = this.now + this.cfg.latencyMs;
          l.activeSeq = this.seq;
        }
      }
      this.sizeOco(o);
      this.report(ts, o, leg, entry.status, n, price, fees);
    } else {
      this.sizeOco(o);
      const entryDone = FINAL.has(entry.status);
      leg.status = entryDone && leg.execQuantity >= leg.quantity ? 'filled' : 'partially_filled';
      this.report(ts, o, leg, leg.status, n, price, fees);
    }
    this.settleOco(ts, o, 'OCO: sibling filled');
  }

  private reduceLots(o: SimOrder, n: number): void {
    let left = n;
    const own = this.lots.filter((l) => l.optionSymbol === o.optionSymbol && l.tag === o.tag);
    const others = this.lots.filter((l) => l.optionSymbol === o.optionSymbol && l.tag !== o.tag);
    for (const l of [...own, ...others]) {
      if (left <= 0) break;
      const k = Math.min(l.qty, left);
      if (k <= 0) continue;
      l.cost -= (l.cost / l.qty) * k;
      l.qty -= k;
      left -= k;
    }
    this.lots = this.lots.filter((l) => l.qty > 0);
    if (left > 0) throw new Error(`SimBroker: sold ${n} ${o.optionSymbol} with only ${n - left} held (broken invariant)`);
  }

  /** OCO legs cover exactly the open contracts (entry filled − OCO filled). */
  private sizeOco(o: SimOrder): void {
    const [entry, target, stop] = o.legs as [SimLeg, SimLeg, SimLeg];
    const open = entry.execQuantity - target.execQuantity - stop.execQuantity;
    for (const l of [target, stop]) if (!FINAL.has(l.status) && l.status !== 'pending') l.quantity = l.execQuantity + open;
  }

  /** Once the entry is final: nothing open → finish the OCO; entry cancelled with no fill → cancel the OCO. */
  private settleOco(ts: number, o: SimOrder, reason: string): void {
    const [entry, target, stop] = o.legs as [SimLeg, SimLeg, SimLeg];
    if (!FINAL.has(entry.status)) return;
    const open = entry.execQuantity - target.execQuantity - stop.execQuantity;
    if (open > 0) return;
    const why = entry.execQuantity === 0 ? reason : 'OCO: sibling filled';
    for (const l of [target, stop]) {
      if (FINAL.has(l.status)) continue;
      if (l.execQuantity > 0 && l.execQuantity >= l.quantity) {
        l.status = 'filled';
        this.report(ts, o, l, 'filled', 0, 0, 0, 'OCO: position closed');
      } else {
        l.status = 'cancelled';
        this.report(ts, o, l, 'cancelled', 0, 0, 0, why);
      }
    }
  }
}

function reject(reason: string): SubmitResult {
  return { kind: 'rejected', reason };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function orderStatus(o: SimOrder): OrderStatus {
  const legs = o.legs;
  const first = legs[0];
  if (!first) return 'rejected';
  if (o.kind === 'exit') return first.status;
  if (legs.every((l) => FINAL.has(l.status))) {
    if (first.execQuantity > 0) return 'filled';
    return first.status;
  }
  // Parent of a live OTOCO: Tradier shows it open while any leg works; partially_filled while the entry is.
  return first.status === 'partially_filled' ? 'partially_filled' : 'working';
}

function toBrokerOrder(o: SimOrder): BrokerOrder {
  const legs: BrokerLeg[] = o.legs.map((l) => ({
    id: l.id,
    leg: l.leg,
    optionSymbol: o.optionSymbol,
    side: l.side,
    type: l.type,
    quantity: l.quantity,
    price: l.price,
    stop: l.stop,
    status: l.status,
    execQuantity: l.execQuantity,
    avgFillPrice: l.avgFillPrice,
  }));
  return { brokerOrderId: o.id, tag: o.tag, status: orderStatus(o), legs };
}
