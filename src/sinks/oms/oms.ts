/**
 * oms: the order-management sink as an operator — OmsInput stream → OmsOutput stream.
 *
 * Input events (one stream, ordered by ts): every MarketEvent, OrderIntents from risk, and risk's commands
 * (CancelAllOrders, FlattenAll; FlatVerified is ignored).
 * Output events: ExecutionReports (validated: duplicates and overfills removed — feed these into the pipeline's one
 * feedback Subject), BracketUpdate, StopAdjusted, OmsError, BrokerPositions (after a FlattenAll completes),
 * BrokerState (broker call failures / recovery).
 * State: one OrderManager per subscription (inside the factory closure) and a FIFO of pending work.
 * Time: event time only. With a market-driven broker (SimBroker) each MarketEvent is first given to the broker, then
 * the reports it produced for that event are applied, then the OMS handles the event itself — so the OMS reacts to
 * an event knowing the fills it caused, and an order it sends in reaction can only fill on later quotes.
 * Determinism: SimBroker offers synchronous calls, so the whole path runs synchronously in stream order and a
 * replay is byte-identical. With an async broker (Tradier) call results and reports arrive later; they are queued
 * behind the current work and applied in order (results in submission order), stamped with event time then.
 * Re-entrancy: anything arriving while the queue drains (e.g. a report emitted during a broker call) is queued,
 * never handled in the middle of another input.
 * Errors: a broken invariant thrown by the manager errors the stream; broker failures are OmsError/BrokerState
 * events. Completion of the input completes the output (async results still in flight are dropped; live runs
 * reconcile at the next start-up). Unsubscribing stops the source and the broker report subscription.
 */
import { Observable, type OperatorFunction } from 'rxjs';
import type { MarketEvent } from '../../domain/events.js';
import type { ExecutionReport } from '../../domain/orders.js';
import type { BrokerPort } from './BrokerPort.js';
import type { Journal } from './journal.js';
import type { OmsConfig } from './omsConfig.js';
import type { OmsInput, OmsOutput } from './omsEvents.js';
import { OrderManager, type AdoptedBracket } from './orderManager.js';
import { isMarketDriven } from './syncBroker.js';

export interface OmsDeps {
  readonly broker: BrokerPort;
  readonly journal?: Journal | null;
  /** From start-up reconciliation: brackets to adopt (never recreated) and whether entries are halted. */
  readonly reconciled?: { readonly adopted: readonly AdoptedBracket[]; readonly haltEntries: string | null; readonly ts: number };
  /** Feed MarketEvents to a market-driven broker (SimBroker) first. Default true; false when another part of the
   * pipeline drives it. */
  readonly driveBroker?: boolean;
}

type Work =
  | { readonly k: 'input'; readonly ev: OmsInput }
  | { readonly k: 'market'; readonly ev: MarketEvent }
  | { readonly k: 'report'; readonly r: ExecutionReport }
  | { readonly k: 'fn'; readonly fn: () => void };

export function oms(config: OmsConfig, deps: OmsDeps): OperatorFunction<OmsInput, OmsOutput> {
  return (source) =>
    new Observable<OmsOutput>((subscriber) => {
      const queue: Work[] = [];
      let draining = false;
      let closed = false;
      const driven = deps.driveBroker !== false && isMarketDriven(deps.broker) ? deps.broker : null;

      const manager = new OrderManager(config, {
        broker: deps.broker,
        journal: deps.journal ?? null,
        emit: (out) => {
          if (!closed) subscriber.next(out);
        },
        defer: (fn) => push({ k: 'fn', fn }),
        haltEntries: deps.reconciled?.haltEntries ?? null,
      });

      const handle = (w: Work): void => {
        switch (w.k) {
          case 'input': {
            const ev = w.ev;
            switch (ev.type) {
              case 'OrderIntent':
                manager.onIntent(ev);
                return;
              case 'CancelAllOrders':
              case 'FlattenAll':
              case 'FlatVerified':
                manager.onCommand(ev);
                return;
              default:
                if (driven) {
                  // Reports the broker emits for this event queue up behind this item; the OMS sees the event after them.
                  driven.onMarket(ev);
                  queue.push({ k: 'market', ev });
                } else manager.onMarket(ev);
                return;
            }
          }
          case 'market':
            manager.onMarket(w.ev);
            return;
          case 'report':
            manager.onReport(w.r);
            return;
          case 'fn':
            w.fn();
            return;
          default: {
            const never: never = w;
            throw new Error(`oms: unhandled work ${JSON.stringify(never)}`);
          }
        }
      };

      function push(w: Work): void {
        if (closed) return;
        queue.push(w);
        if (draining) return;
        draining = true;
        try {
          while (queue.length > 0 && !closed) handle(queue.shift() as Work);
        } catch (err) {
          closed = true;
          queue.length = 0;
          subscriber.error(err);
        } finally {
          draining = false;
        }
      }

      const reportSub = deps.broker.reports$.subscribe({
        next: (r) => push({ k: 'report', r }),
        error: (err: unknown) => {
          closed = true;
          subscriber.error(err);
        },
      });

      if (deps.reconciled) {
        const rec = deps.reconciled;
        push({ k: 'fn', fn: () => rec.adopted.forEach((a) => manager.adopt(a, rec.ts)) });
      }

      const sourceSub = source.subscribe({
        next: (ev) => push({ k: 'input', ev }),
        error: (err: unknown) => {
          closed = true;
          subscriber.error(err);
        },
        complete: () => {
          closed = true;
          subscriber.complete();
        },
      });

      return () => {
        closed = true;
        sourceSub.unsubscribe();
        reportSub.unsubscribe();
      };
    });
}
