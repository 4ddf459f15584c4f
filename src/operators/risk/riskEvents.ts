/**
 * Events the risk stage reads besides market data, order intents and execution reports, and the OMS commands it
 * emits. Tagged unions on `type`, each carrying `ts` (event time; see `risk.ts` for how control events are stamped).
 *
 * Inputs
 *   FeedState        a market-data cluster's health (the live socket source emits it; replay emits none, and a
 *                    cluster never reported is treated as LIVE — the quote-age gate still applies).
 *   BrokerState      whether the broker API answers (the OMS emits it).
 *   KillSwitch       manual (CLI `dreambot kill`, the KILL file, a dashboard key) or automatic trigger.
 *   TradingControl   manual `reduce` (exits only) or `resume` (back to ACTIVE, re-arms the kill switch).
 *   BrokerPositions  the broker's own position list (the OMS emits it after reconciling, and again after each
 *                    FlattenAll); the kill switch verifies flat against it.
 * Outputs (commands to the OMS)
 *   CancelAllOrders  cancel every working order and leg, bracket children included.
 *   FlattenAll       close positions with marketable sell_to_close limits; `optionSymbols` narrows it (0DTE
 *                    flatten before the close, halt-window flatten); absent means every position.
 *   FlatVerified     the kill switch saw the book flat and, when configured, the broker confirm it.
 */
import type { MarketEvent } from '../../domain/events.js';
import type { ExecutionReport, OrderDenied, OrderIntent, TradingStateChanged } from '../../domain/orders.js';

/** Polygon socket clusters. */
export type FeedCluster = 'stocks' | 'options' | 'indices';

export interface FeedState {
  readonly type: 'FeedState';
  readonly ts: number;
  readonly cluster: FeedCluster;
  readonly state: 'LIVE' | 'STALE' | 'RECOVERING';
}

export interface BrokerState {
  readonly type: 'BrokerState';
  readonly ts: number;
  readonly reachable: boolean;
}

export interface KillSwitch {
  readonly type: 'KillSwitch';
  readonly ts: number;
  readonly source: 'manual' | 'auto';
  readonly reason: string;
}

export interface TradingControl {
  readonly type: 'TradingControl';
  readonly ts: number;
  readonly command: 'resume' | 'reduce';
  readonly reason: string;
}

export interface BrokerPositions {
  readonly type: 'BrokerPositions';
  readonly ts: number;
  /** Signed contracts per option symbol (Polygon form `O:…`); zero-quantity rows are allowed and mean flat. */
  readonly positions: readonly { readonly optionSymbol: string; readonly quantity: number }[];
}

export interface CancelAllOrders {
  readonly type: 'CancelAllOrders';
  readonly ts: number;
  readonly reason: string;
}

export interface FlattenAll {
  readonly type: 'FlattenAll';
  readonly ts: number;
  readonly reason: string;
  /** Only these positions; absent = every open position. */
  readonly optionSymbols?: readonly string[];
}

export interface FlatVerified {
  readonly type: 'FlatVerified';
  readonly ts: number;
}

export type RiskControlEvent = FeedState | BrokerState | KillSwitch | TradingControl | BrokerPositions;

export type RiskInput = MarketEvent | OrderIntent | ExecutionReport | RiskControlEvent;

export type RiskCommand = CancelAllOrders | FlattenAll | FlatVerified;

export type RiskOutput = OrderIntent | OrderDenied | TradingStateChanged | RiskCommand;
