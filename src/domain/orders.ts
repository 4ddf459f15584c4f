/**
 * The decision and order events that flow downstream of features: signals → risk → OMS, and the execution
 * reports that flow back through the one feedback Subject. All are tagged unions on `type` carrying `ts` (event
 * time of the market event that caused them, never the wall clock), so replay and live produce the same
 * sequences for the same inputs.
 *
 * Prices of option orders are per share (×100 for a contract); `underlyingStop`/`underlyingTarget` are levels of
 * the underlying (what playbooks reason in); the OMS derives and keeps in step the option stop from them.
 */
import type { OptionRight, OptionRoot, Underlying } from './instruments.js';

export type Direction = 'calls' | 'puts';

/** What a playbook wants: direction and levels on the underlying, and a wish for the contract. */
export interface SignalIntent {
  readonly type: 'SignalIntent';
  readonly ts: number;
  /** Deterministic id: playbook + underlying + event time, so replays reproduce it. */
  readonly id: string;
  readonly underlying: Underlying;
  readonly direction: Direction;
  readonly playbook: string;
  /** 0..1 */
  readonly strength: number;
  readonly reason: string;
  /** Underlying price when the signal fired. */
  readonly refPrice: number;
  readonly underlyingStop: number;
  readonly underlyingTarget: number;
  /** Event time after which the position is closed whatever happens. */
  readonly timeStop: number;
  readonly contract: { readonly expiry: '0dte' | 'next'; readonly targetDelta: number };
  /** Probability of hitting the target before the stop, when a model provides it (learner). */
  readonly pWin?: number;
}

/** Why an entry was or was not allowed by contextual gating (one per evaluated signal or blocked context). */
export interface GateDecision {
  readonly type: 'GateDecision';
  readonly ts: number;
  readonly underlying: Underlying;
  readonly playbook: string;
  readonly allowed: boolean;
  readonly reason: string;
  readonly intentId?: string;
}

export type OrderSide = 'buy_to_open' | 'sell_to_close';

/** A bracket to send: a marketable-limit entry, then an OCO of a limit take-profit and a stop (Tradier OTOCO). */
export interface OrderIntent {
  readonly type: 'OrderIntent';
  readonly ts: number;
  /** Client id, carried as Tradier's `tag` (letters, digits, '-'); unique per bracket. */
  readonly id: string;
  readonly signalId: string;
  readonly underlying: Underlying;
  readonly root: OptionRoot;
  /** Polygon form `O:SPXW…`. */
  readonly optionSymbol: string;
  readonly right: OptionRight;
  readonly expiry: string;
  readonly strike: number;
  readonly quantity: number;
  readonly side: OrderSide;
  readonly limitPrice: number;
  readonly takeProfit: number;
  readonly stopPrice: number;
  readonly underlyingStop: number;
  readonly underlyingTarget: number;
  readonly timeStop: number;
  readonly playbook: string;
  /** NBBO of the contract at decision time (for fill-quality reports). */
  readonly bidAtDecision: number;
  readonly askAtDecision: number;
}

/** Risk said no. */
export interface OrderDenied {
  readonly type: 'OrderDenied';
  readonly ts: number;
  readonly intentId: string;
  readonly underlying: Underlying;
  readonly reason: string;
  readonly detail?: string;
}

export type TradingStateName = 'ACTIVE' | 'REDUCING' | 'HALTED';

export interface TradingStateChanged {
  readonly type: 'TradingStateChanged';
  readonly ts: number;
  readonly from: TradingStateName;
  readonly to: TradingStateName;
  readonly reason: string;
}

export type OrderStatus =
  | 'pending'
  | 'working'
  | 'partially_filled'
  | 'filled'
  | 'cancelled'
  | 'rejected'
  | 'expired'
  | 'unknown';

export type BracketLeg = 'entry' | 'target' | 'stop' | 'exit';

/** What the broker (simulated or Tradier) says happened to an order leg. */
export interface ExecutionReport {
  readonly type: 'ExecutionReport';
  readonly ts: number;
  /** The bracket's client id (OrderIntent.id / Tradier tag). */
  readonly orderId: string;
  readonly brokerOrderId?: string;
  readonly leg: BracketLeg;
  readonly optionSymbol: string;
  readonly status: OrderStatus;
  /** This report's fill (0 for non-fill reports). */
  readonly fillQuantity: number;
  readonly fillPrice: number;
  readonly cumulativeQuantity: number;
  readonly avgFillPrice: number;
  readonly fees: number;
  readonly reason?: string;
}

export type DecisionEvent = SignalIntent | GateDecision | OrderIntent | OrderDenied | TradingStateChanged | ExecutionReport;

/**
 * Exit orders sent outside a bracket (a flatten, a time stop, a replaced stop) are identified — order id at the
 * simulated broker, tag at Tradier — as `<bracketId>-x<N>`, N counting from 1 per bracket.
 */
export function exitOrderId(bracketId: string, n: number): string {
  return `${bracketId}-x${n}`;
}

const EXIT_ID = /^(.+)-x(\d+)$/;

/** The bracket and exit number of an exit order id or tag; null when it is not one. */
export function parseExitOrderId(id: string): { readonly bracketId: string; readonly n: number } | null {
  const m = EXIT_ID.exec(id);
  return m ? { bracketId: m[1]!, n: Number(m[2]) } : null;
}

/** The bracket an order id belongs to: an exit's bracket, else the id itself. */
export function bracketIdOf(orderId: string): string {
  return parseExitOrderId(orderId)?.bracketId ?? orderId;
}
