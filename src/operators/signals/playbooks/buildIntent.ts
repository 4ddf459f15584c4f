/**
 * buildIntent: the SignalIntent every playbook emits, with the parts they share — the deterministic id
 * (playbook-underlying-ts in whole ms; letters, digits and '-' only, so it can be a Tradier tag prefix), the
 * weighted strength clamped to 0..1, and the time stop (hold time, capped `timeStopBeforeCloseMin` before the
 * session close).
 */
import type { Session } from '../../../domain/calendar.js';
import type { Direction, SignalIntent } from '../../../domain/orders.js';
import { clamp01 } from '../../../quant/signals/clamp01.js';
import type { Features } from '../../features/featuresRecord.js';
import type { PlaybookName } from '../signalsConfig.js';

export interface IntentCommon {
  readonly weight: number;
  readonly holdMin: number;
  readonly expiry: '0dte' | 'next';
  readonly targetDelta: number;
}

export interface IntentArgs {
  readonly playbook: PlaybookName;
  readonly common: IntentCommon;
  readonly timeStopBeforeCloseMin: number;
  readonly f: Features;
  readonly session: Session | null;
  readonly direction: Direction;
  /** Playbook's own conviction, 0..1, before weighting. */
  readonly rawStrength: number;
  readonly reason: string;
  readonly stop: number;
  readonly target: number;
}

export function buildIntent(a: IntentArgs): SignalIntent {
  const { f } = a;
  const hold = f.ts + a.common.holdMin * 60_000;
  const cap = a.session === null ? hold : a.session.close - a.timeStopBeforeCloseMin * 60_000;
  return {
    type: 'SignalIntent',
    ts: f.ts,
    id: `${a.playbook}-${f.underlying}-${Math.round(f.ts)}`,
    underlying: f.underlying,
    direction: a.direction,
    playbook: a.playbook,
    strength: clamp01(a.rawStrength * a.common.weight),
    reason: a.reason,
    refPrice: f.price,
    underlyingStop: a.stop,
    underlyingTarget: a.target,
    timeStop: Math.max(f.ts, Math.min(hold, cap)),
    contract: { expiry: a.common.expiry, targetDelta: a.common.targetDelta },
  };
}
