/**
 * Playbook: the contract every playbook implements. A playbook is a small per-underlying state machine over
 * Features records that recognises one setup and returns a SignalIntent when it completes (edge-triggered: once per
 * setup, not once per record while it holds).
 *
 * Each playbook *declares* where and when it may act — `regimes` and `window` (from its config) — and contextual
 * gating enforces both (`regime-mismatch`, `outside-playbook-window`), so a setup recognised in the wrong regime
 * still shows up as a blocked GateDecision with its reason instead of silently vanishing.
 */
import type { Session } from '../../../domain/calendar.js';
import type { SignalIntent } from '../../../domain/orders.js';
import type { Features } from '../../features/featuresRecord.js';
import type { PlaybookName, RegimeName } from '../signalsConfig.js';

export interface PlaybookWindow {
  /** Minutes after the open before which the playbook may not act. */
  readonly startMin: number;
  /** Minutes before the close after which it may not act. */
  readonly endMinBeforeClose: number;
}

export interface PlaybookContext {
  /** Today's NYSE session (null on a closed day). */
  readonly session: Session | null;
}

export interface Playbook {
  readonly name: PlaybookName;
  readonly regimes: readonly RegimeName[];
  readonly window: PlaybookWindow;
  /** Feed one record of this playbook's underlying; a SignalIntent when a setup completes. */
  update(f: Features, ctx: PlaybookContext): SignalIntent | null;
  /** Forget all state (a new session). */
  reset(): void;
}

/** Builds one playbook instance (one per underlying). */
export type PlaybookFactory = () => Playbook;
