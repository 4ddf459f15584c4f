/**
 * RiskEngine: the risk stage's state machine, free of RxJS (the `risk` operator is a thin adapter around it).
 * One instance per subscription; `onInput` takes one RiskInput and hands every resulting RiskOutput to `emit`,
 * in a deterministic order.
 *
 * Per input: (1) advance event time (monotone; day roll → new DayPlan and daily counters), (2) apply the input to
 * the RiskBook, (3) run the time-driven rules (auto kill triggers, storm cool-down, 0DTE flatten, halt-window
 * flatten, kill-switch verification/retry), (4) decide an OrderIntent (approve → the intent itself, else
 * OrderDenied) and feed malformed-order denials to the storm detector.
 *
 * Transitions:
 *   ACTIVE → REDUCING      storm throttle (K rejects/malformed denials in a window) or manual `reduce`
 *   REDUCING → ACTIVE      storm cool-down elapsed, or manual `resume`
 *   * → HALTED             consecutive losing round trips (positions kept: broker-side brackets protect them),
 *                          or the kill switch (manual, daily loss, storm halt, stale feed, broker unreachable)
 *   HALTED → ACTIVE        manual `resume` only (re-arms the kill switch; a condition still present re-trips it)
 */
import { assertNever, type MarketEvent } from '../../domain/events.js';
import type { ExecutionReport, OrderDenied, OrderIntent, TradingStateName } from '../../domain/orders.js';
import { toNy } from '../../domain/time.js';
import { SlidingCount } from '../../quant/risk/slidingCount.js';
import { checkOrder, STORM_REASONS } from './checkOrder.js';
import { activeHaltWindow, planDay, type DayPlan } from './dayPlan.js';
import type { EconomicCalendar } from './economicCalendar.js';
import { KillSwitchLatch } from './killSwitchLatch.js';
import { RiskBook } from './riskBook.js';
import type { RiskConfig } from './riskConfig.js';
import type { RiskInput, RiskOutput } from './riskEvents.js';
import { TradingState } from './tradingState.js';

export interface RiskDeps {
  /** The validated economic calendar, or null when none could be loaded (→ no entries, 'calendar-missing'). */
  readonly calendar: EconomicCalendar | null;
}

export class RiskEngine {
  readonly book: RiskBook;
  readonly state = new TradingState();
  private readonly latch: KillSwitchLatch;
  private readonly storm: SlidingCount;
  private now = Number.NEGATIVE_INFINITY;
  private day: DayPlan | null = null;
  private reducingCause: 'storm' | 'manual' | null = null;
  private throttleUntil = Number.NaN;
  /** `symbol` (0DTE flatten) and `window#symbol` (halt-window flatten) already asked for today. */
  private readonly flattenAsked = new Set<string>();

  constructor(
    private readonly config: RiskConfig,
    private readonly deps: RiskDeps,
    private readonly emit: (out: RiskOutput) => void,
  ) {
    this.book = new RiskBook(config);
    this.latch = new KillSwitchLatch(config.killSwitch.retryMs, config.killSwitch.verifyWithBrokerPositions);
    this.storm = new SlidingCount(config.storm.windowMs);
  }

  get tradingState(): TradingStateName {
    return this.state.name;
  }

  get killed(): boolean {
    return this.latch.active;
  }

  get currentDay(): DayPlan | null {
    return this.day;
  }

  onInput(ev: RiskInput): void {
    switch (ev.type) {
      case 'KillSwitch':
      case 'TradingControl':
        // Control inputs come from outside event time (a file, a key): they never move the clock forward.
        if (this.now === Number.NEGATIVE_INFINITY) this.advance(ev.ts);
        if (ev.type === 'KillSwitch') this.kill(ev.source, ev.reason);
        else if (ev.command === 'reduce') this.manualReduce(ev.reason);
        else this.resume(ev.reason);
        this.timeRules();
        return;
      case 'FeedState':
        this.advance(ev.ts);
        this.book.onFeedState(ev);
        break;
      case 'BrokerState':
        this.advance(ev.ts);
        this.book.onBrokerState(ev.reachable, ev.ts);
        break;
      case 'BrokerPositions':
        this.advance(ev.ts);
        this.latch.onBrokerPositions(ev.ts, ev.positions.every((p) => p.quantity === 0));
        break;
      case 'ExecutionReport':
        this.advance(ev.ts);
        this.onReport(ev);
        break;
      case 'OrderIntent':
        this.advance(ev.ts);
        this.timeRules();
        this.decide(ev);
        return;
      case 'Trade':
      case 'Quote':
      case 'Bar':
      case 'IndexValue':
      case 'OptionTrade':
      case 'OptionQuote':
      case 'ChainSnapshot':
      case 'Heartbeat':
      case 'Timer':
        this.advance(ev.ts);
        this.onMarket(ev);
        break;
      default:
        assertNever(ev, 'risk input');
    }
    this.timeRules();
  }

  private advance(ts: number): void {
    if (Number.isNaN(ts)) throw new Error('risk: input with NaN ts');
    if (ts > this.now) this.now = ts;
    if (this.day === null || this.now >= this.day.dayEnd) {
      this.day = planDay(toNy(this.now).date, this.config, this.deps.calendar);
      this.book.startDay();
      this.flattenAsked.clear();
    }
  }

  private onMarket(ev: MarketEvent): void {
    const held = this.book.onMarket(ev);
    if (held !== null) this.checkDailyLoss();
  }

  private onReport(r: ExecutionReport): void {
    const eff = this.book.onReport(r, this.now);
    if (eff.rejected) this.stormEvent(`broker reject ${r.orderId}${r.reason ? `: ${r.reason}` : ''}`);
    if (eff.closedRoundTrip !== null && eff.closedRoundTrip < 0) {
      const n = this.book.consecutiveLosses;
      if (n >= this.config.losses.maxConsecutive) {
        this.toState('HALTED', `consecutive-losses: ${n} losing round trips in a row (max ${this.config.losses.maxConsecutive})`);
      }
    }
    this.checkDailyLoss();
  }

  private checkDailyLoss(): void {
    if (this.latch.active) return;
    const pnl = this.book.dailyPnl();
    if (pnl <= -this.config.losses.maxDailyLoss) {
      this.kill('auto', `daily-loss: P&L ${pnl.toFixed(2)} ≤ −${this.config.losses.maxDailyLoss} (realised + unrealised)`);
    }
  }

  private decide(intent: OrderIntent): void {
    const day = this.day!;
    const v = checkOrder(intent, this.book, this.config, { now: this.now, state: this.state.name, day });
    this.book.seenIntentIds.add(intent.id);
    if (v.ok) {
      this.book.onApproved(intent, this.now);
      this.emit(intent);
      return;
    }
    const denied: OrderDenied =
      v.detail === undefined
        ? { type: 'OrderDenied', ts: this.now, intentId: intent.id, underlying: intent.underlying, reason: v.reason }
        : { type: 'OrderDenied', ts: this.now, intentId: intent.id, underlying: intent.underlying, reason: v.reason, detail: v.detail };
    this.emit(denied);
    if (STORM_REASONS.has(v.reason)) this.stormEvent(`denied ${intent.id}: ${v.reason}`);
  }

  private stormEvent(what: string): void {
    this.storm.add(this.now);
    const n = this.storm.count(this.now);
    const s = this.config.storm;
    if (n >= s.haltCount) {
      this.kill('auto', `reject-storm: ${n} rejects/malformed orders in ${s.windowMs} ms (last: ${what})`);
    } else if (n >= s.throttleCount && this.state.name !== 'HALTED') {
      this.throttleUntil = this.now + s.cooldownMs;
      if (this.state.name === 'ACTIVE') {
        this.reducingCause = 'storm';
        this.toState('REDUCING', `reject-storm throttle: ${n} rejects/malformed orders in ${s.windowMs} ms (last: ${what})`);
      }
    }
  }

  private manualReduce(reason: string): void {
    if (this.state.name !== 'ACTIVE') return;
    this.reducingCause = 'manual';
    this.toState('REDUCING', `manual reduce: ${reason}`);
  }

  private resume(reason: string): void {
    this.latch.rearm();
    this.reducingCause = null;
    this.throttleUntil = Number.NaN;
    this.storm.reset();
    this.book.consecutiveLosses = 0;
    this.toState('ACTIVE', `manual resume: ${reason}`);
  }

  /** The kill switch: HALTED, cancel everything, flatten everything, then verify. A second trigger is a no-op. */
  private kill(source: 'manual' | 'auto', reason: string): void {
    if (!this.latch.trigger(this.now, reason)) return;
    this.reducingCause = null;
    this.toState('HALTED', `kill-switch (${source}): ${reason}`);
    this.emit({ type: 'CancelAllOrders', ts: this.now, reason: `kill-switch: ${reason}` });
    this.emit({ type: 'FlattenAll', ts: this.now, reason: `kill-switch: ${reason}` });
  }

  private toState(to: TradingStateName, reason: string): void {
    const ev = this.state.transition(to, reason, this.now);
    if (ev) this.emit(ev);
  }

  /** Rules driven by event time alone; run after every input. */
  private timeRules(): void {
    const now = this.now;
    const cfg = this.config;
    if (!this.latch.active) {
      for (const [cluster, f] of this.book.feed) {
        if (f.state !== 'LIVE' && now - f.since >= cfg.staleFeedHaltSeconds * 1000) {
          this.kill('auto', `stale-feed: ${cluster} ${f.state} for ${Math.round((now - f.since) / 1000)} s (max ${cfg.staleFeedHaltSeconds} s)`);
          break;
        }
      }
    }
    const b = this.book.broker;
    if (!this.latch.active && !b.reachable && now - b.since >= cfg.brokerUnreachableHaltSeconds * 1000) {
      this.kill('auto', `broker-unreachable for ${Math.round((now - b.since) / 1000)} s (max ${cfg.brokerUnreachableHaltSeconds} s)`);
    }
    if (this.state.name === 'REDUCING' && this.reducingCause === 'storm' && now >= this.throttleUntil) {
      this.reducingCause = null;
      this.toState('ACTIVE', `reject-storm throttle cooled down after ${cfg.storm.cooldownMs} ms`);
    }
    if (this.book.positions.size > 0 && this.day !== null) this.flattenRules(this.day);
    this.pollKill();
  }

  private flattenRules(day: DayPlan): void {
    const now = this.now;
    if (day.session !== null && now >= day.flattenAt) {
      const symbols: string[] = [];
      for (const p of this.book.positions.values()) {
        if (p.qty !== 0 && p.expiry === day.date && !this.flattenAsked.has(p.symbol)) {
          this.flattenAsked.add(p.symbol);
          symbols.push(p.symbol);
        }
      }
      if (symbols.length > 0) {
        const mins = this.config.session.flattenMinutesBeforeClose;
        this.emit({ type: 'FlattenAll', ts: now, reason: `session-flatten: 0DTE positions ${mins} min before the close`, optionSymbols: symbols });
      }
    }
    if (this.config.haltWindows.policy === 'flatten') {
      const w = activeHaltWindow(day, now);
      if (w !== null) {
        const symbols: string[] = [];
        for (const p of this.book.positions.values()) {
          const key = `${w.start}#${p.symbol}`;
          if (p.qty !== 0 && !this.flattenAsked.has(key)) {
            this.flattenAsked.add(key);
            symbols.push(p.symbol);
          }
        }
        if (symbols.length > 0) this.emit({ type: 'FlattenAll', ts: now, reason: `halt-window: ${w.label}`, optionSymbols: symbols });
      }
    }
  }

  private pollKill(): void {
    const r = this.latch.poll(this.now, this.book.isFlat());
    if (r === 'verified') {
      this.book.clearPositionsAndOrders();
      this.emit({ type: 'FlatVerified', ts: this.now });
    } else if (r === 'retry') {
      const why = `kill-switch: ${this.latch.reason} (retry ${this.latch.retryCount}: not verified flat)`;
      this.emit({ type: 'CancelAllOrders', ts: this.now, reason: why });
      this.emit({ type: 'FlattenAll', ts: this.now, reason: why });
    }
  }
}
