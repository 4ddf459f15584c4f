/**
 * The broker port: everything the order manager needs from a broker, so replay/paper (SimBroker) and
 * sandbox/live (TradierBroker) trade through the same code. One lifecycle contract suite runs against every
 * implementation.
 *
 * Rules every implementation keeps:
 * - `submitBracket` is never retried blindly. If the answer is lost (timeout, 5xx) the result is `unknown`, and the
 *   caller resolves it with `findByTag` — adopt what the broker has, never send a second bracket.
 * - Expected failures are values (`rejected` results and ExecutionReports), not exceptions. Exceptions mean the
 *   port itself is broken (programming error, unreachable after retries on *reads*).
 * - Reports carry event time: the simulated broker stamps the market event that caused them; the Tradier broker
 *   stamps receive time mapped through the pipeline clock.
 */
import type { Observable } from 'rxjs';
import type { ExecutionReport, OrderIntent, OrderStatus } from '../../domain/orders.js';

export type SubmitResult =
  | { readonly kind: 'accepted'; readonly brokerOrderId: string; readonly legIds: { readonly entry: string; readonly target: string; readonly stop: string } }
  | { readonly kind: 'rejected'; readonly reason: string }
  | { readonly kind: 'unknown'; readonly reason: string };

export type ModifyResult = { readonly kind: 'ok' } | { readonly kind: 'rejected'; readonly reason: string };
export type CancelResult = { readonly kind: 'ok' } | { readonly kind: 'already-final'; readonly status: OrderStatus } | { readonly kind: 'rejected'; readonly reason: string };

export interface BrokerLeg {
  readonly id: string;
  readonly leg: 'entry' | 'target' | 'stop' | 'exit';
  readonly optionSymbol: string;
  readonly side: 'buy_to_open' | 'sell_to_close';
  readonly type: 'limit' | 'stop' | 'stop_limit' | 'market';
  readonly quantity: number;
  readonly price: number | null;
  readonly stop: number | null;
  readonly status: OrderStatus;
  readonly execQuantity: number;
  readonly avgFillPrice: number;
}

export interface BrokerOrder {
  readonly brokerOrderId: string;
  /** Client id (OrderIntent.id) as sent in `tag`. */
  readonly tag: string | null;
  readonly status: OrderStatus;
  readonly legs: readonly BrokerLeg[];
}

export interface BrokerPosition {
  /** Polygon form `O:…`. */
  readonly optionSymbol: string;
  /** Signed contracts (long > 0). */
  readonly quantity: number;
  readonly costBasis: number;
}

export interface BrokerBalances {
  readonly cash: number;
  readonly optionBuyingPower: number;
  readonly equity: number;
}

export interface BrokerPort {
  readonly name: string;
  /** Entry (marketable limit, buy_to_open) → OCO(take-profit limit, stop) on fill. */
  submitBracket(intent: OrderIntent): Promise<SubmitResult>;
  /** Change a working leg's price or stop (e.g. the stop leg as the underlying moves). */
  modifyLeg(legId: string, change: { readonly price?: number; readonly stop?: number }): Promise<ModifyResult>;
  /** Cancel an order or leg; cancelling a bracket's parent cancels its working legs. */
  cancel(brokerOrderId: string): Promise<CancelResult>;
  /** A marketable-limit sell_to_close outside any bracket (flatten, kill switch, underlying stop crossed). */
  closePosition(optionSymbol: string, quantity: number, limitPrice: number, tag: string): Promise<SubmitResult>;
  listOrders(): Promise<readonly BrokerOrder[]>;
  /** Look an order up by client tag — how an `unknown` submission is resolved. */
  findByTag(tag: string): Promise<BrokerOrder | null>;
  positions(): Promise<readonly BrokerPosition[]>;
  balances(): Promise<BrokerBalances>;
  /** Fills, cancels, rejects, expiries — de-duplicated, in order. */
  readonly reports$: Observable<ExecutionReport>;
}
