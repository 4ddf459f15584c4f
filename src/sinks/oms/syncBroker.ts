/**
 * Optional broker capabilities that make replay deterministic. Not part of BrokerPort (which stays the async
 * contract every broker implements); the OMS detects them at run time.
 *
 * - `MarketDrivenBroker`: the broker is driven by market events in event time (SimBroker). The OMS operator feeds
 *   it every MarketEvent *before* handling the event itself, so fills caused by an event are known before the OMS
 *   reacts to that event.
 * - `SyncBrokerCalls`: the same operations as BrokerPort, answered synchronously. SimBroker applies every call's
 *   state change synchronously anyway (its async methods return already-resolved promises of these results); the
 *   OMS uses the sync form so a result is applied in the same step of the stream as the call, instead of in a
 *   microtask after the replay source may have emitted many more events.
 */
import type { MarketEvent } from '../../domain/events.js';
import type { OrderIntent } from '../../domain/orders.js';
import type { BrokerOrder, BrokerPosition, CancelResult, ModifyResult, SubmitResult } from './BrokerPort.js';

export interface MarketDrivenBroker {
  onMarket(ev: MarketEvent): void;
}

export interface SyncBrokerCalls {
  submitBracketSync(intent: OrderIntent): SubmitResult;
  modifyLegSync(legId: string, change: { readonly price?: number; readonly stop?: number }): ModifyResult;
  cancelSync(brokerOrderId: string): CancelResult;
  closePositionSync(optionSymbol: string, quantity: number, limitPrice: number, tag: string): SubmitResult;
  findByTagSync(tag: string): BrokerOrder | null;
  positionsSync(): readonly BrokerPosition[];
}

export function isMarketDriven(b: object): b is MarketDrivenBroker {
  return typeof (b as Partial<MarketDrivenBroker>).onMarket === 'function';
}

export function hasSyncCalls(b: object): b is SyncBrokerCalls {
  const s = b as Partial<SyncBrokerCalls>;
  return (
    typeof s.submitBracketSync === 'function' &&
    typeof s.modifyLegSync === 'function' &&
    typeof s.cancelSync === 'function' &&
    typeof s.closePositionSync === 'function' &&
    typeof s.findByTagSync === 'function' &&
    typeof s.positionsSync === 'function'
  );
}
