/**
 * roundTrips: approved OrderIntents + ExecutionReports → TradeClosed, one per bracket once it is flat again.
 *
 * Input events: OrderIntent (approved, from risk: tells which underlying, playbook and signal a bracket belongs to)
 * and ExecutionReport (fills of the entry and of any exit: target, stop, exit, settlement).
 * Output events: TradeClosed {pnl} when a bracket's exits have sold everything its entry bought (P&L in dollars:
 * (sell proceeds − buy cost) × 100 − fees; settlements count as sales at their settlement price).
 * State: per bracket id, contracts bought/sold, cash flows and fees (in the factory closure).
 * Warm-up: none. Time: TradeClosed carries the ts of the report that flattened the bracket.
 * A report for a bracket never seen as an intent (e.g. adopted at reconciliation) is still tracked, with
 * underlying from its option root and playbook 'unknown'.
 */
import { Observable, type OperatorFunction } from 'rxjs';
import { ROOT_INFO, isOptionRoot, tryParseOcc, MULTIPLIER, type Underlying } from '../../domain/instruments.js';
import { bracketIdOf, type ExecutionReport, type OrderIntent } from '../../domain/orders.js';
import type { TradeClosed } from '../signals/signalEvents.js';

interface Book {
  underlying: Underlying | null;
  playbook: string;
  signalId: string | undefined;
  bought: number;
  sold: number;
  cash: number;
  fees: number;
  closed: boolean;
}

export function roundTrips(): OperatorFunction<OrderIntent | ExecutionReport, TradeClosed> {
  return (source) =>
    new Observable<TradeClosed>((subscriber) => {
      const books = new Map<string, Book>();
      const bookOf = (id: string): Book => {
        let b = books.get(id);
        if (!b) {
          b = { underlying: null, playbook: 'unknown', signalId: undefined, bought: 0, sold: 0, cash: 0, fees: 0, closed: false };
          books.set(id, b);
        }
        return b;
      };
      return source.subscribe({
        next(ev) {
          if (ev.type === 'OrderIntent') {
            const b = bookOf(ev.id);
            b.underlying = ev.underlying;
            b.playbook = ev.playbook;
            b.signalId = ev.signalId;
            return;
          }
          // Exits sent outside the bracket carry `<intentId>-xN`: they belong to the bracket's book.
          const b = bookOf(bracketIdOf(ev.orderId));
          b.fees += ev.fees;
          if (ev.fillQuantity > 0) {
            if (ev.leg === 'entry') {
              b.bought += ev.fillQuantity;
              b.cash -= ev.fillQuantity * ev.fillPrice * MULTIPLIER;
            } else {
              b.sold += ev.fillQuantity;
              b.cash += ev.fillQuantity * ev.fillPrice * MULTIPLIER;
            }
          }
          if (!b.closed && b.bought > 0 && b.sold >= b.bought) {
            b.closed = true;
            const c = tryParseOcc(ev.optionSymbol);
            const underlying = b.underlying ?? (c && isOptionRoot(c.root) ? ROOT_INFO[c.root].underlying : null);
            if (underlying === null) return;
            const pnl = Math.round((b.cash - b.fees) * 100) / 100;
            subscriber.next({
              type: 'TradeClosed',
              ts: ev.ts,
              underlying,
              playbook: b.playbook,
              pnl,
              ...(b.signalId !== undefined ? { signalId: b.signalId } : {}),
            });
          }
        },
        error: (e: unknown) => subscriber.error(e),
        complete: () => subscriber.complete(),
      });
    });
}
