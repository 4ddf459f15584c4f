/**
 * risk: the pre-trade risk stage between playbooks and the OMS (SEC 15c3-5-style controls and an FIA-style kill
 * switch, for one account).
 *
 * Input events (one merged stream, `RiskInput`): MarketEvents (OptionQuote → option NBBO and marks; Quote / Trade /
 * IndexValue on SPY, QQQ, I:SPX, I:NDX → underlying freshness; every event's ts advances event time, Heartbeat
 * included), OrderIntent (to check), ExecutionReport (from the one feedback Subject: positions, P&L, rejects,
 * cancels, unknown order states), FeedState, BrokerState, BrokerPositions, KillSwitch, TradingControl.
 * Output events (`RiskOutput`): the approved OrderIntent itself (same object) or OrderDenied{reason, detail};
 * TradingStateChanged on every transition; OMS commands CancelAllOrders, FlattenAll (kill switch, 0DTE flatten
 * before the close, halt-window flatten) and FlatVerified.
 * State (per subscription, inside the factory closure): a RiskEngine — RiskBook (quotes, positions, working
 * orders, daily counters, rate windows), TradingState, kill-switch latch, storm window, today's DayPlan.
 * Warm-up: none, but entries need a fresh option quote and underlying price first (fail closed), and the state
 * starts ACTIVE. Exits are never blocked by stale data.
 * Time: event time only (max ts seen; late feedback reports never move the clock back). KillSwitch and
 * TradingControl do not advance the clock (they come from files and keys, in wall time): their outputs carry the
 * current event time, so the kill switch works while the market-data feed is down as long as anything (heartbeats,
 * broker reports, broker state) keeps arriving. Day boundaries, the entry cutoff, the 15:50 flatten and halt
 * windows come from the NYSE calendar and the economic calendar via `planDay`.
 * Errors from the source pass through unchanged; risk adds none of its own for expected failures.
 */
import { Observable, type OperatorFunction } from 'rxjs';
import type { RiskConfig } from './riskConfig.js';
import { RiskEngine, type RiskDeps } from './riskEngine.js';
import type { RiskInput, RiskOutput } from './riskEvents.js';

export type { RiskDeps } from './riskEngine.js';

export function risk(config: RiskConfig, deps: RiskDeps): OperatorFunction<RiskInput, RiskOutput> {
  return (source) =>
    new Observable<RiskOutput>((subscriber) => {
      const engine = new RiskEngine(config, deps, (out) => subscriber.next(out));
      return source.subscribe({
        next(ev) {
          // A broken invariant (NaN time) must reach the subscriber, not vanish as an unhandled error.
          try {
            engine.onInput(ev);
          } catch (err) {
            subscriber.error(err);
          }
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
