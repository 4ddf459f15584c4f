/**
 * What the OMS consumes besides market data and order intents, and the lifecycle events it emits next to the
 * broker's ExecutionReports. Tagged unions on `type`, each stamped with event time (`ts` of the market event or
 * broker report that caused it).
 *
 * Commands (CancelAllOrders, FlattenAll) and BrokerPositions/BrokerState are the risk stage's types
 * (src/operators/risk/riskEvents.ts), re-exported here so OMS code has one import.
 */
import type { MarketEvent } from '../../domain/events.js';
import type { ExecutionReport, OrderIntent } from '../../domain/orders.js';
import type { Underlying } from '../../domain/instruments.js';
import type { BrokerPositions, BrokerState, CancelAllOrders, FlattenAll, FlatVerified } from '../../operators/risk/riskEvents.js';

export type { BrokerPositions, BrokerState, CancelAllOrders, FlattenAll, FlatVerified };

/**
 * Bracket lifecycle: pending (sent, no answer) → working (entry resting) → partially_filled → filled (entry done,
 * position open, OCO protecting it) → closed (position back to 0). Terminal alternatives: cancelled (entry
 * cancelled with nothing filled), rejected, expired (entry expired unfilled, or the position settled at
 * expiry). `unknown`: the submission's answer was lost; resolved by lookup by tag, never by resending.
 */
export type BracketState =
  | 'pending'
  | 'working'
  | 'partially_filled'
  | 'filled'
  | 'closed'
  | 'cancelled'
  | 'rejected'
  | 'expired'
  | 'unknown';

export const TERMINAL_BRACKET_STATES: ReadonlySet<BracketState> = new Set(['closed', 'cancelled', 'rejected', 'expired']);

export interface BracketUpdate {
  readonly type: 'BracketUpdate';
  readonly ts: number;
  /** OrderIntent.id (the broker tag). */
  readonly orderId: string;
  readonly underlying: Underlying;
  readonly state: BracketState;
  readonly prev: BracketState | null;
  /** Contracts open (entry fills − exit fills) after this update. */
  readonly openQuantity: number;
  readonly reason: string;
}

/** The stop leg was moved (or a move was refused by the broker). */
export interface StopAdjusted {
  readonly type: 'StopAdjusted';
  readonly ts: number;
  readonly orderId: string;
  readonly from: number;
  readonly to: number;
  readonly underlyingPrice: number;
  /** Underlying stop level in force (the intent's, or the trailing one). */
  readonly underlyingStop: number;
  readonly why: 'sync' | 'break-even' | 'trail';
  readonly accepted: boolean;
  readonly reason?: string;
}

/** Something the OMS refused to apply or a broker call that failed; never thrown. */
export interface OmsError {
  readonly type: 'OmsError';
  readonly ts: number;
  readonly orderId: string | null;
  readonly reason: string;
  readonly detail?: string;
}

export type OmsCommand = CancelAllOrders | FlattenAll | FlatVerified;

export type OmsInput = MarketEvent | OrderIntent | OmsCommand;

export type OmsEvent = BracketUpdate | StopAdjusted | OmsError | BrokerPositions | BrokerState;

export type OmsOutput = ExecutionReport | OmsEvent;
