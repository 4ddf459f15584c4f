/**
 * OrderManager: one state machine per bracket (an OTOCO at the broker), driving any BrokerPort.
 *
 * Inputs (called by the `oms` operator, in stream order): `onIntent` (OrderIntent), `onCommand` (CancelAllOrders,
 * FlattenAll), `onMarket` (every MarketEvent), `onReport` (broker ExecutionReports). Outputs through `emit`:
 * validated ExecutionReports (duplicates and overfills are not passed on), BracketUpdate, StopAdjusted, OmsError,
 * BrokerPositions (after a FlattenAll completes), BrokerState (broker call failures / recovery).
 *
 * Bracket states: pending → working → partially_filled → filled → closed, or cancelled / rejected / expired /
 * unknown (see omsEvents.ts). One non-terminal bracket per underlying; intents beyond that are rejected.
 *   - Reports are applied by cumulative quantity per leg (Tradier gives cumulative exec_quantity): a report not
 *     advancing a leg is a duplicate and dropped; one that would take the entry beyond the intent's quantity, or the
 *     exits beyond the entry fills, is an overfill: an OmsError, not applied, not passed on.
 *   - `unknown` submission (answer lost): looked up with `findByTag` every `unknown.lookupIntervalMs`; adopted if
 *     found; rejected locally only after `unknown.minLookups` not-found answers spanning `unknown.graceMs`. Never
 *     resubmitted.
 * Stops synced to the underlying: the intent's `underlyingStop`/`underlyingTarget` are underlying levels. The
 * underlying price is IndexValue for SPX/NDX, eligible trades and NBBO mid for SPY/QQQ. While the position is open,
 * on each underlying price the trailing level is updated and the stop-level crossing checked; on each quote of the
 * contract (paired with the latest underlying price, so a fresh index level is never priced against a stale option
 * quote)
 *   - the option stop is re-derived as the option's predicted bid at the underlying stop level, by a second-order
 *     Taylor step from the current option bid: stop ≈ bid + δ·ΔS + ½γ·ΔS², ΔS = underlyingStop − S, with δ, γ
 *     from Black-Scholes at the IV implied by the current option mid (rate from config, no dividend yield). It
 *     moves both ways with the underlying and with time decay (the level that matters is the underlying's), and is
 *     capped a tick under the bid (a sell stop at or above the bid would trigger at once);
 *   - break-even: once the underlying has covered `breakEven.triggerFraction` of entry→target, the stop is never
 *     below the entry average + `offsetTicks` ticks; trailing: past `trailing.activationFraction`, the underlying
 *     stop ratchets to best − giveBack·(best − entry level);
 *   - the stop leg is modified when the new stop differs by ≥ `stopSync.minTickChange` ticks, at most once per
 *     `stopSync.minIntervalMs` of event time, one modification in flight at a time;
 *   - if the underlying crosses its stop level before the option stop triggers, the bracket is closed with a
 *     marketable exit. So is it at `timeStop`.
 * Closing (underlying stop, time stop, FlattenAll, protective legs cancelled by the broker): cancel the bracket at
 * the broker; once every leg is final, send `closePosition` for the open contracts as a sell limit
 * `exits.slippageTicks` under the bid (marketable), re-priced every `exits.repriceMs` while it works (at once when
 * the bid falls below its limit). Cancelling
 * first means the OCO and the exit can never both sell the same contracts.
 * CancelAllOrders cancels every working bracket leg and exit; positions stay, and the underlying stop and time stop
 * keep watching them (exits always work).
 *
 * Async broker calls and determinism: with a broker that offers `SyncBrokerCalls` (SimBroker) every call's result
 * is applied immediately, in the same step as the call. Otherwise each call's promise is chained behind the
 * previous call's, so results are applied in submission order, each routed back through `defer` (the operator's
 * input queue) and stamped with the OMS's event time at that point. Time is event time only (`now` = newest ts).
 * Journal: intents, commands and every call are appended before the call; results and reports after.
 */
import type { MarketEvent, OptionQuote } from '../../domain/events.js';
import { ROOT_INFO, parseOcc, roundToTick, tickSize, type OptionContract, type OptionRoot, type Underlying } from '../../domain/instruments.js';
import { exitOrderId, parseExitOrderId, type ExecutionReport, type OrderIntent, type OrderStatus } from '../../domain/orders.js';
import { bsGreeks } from '../../quant/options/blackScholes.js';
import { impliedVol } from '../../quant/options/impliedVol.js';
import { yearFraction } from '../../quant/options/yearFraction.js';
import type { BrokerOrder, BrokerPort, BrokerPosition, CancelResult, ModifyResult, SubmitResult } from './BrokerPort.js';
import type { BrokerCallName, Journal } from './journal.js';
import type { OmsConfig } from './omsConfig.js';
import { TERMINAL_BRACKET_STATES, type BracketState, type OmsCommand, type OmsOutput, type StopAdjusted } from './omsEvents.js';
import { hasSyncCalls, type SyncBrokerCalls } from './syncBroker.js';

const FINAL: ReadonlySet<OrderStatus> = new Set(['filled', 'cancelled', 'rejected', 'expired']);

interface LegView {
  status: OrderStatus;
  cum: number;
  avg: number;
}

interface ExitOrder {
  readonly tag: string;
  readonly bracketId: string | null;
  readonly optionSymbol: string;
  readonly root: OptionRoot;
  readonly quantity: number;
  brokerOrderId: string | null;
  legId: string | null;
  price: number;
  lastPriceTs: number;
  view: LegView;
  modifyInFlight: boolean;
}

interface Bracket {
  readonly id: string;
  readonly intent: OrderIntent;
  readonly contract: OptionContract;
  readonly root: OptionRoot;
  readonly dir: 1 | -1;
  state: BracketState;
  brokerOrderId: string | null;
  legIds: { entry: string; target: string; stop: string } | null;
  readonly entry: LegView;
  readonly target: LegView;
  readonly stop: LegView;
  /** Contracts sold by target, stop, exits and settlement. */
  exitQty: number;
  settled: boolean;
  stopPrice: number;
  stopModifyInFlight: boolean;
  lastStopModifyTs: number;
  /** Underlying level at the first entry fill. */
  s0: number | null;
  best: number | null;
  breakEvenArmed: boolean;
  trailStop: number | null;
  closing: { reason: string; since: number } | null;
  cancelInFlight: boolean;
  cancelRetryAt: number;
  /** We asked the broker to cancel: legs ending cancelled are expected, not a broker-side cancellation. */
  cancelRequested: boolean;
  exitSeq: number;
  readonly exits: ExitOrder[];
  unknown: { since: number; lookups: number; lastLookupTs: number; inFlight: boolean } | null;
}

export interface AdoptedBracket {
  readonly intent: OrderIntent;
  readonly order: BrokerOrder;
  /** Closing orders (`<intent id>-xN` tags) found live at the broker. */
  readonly exits: readonly BrokerOrder[];
}

export interface OrderManagerDeps {
  readonly broker: BrokerPort;
  readonly journal?: Journal | null;
  readonly emit: (out: OmsOutput) => void;
  /** Route an async broker result back into the stream; default runs it at once. */
  readonly defer?: (fn: () => void) => void;
  /** Start-up reconciliation said no entries (reason); exits still work. */
  readonly haltEntries?: string | null;
}

export class OrderManager {
  private readonly cfg: OmsConfig;
  private readonly broker: BrokerPort;
  private readonly sync: SyncBrokerCalls | null;
  private readonly journal: Journal | null;
  private readonly emit: (out: OmsOutput) => void;
  private readonly defer: (fn: () => void) => void;
  private haltEntries: string | null;
  private now = Number.NEGATIVE_INFINITY;
  private chain: Promise<void> = Promise.resolve();
  private readonly brackets = new Map<string, Bracket>();
  /** Non-terminal bracket per underlying. */
  private readonly active = new Map<Underlying, Bracket>();
  private readonly exitByTag = new Map<string, ExitOrder>();
  private readonly orphanExits: ExitOrder[] = [];
  private readonly quotes = new Map<string, OptionQuote>();
  private readonly spot = new Map<Underlying, number>();
  private brokerReachable = true;
  private flattenSeq = 0;
  private flatten: { symbols: ReadonlySet<string> | null } | null = null;

  constructor(config: OmsConfig, deps: OrderManagerDeps) {
    this.cfg = config;
    this.broker = deps.broker;
    this.sync = hasSyncCalls(deps.broker) ? deps.broker : null;
    this.journal = deps.journal ?? null;
    this.emit = deps.emit;
    this.defer = deps.defer ?? ((fn) => fn());
    this.haltEntries = deps.haltEntries ?? null;
  }

  /** Brackets not yet terminal (read-only view for the TUI and tests). */
  openBrackets(): readonly { id: string; state: BracketState; open: number; stopPrice: number; closing: boolean }[] {
    return [...this.active.values()].map((b) => ({ id: b.id, state: b.state, open: openQty(b), stopPrice: b.stopPrice, closing: b.closing !== null }));
  }

  bracketState(id: string): BracketState | null {
    return this.brackets.get(id)?.state ?? null;
  }

  // ------------------------------------------------------------------------------------------- inputs

  /** Adopt a bracket found live at the broker at start-up (reconciliation): never recreated. */
  adopt(a: AdoptedBracket, ts: number): void {
    this.advance(ts);
    const b = this.newBracket(a.intent);
    b.brokerOrderId = a.order.brokerOrderId;
    const find = (leg: string) => a.order.legs.find((l) => l.leg === leg);
    const e = find('entry');
    const t = find('target');
    const s = find('stop');
    if (e && t && s) b.legIds = { entry: e.id, target: t.id, stop: s.id };
    for (const [view, leg] of [[b.entry, e], [b.target, t], [b.stop, s]] as const) {
      if (!leg) continue;
      view.status = leg.status;
      view.cum = leg.execQuantity;
      view.avg = leg.avgFillPrice;
    }
    if (s?.stop != null) b.stopPrice = s.stop;
    b.exitQty = b.target.cum + b.stop.cum;
    for (const x of a.exits) {
      const leg = x.legs[0];
      if (!leg) continue;
      const exit: ExitOrder = {
        tag: x.tag ?? '',
        bracketId: b.id,
        optionSymbol: leg.optionSymbol,
        root: b.root,
        quantity: leg.quantity,
        brokerOrderId: x.brokerOrderId,
        legId: leg.id,
        price: leg.price ?? 0,
        lastPriceTs: ts,
        view: { status: leg.status, cum: leg.execQuantity, avg: leg.avgFillPrice },
        modifyInFlight: false,
      };
      b.exits.push(exit);
      this.exitByTag.set(exit.tag, exit);
      b.exitQty += leg.execQuantity;
      b.exitSeq = Math.max(b.exitSeq, parseExitOrderId(exit.tag)?.n ?? 0);
    }
    this.brackets.set(b.id, b);
    this.active.set(a.intent.underlying, b);
    this.journal?.append({ kind: 'adopt', ts: this.now, orderId: b.id, brokerOrderId: a.order.brokerOrderId, note: 'adopted at start-up' });
    this.setState(b, this.deriveState(b), 'adopted at start-up (live at the broker, not recreated)');
  }

  setHaltEntries(reason: string | null): void {
    this.haltEntries = reason;
  }

  onIntent(intent: OrderIntent): void {
    this.advance(intent.ts);
    const deny = (reason: string): void => {
      this.emit({ type: 'BracketUpdate', ts: this.now, orderId: intent.id, underlying: intent.underlying, state: 'rejected', prev: null, openQuantity: 0, reason });
    };
    if (this.haltEntries !== null) return deny(`entries halted: ${this.haltEntries}`);
    if (this.brackets.has(intent.id)) return deny(`duplicate intent id ${intent.id}`);
    const busy = this.active.get(intent.underlying);
    if (busy) return deny(`bracket ${busy.id} is still ${busy.state} on ${intent.underlying} (one working bracket per underlying)`);
    let b: Bracket;
    try {
      b = this.newBracket(intent);
    } catch (err) {
      return deny(`bad intent: ${(err as Error).message}`);
    }
    this.journal?.append({ kind: 'intent', ts: this.now, intent });
    this.brackets.set(b.id, b);
    this.active.set(intent.underlying, b);
    this.emitUpdate(b, null, 'submitting bracket');
    this.call<SubmitResult>(
      b.id,
      'submitBracket',
      { intent: intent.id },
      (s) => s.submitBracketSync(intent),
      () => this.broker.submitBracket(intent),
      (r) => this.onSubmitResult(b, r),
      // An exception from submit is a lost answer: the order may exist. Resolve by tag, never resend.
      (err) => this.onSubmitResult(b, { kind: 'unknown', reason: `submit threw: ${errMsg(err)}` }),
    );
  }

  onCommand(cmd: OmsCommand): void {
    this.advance(cmd.ts);
    if (cmd.type === 'FlatVerified') return;
    this.journal?.append({ kind: 'command', ts: this.now, command: cmd });
    switch (cmd.type) {
      case 'CancelAllOrders':
        for (const b of this.active.values()) {
          b.closing = null;
          this.requestCancel(b);
          for (const x of b.exits) this.cancelExit(x);
        }
        for (const x of this.orphanExits) this.cancelExit(x);
        return;
      case 'FlattenAll': {
        const symbols = cmd.optionSymbols ? new Set(cmd.optionSymbols) : null;
        this.flatten = { symbols };
        for (const b of [...this.active.values()]) {
          if (symbols && !symbols.has(b.intent.optionSymbol)) continue;
          this.startClose(b, `flatten: ${cmd.reason}`);
        }
        this.flattenOrphans(symbols, cmd.reason);
        this.checkFlattenDone();
        return;
      }
      default: {
        const never: never = cmd;
        throw new Error(`OrderManager: unhandled command ${JSON.stringify(never)}`);
      }
    }
  }

  onMarket(ev: MarketEvent): void {
    this.advance(ev.ts);
    let moved: Underlying | null = null;
    switch (ev.type) {
      case 'OptionQuote':
        this.quotes.set(ev.symbol, ev);
        break;
      case 'IndexValue':
        if (ev.symbol === 'I:SPX') moved = this.setSpot('SPX', ev.value);
        else if (ev.symbol === 'I:NDX') moved = this.setSpot('NDX', ev.value);
        break;
      case 'Trade':
        if (ev.eligible && (ev.symbol === 'SPY' || ev.symbol === 'QQQ')) moved = this.setSpot(ev.symbol, ev.price);
        break;
      case 'Quote':
        if ((ev.symbol === 'SPY' || ev.symbol === 'QQQ') && ev.bid > 0 && ev.ask > 0 && ev.bid <= ev.ask) moved = this.setSpot(ev.symbol, (ev.bid + ev.ask) / 2);
        break;
      default:
        break;
    }
    if (this.active.size === 0 && this.orphanExits.length === 0) {
      if (this.flatten) this.checkFlattenDone();
      return;
    }
    for (const b of [...this.active.values()]) {
      if (b.unknown) this.lookupUnknown(b);
      if (!b.closing && this.now >= b.intent.timeStop && !TERMINAL_BRACKET_STATES.has(b.state)) this.startClose(b, 'time stop');
      if (moved === b.intent.underlying) this.onUnderlying(b);
      else if (ev.type === 'OptionQuote' && ev.symbol === b.intent.optionSymbol) this.onOptionQuote(b);
      if (b.closing) this.advanceClose(b);
      for (const x of b.exits) this.maybeReprice(x);
    }
    for (const x of this.orphanExits) this.maybeReprice(x);
    if (this.flatten) this.checkFlattenDone();
  }

  onReport(r: ExecutionReport): void {
    this.advance(r.ts);
    const exit = this.exitByTag.get(r.orderId);
    const b = exit ? (exit.bracketId ? this.brackets.get(exit.bracketId) : undefined) : this.brackets.get(r.orderId);
    if (!b && !exit) {
      this.journal?.append({ kind: 'report', ts: this.now, report: r });
      this.error(r.orderId, 'report for an order this OMS does not know', `${r.leg} ${r.status} ${r.cumulativeQuantity}@${r.avgFillPrice}`);
      this.emit(r);
      return;
    }
    let view: LegView;
    if (exit) view = exit.view;
    else if (r.leg === 'entry') view = (b as Bracket).entry;
    else if (r.leg === 'target') view = (b as Bracket).target;
    else if (r.leg === 'stop') view = (b as Bracket).stop;
    else view = { status: 'pending', cum: 0, avg: 0 }; // settlement: one report per lot

    if (r.cumulativeQuantity < view.cum || (r.cumulativeQuantity === view.cum && r.status === view.status)) return; // duplicate
    const delta = r.cumulativeQuantity - view.cum;
    if (b) {
      if (r.leg === 'entry' && !exit && r.cumulativeQuantity > b.intent.quantity) {
        return this.error(b.id, 'overfill: entry fills exceed the order quantity (report not applied)', `${r.cumulativeQuantity} > ${b.intent.quantity}`);
      }
      if ((r.leg !== 'entry' || exit) && delta > 0 && b.exitQty + delta > b.entry.cum) {
        return this.error(b.id, 'overfill: exit fills exceed the contracts held (report not applied)', `${b.exitQty} + ${delta} > ${b.entry.cum}`);
      }
    }
    this.journal?.append({ kind: 'report', ts: this.now, report: r });
    view.status = r.status;
    view.cum = r.cumulativeQuantity;
    view.avg = r.avgFillPrice;
    this.emit(r);
    if (exit && !b) {
      if (FINAL.has(r.status)) this.orphanExits.splice(this.orphanExits.indexOf(exit), 1);
      return;
    }
    const br = b as Bracket;
    if (r.brokerOrderId && br.brokerOrderId === null && !exit) br.brokerOrderId = r.brokerOrderId;
    if (r.leg === 'entry' && !exit) {
      if (delta > 0 && br.s0 === null) {
        br.s0 = this.spot.get(br.intent.underlying) ?? null;
        br.best = br.s0;
      }
    } else if (delta > 0) {
      br.exitQty += delta;
      if (r.leg === 'exit' && !exit && r.status === 'expired') br.settled = true;
    }
    this.setState(br, this.deriveState(br), r.reason ?? `${r.leg} ${r.status}`);
    this.afterReport(br, r);
  }

  // ------------------------------------------------------------------------------------------- bracket logic

  private newBracket(intent: OrderIntent): Bracket {
    const contract = parseOcc(intent.optionSymbol);
    return {
      id: intent.id,
      intent,
      contract,
      root: intent.root,
      dir: intent.right === 'C' ? 1 : -1,
      state: 'pending',
      brokerOrderId: null,
      legIds: null,
      entry: { status: 'pending', cum: 0, avg: 0 },
      target: { status: 'pending', cum: 0, avg: 0 },
      stop: { status: 'pending', cum: 0, avg: 0 },
      exitQty: 0,
      settled: false,
      stopPrice: intent.stopPrice,
      stopModifyInFlight: false,
      lastStopModifyTs: Number.NEGATIVE_INFINITY,
      s0: null,
      best: null,
      breakEvenArmed: false,
      trailStop: null,
      closing: null,
      cancelInFlight: false,
      cancelRetryAt: Number.NEGATIVE_INFINITY,
      cancelRequested: false,
      exitSeq: 0,
      exits: [],
      unknown: null,
    };
  }

  private onSubmitResult(b: Bracket, r: SubmitResult): void {
    this.journal?.append({ kind: 'result', ts: this.now, orderId: b.id, call: 'submitBracket', result: r });
    switch (r.kind) {
      case 'accepted':
        b.brokerOrderId = r.brokerOrderId;
        b.legIds = r.legIds;
        b.unknown = null;
        if (b.entry.status === 'pending') b.entry.status = 'working';
        this.setState(b, this.deriveState(b), 'accepted by the broker');
        if (b.closing) this.advanceClose(b);
        return;
      case 'rejected':
        b.entry.status = 'rejected';
        this.setState(b, 'rejected', `broker rejected: ${r.reason}`);
        return;
      case 'unknown':
        b.unknown = { since: this.now, lookups: 0, lastLookupTs: Number.NEGATIVE_INFINITY, inFlight: false };
        this.setState(b, 'unknown', `submission answer lost (${r.reason}); resolving by tag, never resending`);
        return;
      default: {
        const never: never = r;
        throw new Error(`OrderManager: unhandled submit result ${JSON.stringify(never)}`);
      }
    }
  }

  private lookupUnknown(b: Bracket): void {
    const u = b.unknown;
    if (!u || u.inFlight || this.now - u.lastLookupTs < this.cfg.unknown.lookupIntervalMs) return;
    u.inFlight = true;
    u.lastLookupTs = this.now;
    this.call<BrokerOrder | null>(
      b.id,
      'findByTag',
      { tag: b.id },
      (s) => s.findByTagSync(b.id),
      () => this.broker.findByTag(b.id),
      (order) => {
        u.inFlight = false;
        if (b.unknown !== u) return;
        this.journal?.append({ kind: 'result', ts: this.now, orderId: b.id, call: 'findByTag', result: order ? { brokerOrderId: order.brokerOrderId } : null });
        if (order) {
          this.adoptFound(b, order);
          return;
        }
        u.lookups++;
        if (u.lookups >= this.cfg.unknown.minLookups && this.now - u.since >= this.cfg.unknown.graceMs) {
          b.unknown = null;
          b.entry.status = 'rejected';
          this.setState(b, 'rejected', `not found at the broker after ${u.lookups} lookups over ${this.now - u.since} ms; rejected locally (not resubmitted)`);
        }
      },
      (err) => {
        u.inFlight = false;
        this.error(b.id, 'lookup by tag failed', errMsg(err));
      },
    );
  }

  private adoptFound(b: Bracket, order: BrokerOrder): void {
    b.unknown = null;
    b.brokerOrderId = order.brokerOrderId;
    const leg = (name: string) => order.legs.find((l) => l.leg === name);
    const e = leg('entry');
    const t = leg('target');
    const s = leg('stop');
    if (e && t && s) b.legIds = { entry: e.id, target: t.id, stop: s.id };
    // Fills already reported through reports$ are kept; the order's legs only fill in what was missed.
    for (const [view, l] of [[b.entry, e], [b.target, t], [b.stop, s]] as const) {
      if (!l || l.execQuantity < view.cum) continue;
      const delta = l.execQuantity - view.cum;
      if (view !== b.entry) b.exitQty += delta;
      else if (delta > 0 && b.s0 === null) b.s0 = this.spot.get(b.intent.underlying) ?? null;
      view.status = l.status;
      view.cum = l.execQuantity;
      view.avg = l.avgFillPrice;
    }
    if (s?.stop != null) b.stopPrice = s.stop;
    this.journal?.append({ kind: 'adopt', ts: this.now, orderId: b.id, brokerOrderId: order.brokerOrderId, note: 'found by tag after unknown submission' });
    const next = this.deriveState(b);
    this.setState(b, next === 'pending' ? 'working' : next, `found by tag at the broker (order ${order.brokerOrderId}); adopted`);
  }

  private deriveState(b: Bracket): BracketState {
    const e = b.entry;
    const open = openQty(b);
    if (e.cum === 0) {
      if (e.status === 'rejected') return 'rejected';
      if (e.status === 'cancelled') return 'cancelled';
      if (e.status === 'expired') return 'expired';
      if (b.unknown) return 'unknown';
      return b.brokerOrderId ? 'working' : 'pending';
    }
    const entryDone = FINAL.has(e.status);
    if (open <= 0 && entryDone) return b.settled ? 'expired' : 'closed';
    if (entryDone) return 'filled';
    return 'partially_filled';
  }

  private afterReport(b: Bracket, r: ExecutionReport): void {
    if (TERMINAL_BRACKET_STATES.has(b.state)) return;
    const open = openQty(b);
    const ocoGone = FINAL.has(b.target.status) && FINAL.has(b.stop.status);
    if (open > 0 && ocoGone && FINAL.has(b.entry.status) && !b.closing && !b.cancelRequested && r.status !== 'expired') {
      this.startClose(b, `protective legs cancelled by the broker${r.reason ? ` (${r.reason})` : ''}`);
      return;
    }
    if (b.closing) this.advanceClose(b);
  }

  private setState(b: Bracket, next: BracketState, reason: string): void {
    if (next === b.state) return;
    const prev = b.state;
    b.state = next;
    this.emitUpdate(b, prev, reason);
    if (TERMINAL_BRACKET_STATES.has(next)) {
      if (this.active.get(b.intent.underlying) === b) this.active.delete(b.intent.underlying);
      b.unknown = null;
    }
  }

  private emitUpdate(b: Bracket, prev: BracketState | null, reason: string): void {
    this.emit({ type: 'BracketUpdate', ts: this.now, orderId: b.id, underlying: b.intent.underlying, state: b.state, prev, openQuantity: openQty(b), reason });
  }

  // ------------------------------------------------------------------------------------------- stops

  private setSpot(u: Underlying, price: number): Underlying | null {
    if (!(price > 0)) return null;
    this.spot.set(u, price);
    return u;
  }

  private onUnderlying(b: Bracket): void {
    const S = this.spot.get(b.intent.underlying);
    if (S === undefined || b.closing || openQty(b) <= 0) return;
    const { dir, intent } = b;
    if (b.s0 !== null && b.best !== null) {
      if (dir * (S - b.best) > 0) b.best = S;
      const span = dir * (intent.underlyingTarget - b.s0);
      const progress = span > 0 ? (dir * (b.best - b.s0)) / span : 0;
      if (this.cfg.breakEven.enabled && progress >= this.cfg.breakEven.triggerFraction) b.breakEvenArmed = true;
      if (this.cfg.trailing.enabled && progress >= this.cfg.trailing.activationFraction) {
        const trail = b.best - dir * this.cfg.trailing.giveBackFraction * Math.abs(b.best - b.s0);
        b.trailStop = b.trailStop === null ? trail : dir > 0 ? Math.max(b.trailStop, trail) : Math.min(b.trailStop, trail);
      }
    }
    const uStop = this.underlyingStop(b);
    if (dir * (S - uStop) <= 0) {
      this.startClose(b, `underlying ${S} crossed its stop ${round4(uStop)} before the option stop triggered`);
    }
  }

  /**
   * The stop is re-derived on the contract's own quotes (with the latest underlying price), not on the underlying
   * print: index values arrive about once a second and option quotes lag or lead them, and pairing a new index level
   * with an option quote from before the move gives a nonsense IV.
   */
  private onOptionQuote(b: Bracket): void {
    const S = this.spot.get(b.intent.underlying);
    if (S === undefined || b.closing || openQty(b) <= 0 || !this.cfg.stopSync.enabled) return;
    this.syncStop(b, S, this.underlyingStop(b));
  }

  private underlyingStop(b: Bracket): number {
    const base = b.intent.underlyingStop;
    if (b.trailStop === null) return base;
    return b.dir > 0 ? Math.max(base, b.trailStop) : Math.min(base, b.trailStop);
  }

  private syncStop(b: Bracket, S: number, uStop: number): void {
    if (!b.legIds || b.stopModifyInFlight || FINAL.has(b.stop.status)) return;
    if (this.now - b.lastStopModifyTs < this.cfg.stopSync.minIntervalMs) return;
    const q = this.freshQuote(b.intent.optionSymbol);
    if (!q || !(q.ask > 0) || q.bid > q.ask) return;
    const mid = (q.bid + q.ask) / 2;
    const t = yearFraction(this.now, b.contract.expiry, ROOT_INFO[b.root].settlement);
    const base = { right: b.contract.right, spot: S, strike: b.contract.strike, t, rate: this.cfg.stopSync.rate };
    const iv = impliedVol(mid, base);
    if (iv.vol === null) return; // no usable vol (below intrinsic, expired): keep the working stop
    const g = bsGreeks({ ...base, vol: iv.vol });
    const dS = uStop - S;
    let target = q.bid + g.delta * dS + 0.5 * g.gamma * dS * dS;
    let why: StopAdjusted['why'] = b.trailStop !== null && uStop !== b.intent.underlyingStop ? 'trail' : 'sync';
    if (b.breakEvenArmed) {
      const floor = b.entry.avg + this.cfg.breakEven.offsetTicks * tickSize(b.root, b.entry.avg);
      if (floor > target) {
        target = floor;
        why = 'break-even';
      }
    }
    const tick = tickSize(b.root, q.bid);
    const cap = roundToTick(b.root, q.bid - tick, 'down');
    let next = Math.min(roundToTick(b.root, target, 'nearest'), cap);
    if (!(next > 0)) return;
    next = round4(next);
    const step = tickSize(b.root, Math.min(next, b.stopPrice));
    if (Math.abs(next - b.stopPrice) < this.cfg.stopSync.minTickChange * step - 1e-9) return;
    const from = b.stopPrice;
    const legId = b.legIds.stop;
    b.stopModifyInFlight = true;
    b.lastStopModifyTs = this.now;
    this.call<ModifyResult>(
      b.id,
      'modifyLeg',
      { legId, stop: next },
      (s) => s.modifyLegSync(legId, { stop: next }),
      () => this.broker.modifyLeg(legId, { stop: next }),
      (r) => {
        b.stopModifyInFlight = false;
        this.journal?.append({ kind: 'result', ts: this.now, orderId: b.id, call: 'modifyLeg', result: r });
        if (r.kind === 'ok') b.stopPrice = next;
        this.emit({
          type: 'StopAdjusted',
          ts: this.now,
          orderId: b.id,
          from,
          to: next,
          underlyingPrice: S,
          underlyingStop: round4(uStop),
          why,
          accepted: r.kind === 'ok',
          ...(r.kind === 'rejected' ? { reason: r.reason } : {}),
        });
      },
      (err) => {
        b.stopModifyInFlight = false;
        this.error(b.id, 'stop modification failed', errMsg(err));
      },
    );
  }

  // ------------------------------------------------------------------------------------------- closing

  private startClose(b: Bracket, reason: string): void {
    if (b.closing || TERMINAL_BRACKET_STATES.has(b.state)) return;
    b.closing = { reason, since: this.now };
    this.emitUpdate(b, b.state, `closing: ${reason}`);
    this.advanceClose(b);
  }

  private legsFinal(b: Bracket): boolean {
    return FINAL.has(b.entry.status) && FINAL.has(b.target.status) && FINAL.has(b.stop.status);
  }

  private advanceClose(b: Bracket): void {
    if (!b.closing || TERMINAL_BRACKET_STATES.has(b.state)) return;
    if (b.brokerOrderId === null) return; // pending or unknown: act once the order is known
    if (!this.legsFinal(b)) {
      if (this.now >= b.cancelRetryAt) this.requestCancel(b);
      return;
    }
    const open = openQty(b) - pendingExitQty(b);
    if (open <= 0) return;
    this.sendExit(b, open);
  }

  private requestCancel(b: Bracket): void {
    b.cancelRequested = true;
    if (b.cancelInFlight || b.brokerOrderId === null || this.legsFinal(b)) return;
    const id = b.brokerOrderId;
    b.cancelInFlight = true;
    b.cancelRetryAt = Number.POSITIVE_INFINITY;
    this.call<CancelResult>(
      b.id,
      'cancel',
      { brokerOrderId: id },
      (s) => s.cancelSync(id),
      () => this.broker.cancel(id),
      (r) => {
        b.cancelInFlight = false;
        this.journal?.append({ kind: 'result', ts: this.now, orderId: b.id, call: 'cancel', result: r });
        if (r.kind === 'already-final') {
          // The broker says nothing is working; legs whose final report we have not seen are final anyway.
          for (const v of [b.entry, b.target, b.stop]) if (!FINAL.has(v.status)) v.status = 'cancelled';
          this.setState(b, this.deriveState(b), `cancel: already ${r.status} at the broker`);
          if (b.closing) this.advanceClose(b);
        } else if (r.kind === 'rejected') {
          b.cancelRetryAt = this.now + this.cfg.exits.repriceMs;
          this.error(b.id, 'cancel rejected', r.reason);
        }
      },
      (err) => {
        b.cancelInFlight = false;
        b.cancelRetryAt = this.now + this.cfg.exits.repriceMs;
        this.error(b.id, 'cancel failed', errMsg(err));
      },
    );
  }

  private marketablePrice(root: OptionRoot, bid: number): number {
    const tick = tickSize(root, bid);
    const px = roundToTick(root, bid - this.cfg.exits.slippageTicks * tick, 'down');
    return px > 0 ? round4(px) : tickSize(root, 0);
  }

  private freshQuote(symbol: string): OptionQuote | null {
    const q = this.quotes.get(symbol);
    if (!q || this.now - q.ts > this.cfg.stopSync.maxQuoteAgeMs || !(q.bid > 0)) return null;
    return q;
  }

  private sendExit(b: Bracket, qty: number): void {
    const q = this.freshQuote(b.intent.optionSymbol);
    if (!q) return; // priced on the next fresh quote
    const tag = exitOrderId(b.id, ++b.exitSeq);
    const exit = this.placeExit(b.id, b.intent.optionSymbol, b.root, qty, this.marketablePrice(b.root, q.bid), tag);
    b.exits.push(exit);
  }

  private placeExit(bracketId: string | null, symbol: string, root: OptionRoot, qty: number, price: number, tag: string): ExitOrder {
    const exit: ExitOrder = {
      tag,
      bracketId,
      optionSymbol: symbol,
      root,
      quantity: qty,
      brokerOrderId: null,
      legId: null,
      price,
      lastPriceTs: this.now,
      view: { status: 'pending', cum: 0, avg: 0 },
      modifyInFlight: false,
    };
    this.exitByTag.set(tag, exit);
    this.call<SubmitResult>(
      bracketId,
      'closePosition',
      { optionSymbol: symbol, quantity: qty, limitPrice: price, tag },
      (s) => s.closePositionSync(symbol, qty, price, tag),
      () => this.broker.closePosition(symbol, qty, price, tag),
      (r) => {
        this.journal?.append({ kind: 'result', ts: this.now, orderId: tag, call: 'closePosition', result: r });
        if (r.kind === 'accepted') {
          exit.brokerOrderId = r.brokerOrderId;
          exit.legId = r.legIds.entry || r.brokerOrderId;
          if (exit.view.status === 'pending') exit.view.status = 'working';
        } else {
          // Rejected: nothing was sent. Unknown: treated the same after the broker's own oversell check; the next
          // attempt uses a new tag, and the broker refuses a sell beyond the free position.
          exit.view.status = 'rejected';
          this.error(bracketId ?? tag, `exit ${r.kind}`, r.reason);
        }
      },
      (err) => {
        exit.view.status = 'rejected';
        this.error(bracketId ?? tag, 'exit failed', errMsg(err));
      },
    );
    return exit;
  }

  private maybeReprice(x: ExitOrder): void {
    if (FINAL.has(x.view.status) || x.view.status === 'pending' || x.modifyInFlight || x.legId === null) return;
    const q = this.freshQuote(x.optionSymbol);
    if (!q) return;
    // A limit the bid has fallen below is no longer marketable: re-price at once; otherwise every repriceMs.
    if (q.bid >= x.price && this.now - x.lastPriceTs < this.cfg.exits.repriceMs) return;
    const price = this.marketablePrice(x.root, q.bid);
    x.lastPriceTs = this.now;
    if (price === x.price) return;
    const legId = x.legId;
    x.modifyInFlight = true;
    this.call<ModifyResult>(
      x.bracketId,
      'modifyLeg',
      { legId, price },
      (s) => s.modifyLegSync(legId, { price }),
      () => this.broker.modifyLeg(legId, { price }),
      (r) => {
        x.modifyInFlight = false;
        if (r.kind === 'ok') x.price = price;
      },
      (err) => {
        x.modifyInFlight = false;
        this.error(x.bracketId, 'exit re-price failed', errMsg(err));
      },
    );
  }

  private cancelExit(x: ExitOrder): void {
    if (FINAL.has(x.view.status) || x.brokerOrderId === null) return;
    const id = x.brokerOrderId;
    this.call<CancelResult>(
      x.bracketId,
      'cancel',
      { brokerOrderId: id },
      (s) => s.cancelSync(id),
      () => this.broker.cancel(id),
      () => undefined,
      (err) => this.error(x.bracketId, 'exit cancel failed', errMsg(err)),
    );
  }

  private flattenOrphans(symbols: ReadonlySet<string> | null, reason: string): void {
    this.call<readonly BrokerPosition[]>(
      null,
      'positions',
      {},
      (s) => s.positionsSync(),
      () => this.broker.positions(),
      (positions) => {
        for (const p of positions) {
          if (p.quantity <= 0 || (symbols && !symbols.has(p.optionSymbol))) continue;
          let ours = 0;
          for (const b of this.active.values()) if (b.intent.optionSymbol === p.optionSymbol) ours += openQty(b);
          for (const x of this.orphanExits) if (x.optionSymbol === p.optionSymbol) ours += x.quantity - x.view.cum;
          const qty = p.quantity - ours;
          if (qty <= 0) continue;
          const root = parseOcc(p.optionSymbol).root as OptionRoot;
          const q = this.freshQuote(p.optionSymbol);
          if (!q) {
            this.error(null, `cannot flatten ${qty} ${p.optionSymbol} not owned by a bracket: no fresh quote`, reason);
            continue;
          }
          const tag = `flat-${++this.flattenSeq}-${Math.round(this.now)}`;
          this.orphanExits.push(this.placeExit(null, p.optionSymbol, root, qty, this.marketablePrice(root, q.bid), tag));
        }
      },
      (err) => this.error(null, 'positions unavailable for flatten', errMsg(err)),
    );
  }

  private checkFlattenDone(): void {
    const f = this.flatten;
    if (!f) return;
    for (const b of this.active.values()) if (!f.symbols || f.symbols.has(b.intent.optionSymbol)) if (openQty(b) > 0 || !this.legsFinal(b)) return;
    if (this.orphanExits.some((x) => !FINAL.has(x.view.status))) return;
    this.flatten = null;
    this.call<readonly BrokerPosition[]>(
      null,
      'positions',
      {},
      (s) => s.positionsSync(),
      () => this.broker.positions(),
      (positions) => this.emit({ type: 'BrokerPositions', ts: this.now, positions: positions.map((p) => ({ optionSymbol: p.optionSymbol, quantity: p.quantity })) }),
      (err) => this.error(null, 'positions unavailable after flatten', errMsg(err)),
    );
  }

  // ------------------------------------------------------------------------------------------- plumbing

  private advance(ts: number): void {
    if (ts > this.now) this.now = ts;
  }

  private error(orderId: string | null, reason: string, detail?: string): void {
    this.emit({ type: 'OmsError', ts: this.now, orderId, reason, ...(detail !== undefined ? { detail } : {}) });
  }

  private setReachable(ok: boolean): void {
    if (ok === this.brokerReachable) return;
    this.brokerReachable = ok;
    this.emit({ type: 'BrokerState', ts: this.now, reachable: ok });
  }

  /**
   * One broker call: journaled before it is made; the result applied now (sync broker) or, in call order, when it
   * arrives (async broker, through `defer`). An exception means the port is broken (not an expected failure).
   */
  private call<R>(
    orderId: string | null,
    name: BrokerCallName,
    args: Readonly<Record<string, unknown>>,
    viaSync: (s: SyncBrokerCalls) => R,
    viaAsync: () => Promise<R>,
    onResult: (r: R) => void,
    onError: (err: unknown) => void,
  ): void {
    this.journal?.append({ kind: 'call', ts: this.now, orderId, call: name, args });
    if (this.sync) {
      let r: R;
      try {
        r = viaSync(this.sync);
      } catch (err) {
        this.setReachable(false);
        onError(err);
        return;
      }
      this.setReachable(true);
      onResult(r);
      return;
    }
    let p: Promise<R>;
    try {
      p = viaAsync();
    } catch (err) {
      p = Promise.reject(err);
    }
    this.chain = this.chain.then(() =>
      p.then(
        (r) => this.defer(() => {
          this.setReachable(true);
          onResult(r);
        }),
        (err: unknown) => this.defer(() => {
          this.setReachable(false);
          onError(err);
        }),
      ),
    );
  }
}

function openQty(b: Bracket): number {
  return b.entry.cum - b.exitQty;
}

/** Contracts still offered by working exit orders. */
function pendingExitQty(b: Bracket): number {
  let n = 0;
  for (const x of b.exits) if (!FINAL.has(x.view.status)) n += x.quantity - x.view.cum;
  return n;
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

function errMsg(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
