/**
 * gating: contextual gating as a stand-alone operator — every SignalIntent in, one GateDecision out (allowed or
 * denied, with the reason from `gatePolicy`). `signals` composes the same GateKeeper with contract selection;
 * this operator is for dashboards, research and tests that gate intents from elsewhere.
 *
 * Input events: SignalIntent (evaluated), Features (spread, IV, expected move), RegimeState (regime per
 * underlying), TradeClosed (loss cooldown, releases the active signal), OptionQuote (ATM option spread), all in
 * ts order. Output events: GateDecision, one per SignalIntent (an allowed one becomes the underlying's active
 * signal until its time stop or a TradeClosed).
 * State (per subscription): a GateKeeper, a ChainView, a SessionClock. Warm-up: regime `warming` and unknown
 * spread/IV block (fail closed) until their inputs arrive. Time: event time only (NYSE calendar, early closes).
 */
import { Observable, type OperatorFunction } from 'rxjs';
import { assertNever, type OptionQuote } from '../../domain/events.js';
import type { GateDecision, SignalIntent } from '../../domain/orders.js';
import { ChainView } from '../../quant/signals/chainView.js';
import { SessionClock } from '../../quant/signals/sessionClock.js';
import type { Features } from '../features/featuresRecord.js';
import { GateKeeper } from './gateKeeper.js';
import type { RegimeState, TradeClosed } from './signalEvents.js';
import type { SignalsConfig } from './signalsConfig.js';

export type GatingInput = SignalIntent | Features | RegimeState | TradeClosed | OptionQuote;

export function gating(config: SignalsConfig): OperatorFunction<GatingInput, GateDecision> {
  return (source) =>
    new Observable<GateDecision>((subscriber) => {
      const keeper = new GateKeeper(config);
      const chain = new ChainView();
      const clock = new SessionClock();
      return source.subscribe({
        next(ev) {
          switch (ev.type) {
            case 'OptionQuote':
              chain.update(ev);
              return;
            case 'Features':
              keeper.onFeatures(ev);
              return;
            case 'RegimeState':
              keeper.onRegime(ev.underlying, ev.regime);
              return;
            case 'TradeClosed':
              keeper.onTradeClosed(ev);
              return;
            case 'SignalIntent': {
              const reason = keeper.evaluate(ev, clock.at(ev.ts), chain);
              const allowed = reason === 'allowed';
              if (allowed) keeper.allow(ev);
              subscriber.next({ type: 'GateDecision', ts: ev.ts, underlying: ev.underlying, playbook: ev.playbook, allowed, reason, intentId: ev.id });
              return;
            }
            default:
              return assertNever(ev, 'gating input');
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
