/**
 * regime: Features (+ ChangePoint) → RegimeState, one classifier per underlying (RegimeClassifier, see there for
 * the rules and the hysteresis).
 *
 * Input events: `Features` (any underlying, in ts order) and the learner's `ChangePoint` (resets that
 * underlying's hysteresis: the seam for change-point detection).
 * Output events: `RegimeState` when an underlying's regime or trend direction changes, including its first
 * classification (not once per record: consumers hold the latest).
 * State (per subscription): a RegimeClassifier and the last emitted state per underlying; a SessionClock.
 * Warm-up: `warming` until ATR and ADX/DI exist (≈ 2·adxPeriod one-minute bars), except where the opening,
 * illiquid or high-vol rules already apply.
 * Time: event time only; session boundaries from the NYSE calendar.
 */
import { Observable, type OperatorFunction } from 'rxjs';
import type { Underlying } from '../../domain/instruments.js';
import { RegimeClassifier } from '../../quant/signals/regimeClassifier.js';
import { SessionClock } from '../../quant/signals/sessionClock.js';
import type { Features } from '../features/featuresRecord.js';
import type { ChangePoint, RegimeState } from './signalEvents.js';
import type { RegimeConfig } from './signalsConfig.js';

export function regime(config: RegimeConfig): OperatorFunction<Features | ChangePoint, RegimeState> {
  return (source) =>
    new Observable<RegimeState>((subscriber) => {
      const clock = new SessionClock();
      const classifiers = new Map<Underlying, RegimeClassifier>();
      const last = new Map<Underlying, RegimeState>();
      const classifierOf = (u: Underlying): RegimeClassifier => {
        let c = classifiers.get(u);
        if (c === undefined) {
          c = new RegimeClassifier(config);
          classifiers.set(u, c);
        }
        return c;
      };
      return source.subscribe({
        next(ev) {
          if (ev.type === 'ChangePoint') {
            classifierOf(ev.underlying).changePoint();
            return;
          }
          const v = classifierOf(ev.underlying).update(ev, clock.at(ev.ts));
          const prev = last.get(ev.underlying);
          if (prev !== undefined && prev.regime === v.regime && prev.direction === v.direction && prev.since === v.since) return;
          const state: RegimeState = { type: 'RegimeState', ts: ev.ts, underlying: ev.underlying, ...v };
          last.set(ev.underlying, state);
          subscriber.next(state);
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
