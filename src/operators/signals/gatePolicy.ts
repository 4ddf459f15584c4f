/**
 * gatePolicy: the contextual-gating rules as one pure function of a context → allow, or deny with the FIRST
 * failing reason in this order (the order is part of the contract: reports count by it):
 *
 *   closed                       no session today, or ts outside [open, close) (early closes via sessionFor)
 *   opening-delay                within `openingDelaySec` after the open
 *   entry-cutoff                 within `entryCutoffMin` before the close (13:00 ET on early-close days)
 *   outside-playbook-window      outside the playbook's declared window
 *   regime-warming               the regime is still `warming` and the playbook does not declare it
 *   regime-mismatch              the regime is not one the playbook declares
 *   strength-too-low             weighted strength < `minStrength`
 *   active-signal                the underlying already has an active signal (`oneActivePerUnderlying`)
 *   loss-cooldown                a losing trade on the underlying closed less than `lossCooldownSec` ago
 *   signal-cooldown              the same playbook/underlying/direction was allowed < `sameSignalCooldownSec` ago
 *   underlying-spread-unknown    no two-sided NBBO on the microstructure symbol (fail closed)
 *   underlying-spread-too-wide   spreadBps > `maxUnderlyingSpreadBps`
 *   option-quote-missing         no fresh ATM option quote for the wished expiry and right
 *   option-spread-too-wide       the ATM option's spread / mid > `maxOptionSpreadPct`
 *   iv-unknown | iv-too-low | iv-too-high            ATM IV missing or outside [minIv, maxIv]
 *   expected-move-unknown | expected-move-too-small  one-σ move to the close unknown or < `minExpectedMoveBps`
 *   target-beyond-expected-move  |target − ref| > `maxTargetToExpectedMove` expected moves
 * Allowed decisions carry reason `allowed`.
 */
import type { Session } from '../../domain/calendar.js';
import type { PlaybookWindow } from './playbooks/playbook.js';
import type { GatingConfig, RegimeName } from './signalsConfig.js';

export type GateReason =
  | 'allowed'
  | 'closed'
  | 'opening-delay'
  | 'entry-cutoff'
  | 'outside-playbook-window'
  | 'regime-warming'
  | 'regime-mismatch'
  | 'strength-too-low'
  | 'active-signal'
  | 'loss-cooldown'
  | 'signal-cooldown'
  | 'underlying-spread-unknown'
  | 'underlying-spread-too-wide'
  | 'option-quote-missing'
  | 'option-spread-too-wide'
  | 'iv-unknown'
  | 'iv-too-low'
  | 'iv-too-high'
  | 'expected-move-unknown'
  | 'expected-move-too-small'
  | 'target-beyond-expected-move';

export interface GateContext {
  readonly ts: number;
  readonly session: Session | null;
  /** The playbook's declarations. */
  readonly regimes: readonly RegimeName[];
  readonly window: PlaybookWindow;
  readonly regime: RegimeName;
  readonly strength: number;
  /** Event time the underlying's active signal ends (its time stop), or null when none is active. */
  readonly activeUntil: number | null;
  /** Event time of the underlying's last losing TradeClosed, or null. */
  readonly lastLossTs: number | null;
  /** Event time of the last allowed signal of the same playbook/underlying/direction, or null. */
  readonly lastSameSignalTs: number | null;
  readonly spreadBps: number | null;
  /** ATM option spread / mid, null when no fresh two-sided ATM quote. */
  readonly optionSpreadPct: number | null;
  readonly iv: number | null;
  readonly expectedMove: number | null;
  readonly price: number;
  /** |underlyingTarget − refPrice|. */
  readonly targetDistance: number;
}

const MIN = 60_000;

export function gatePolicy(c: GateContext, g: GatingConfig): GateReason {
  const s = c.session;
  if (s === null || c.ts < s.open || c.ts >= s.close) return 'closed';
  if (c.ts < s.open + g.openingDelaySec * 1000) return 'opening-delay';
  if (c.ts >= s.close - g.entryCutoffMin * MIN) return 'entry-cutoff';
  if (c.ts < s.open + c.window.startMin * MIN || c.ts >= s.close - c.window.endMinBeforeClose * MIN) return 'outside-playbook-window';
  if (!c.regimes.includes(c.regime)) return c.regime === 'warming' ? 'regime-warming' : 'regime-mismatch';
  if (c.strength < g.minStrength) return 'strength-too-low';
  if (g.oneActivePerUnderlying && c.activeUntil !== null && c.ts < c.activeUntil) return 'active-signal';
  if (c.lastLossTs !== null && c.ts - c.lastLossTs < g.lossCooldownSec * 1000) return 'loss-cooldown';
  if (c.lastSameSignalTs !== null && c.ts - c.lastSameSignalTs < g.sameSignalCooldownSec * 1000) return 'signal-cooldown';
  if (c.spreadBps === null) return 'underlying-spread-unknown';
  if (c.spreadBps > g.maxUnderlyingSpreadBps) return 'underlying-spread-too-wide';
  if (c.optionSpreadPct === null) return 'option-quote-missing';
  if (c.optionSpreadPct > g.maxOptionSpreadPct) return 'option-spread-too-wide';
  if (c.iv === null) return 'iv-unknown';
  if (c.iv < g.minIv) return 'iv-too-low';
  if (c.iv > g.maxIv) return 'iv-too-high';
  if (c.expectedMove === null) return 'expected-move-unknown';
  if (c.expectedMove < (g.minExpectedMoveBps / 10_000) * c.price) return 'expected-move-too-small';
  if (c.targetDistance > g.maxTargetToExpectedMove * c.expectedMove) return 'target-beyond-expected-move';
  return 'allowed';
}
