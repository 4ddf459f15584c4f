/**
 * Events the signals stage defines beyond the domain's (orders.ts, events.ts):
 *   - `TradeClosed`: a round trip ended (derived downstream from ExecutionReports by risk/OMS or the learner);
 *     feeds the loss cooldown and releases the underlying's active signal.
 *   - `ChangePoint`: the learner's change-point detector fired for an underlying; the regime classifier drops its
 *     hysteresis state (dwell and confirmation) so the next Features record is classified afresh. This is the
 *     seam the Learner issue plugs into; nothing in this stage emits it.
 *   - `RegimeState`: the regime classifier's output per Features record.
 * All carry `ts` in event time.
 */
import type { MarketEvent } from '../../domain/events.js';
import type { Underlying } from '../../domain/instruments.js';
import type { GateDecision, OrderIntent, SignalIntent } from '../../domain/orders.js';
import type { Features } from '../features/featuresRecord.js';
import type { RegimeName } from './signalsConfig.js';

export interface TradeClosed {
  readonly type: 'TradeClosed';
  readonly ts: number;
  readonly underlying: Underlying;
  readonly playbook: string;
  /** Realised P&L of the round trip in dollars, fees included; < 0 is a loss. */
  readonly pnl: number;
  /** The SignalIntent id the trade came from, when known. */
  readonly signalId?: string;
}

export interface ChangePoint {
  readonly type: 'ChangePoint';
  readonly ts: number;
  readonly underlying: Underlying;
  /** Which detector fired (for logs). */
  readonly source?: string;
}

export interface RegimeState {
  readonly type: 'RegimeState';
  readonly ts: number;
  readonly underlying: Underlying;
  readonly regime: RegimeName;
  /** Event time the current regime was entered. */
  readonly since: number;
  /** +1 up-trend, −1 down-trend, 0 otherwise. */
  readonly direction: -1 | 0 | 1;
}

export type SignalsInput = Features | MarketEvent | TradeClosed | ChangePoint;
export type SignalsOutput = SignalIntent | GateDecision | OrderIntent;
