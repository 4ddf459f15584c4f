/**
 * The dashboard's view model: plain, immutable objects built by the `dashboardState` reducer from the pipeline's
 * output, and the commands the screen's keys dispatch. Nothing here reads the wall clock; every time is event
 * time (epoch ms).
 */
import type { BracketLeg, TradingStateName } from '../../domain/orders.js';
import type { FeedCluster } from '../../operators/risk/riskEvents.js';
import type { BracketState } from '../../sinks/oms/omsEvents.js';

export type FeedStateName = 'LIVE' | 'STALE' | 'RECOVERING';

export interface FeedHealth {
  readonly cluster: FeedCluster;
  /** Null until the source reports one (replay never does: its data is by definition live). */
  readonly state: FeedStateName | null;
  readonly messages: number;
  /** Messages per second of event time over the last complete window; null before the first window closed. */
  readonly rate: number | null;
  readonly windowStart: number;
  readonly windowCount: number;
  /** Receive lag (tsRecv − ts) of the last event carrying tsRecv (live only), and the largest in the current window. */
  readonly lagMs: number | null;
  readonly lagMaxMs: number | null;
  readonly windowLagMax: number | null;
  /** Times the cluster went RECOVERING (a reconnect in progress). */
  readonly reconnects: number;
  readonly lastTs: number | null;
}

export interface HealthState {
  readonly feeds: Readonly<Record<FeedCluster, FeedHealth>>;
  /** Null until the OMS reports broker reachability. */
  readonly brokerReachable: boolean | null;
  readonly tradingState: TradingStateName;
  readonly tradingReason: string | null;
  /** Data-quality counters (rows dropped per dataset/reason; live drop counters when the source reports them). */
  readonly dataQuality: Readonly<Record<string, number>>;
  readonly omsErrors: number;
  readonly killSwitch: { readonly ts: number; readonly reason: string } | null;
}

export interface MarketRow {
  readonly underlying: string;
  readonly ts: number;
  readonly price: number;
  readonly vwap: number | null;
  readonly vwapLower1: number | null;
  readonly vwapUpper1: number | null;
  readonly vwapLower2: number | null;
  readonly vwapUpper2: number | null;
  readonly atr: number | null;
  readonly adx: number | null;
  readonly plusDi: number | null;
  readonly minusDi: number | null;
  /** Null while no RegimeState was seen (the regime classifier's output may not reach the pipeline's output). */
  readonly regime: string | null;
  readonly regimeDirection: -1 | 0 | 1 | null;
  readonly expectedMove: number | null;
  readonly atmIv: number | null;
  readonly skew25d: number | null;
  readonly spread: number | null;
}

export type SignalRowKind = 'intent' | 'gate' | 'denied';

export interface SignalRow {
  readonly ts: number;
  readonly kind: SignalRowKind;
  readonly underlying: string;
  readonly playbook: string | null;
  readonly text: string;
}

export interface SignalsState {
  /** Newest first. */
  readonly recent: readonly SignalRow[];
  readonly intents: number;
  readonly gateAllowed: number;
  readonly gateBlocked: number;
  readonly riskDenied: number;
  readonly approved: number;
}

export interface BracketView {
  readonly orderId: string;
  readonly underlying: string;
  readonly optionSymbol: string;
  readonly playbook: string;
  readonly quantity: number;
  readonly state: BracketState;
  readonly openQuantity: number;
  readonly entryLimit: number;
  /** Average entry fill price per share; null before the first entry fill. */
  readonly entryFill: number | null;
  readonly target: number;
  readonly stop: number;
  readonly underlyingTarget: number;
  readonly underlyingStop: number;
  readonly timeStop: number;
  /** Mid of the contract's last two-sided quote (bid when one-sided); null before one arrived. */
  readonly mark: number | null;
  readonly fees: number;
  readonly openedTs: number;
}

export interface FillRow {
  readonly ts: number;
  readonly orderId: string;
  readonly leg: BracketLeg;
  readonly optionSymbol: string;
  readonly quantity: number;
  readonly price: number;
}

export interface OrdersState {
  /** Non-terminal brackets by order id, in arrival order. */
  readonly brackets: Readonly<Record<string, BracketView>>;
  /** Option symbols of the brackets above (marks are tracked for these only). */
  readonly watched: readonly string[];
  /** Newest first. */
  readonly fills: readonly FillRow[];
  /** Realised P&L of closed round trips, dollars, fees included. */
  readonly realized: number;
  readonly trades: number;
  readonly wins: number;
  /** Non-zero positions as the broker last reported them. */
  readonly brokerPositions: readonly { readonly optionSymbol: string; readonly quantity: number }[] | null;
}

export interface ArmEstimate {
  readonly name: string;
  readonly mean: number;
  readonly pulls: number | null;
}

export interface LearnerView {
  /** False until any learner event arrived: the panel then says "not running". */
  readonly running: boolean;
  readonly lastTs: number | null;
  readonly arms: readonly ArmEstimate[];
  readonly metaThreshold: number | null;
  /** Change-point run length per underlying, as the detector reports it (observations since the last change). */
  readonly runLength: Readonly<Record<string, number>>;
  /** Event time of the last change point per underlying (when only ChangePoint events are seen). */
  readonly lastChangePoint: Readonly<Record<string, number>>;
}

export type LogLevel = 'info' | 'warn' | 'error';

export interface LogLine {
  readonly ts: number | null;
  readonly level: LogLevel;
  readonly text: string;
}

export interface DashboardState {
  /** Latest event time seen (control events from keys and files do not move it); null before the first event. */
  readonly now: number | null;
  readonly firstTs: number | null;
  readonly events: number;
  readonly stream: 'running' | 'completed' | 'error';
  readonly health: HealthState;
  readonly market: Readonly<Record<string, MarketRow>>;
  readonly signals: SignalsState;
  readonly orders: OrdersState;
  readonly learner: LearnerView;
  /** Oldest first, at most LOG_LINES. */
  readonly log: readonly LogLine[];
}

/** What the keys ask for; the entry point turns them into KillSwitch / TradingControl on the control Subject. */
export type DashboardCommand =
  | { readonly type: 'kill' }
  | { readonly type: 'pause' }
  | { readonly type: 'resume' }
  | { readonly type: 'quit' };

/** The dashboard's own events: end of the watched stream (so the screen can say so). */
export interface DashboardStreamEnded {
  readonly type: 'DashboardStreamEnded';
  readonly error: string | null;
}

/** A line the entry point adds to the log tail (e.g. "kill switch sent"). */
export interface DashboardNote {
  readonly type: 'DashboardNote';
  readonly level: LogLevel;
  readonly text: string;
}

/** One cluster's share of a DashboardMarketTally. */
export interface ClusterTally {
  readonly count: number;
  readonly firstTs: number;
  readonly lastTs: number;
  /** Receive lag of the last message carrying tsRecv, and the largest (live only). */
  readonly lagLast: number | null;
  readonly lagMax: number | null;
}

/**
 * Market events folded into counts between two frames by dashboardState$ (so the hot path allocates nothing per
 * tick); the reducer applies it like that many single events.
 */
export interface DashboardMarketTally {
  readonly type: 'DashboardMarketTally';
  readonly events: number;
  readonly firstTs: number;
  readonly lastTs: number;
  readonly stocks: ClusterTally | null;
  readonly options: ClusterTally | null;
  readonly indices: ClusterTally | null;
}
