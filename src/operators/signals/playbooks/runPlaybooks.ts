/**
 * runPlaybooks: Features → SignalIntent for a set of playbooks alone (no regime, gating or contract selection):
 * the adapter the playbook marble tests and research scripts use; `signals` composes the full stage.
 *
 * Input events: Features (any underlying, ts order). Output events: the SignalIntents the playbooks complete, in
 * factory order per record. State (per subscription): a PlaybookSet and a SessionClock. Warm-up: each playbook's
 * own. Time: event time only.
 */
import { Observable, type OperatorFunction } from 'rxjs';
import type { SignalIntent } from '../../../domain/orders.js';
import { SessionClock } from '../../../quant/signals/sessionClock.js';
import type { Features } from '../../features/featuresRecord.js';
import type { PlaybookFactory } from './playbook.js';
import { PlaybookSet } from './playbookSet.js';

export function runPlaybooks(factories: readonly PlaybookFactory[]): OperatorFunction<Features, SignalIntent> {
  return (source) =>
    new Observable<SignalIntent>((subscriber) => {
      const set = new PlaybookSet(factories);
      const clock = new SessionClock();
      return source.subscribe({
        next(f) {
          for (const s of set.update(f, { session: clock.at(f.ts) })) subscriber.next(s);
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
