/**
 * Intraday U-shapes for the synthetic day: activity (event rate, volume) and volatility are highest just after
 * the open, sag through midday and rise again into the close; pre- and post-market are thin.
 *
 * Both are pure functions of event time relative to the session (epoch ms), so every generator (stock tape,
 * index values, options) sees the same clock. Values are unnormalised multipliers; callers scale them.
 */

export interface SessionClock {
  /** Opening bell, epoch ms. */
  readonly open: number;
  /** Closing bell, epoch ms (13:00 ET on early-close days). */
  readonly close: number;
}

const MINUTE = 60_000;

/** Event-rate multiplier: ≈4× midday at the open, ≈2.5× into the close, ≈0.1× outside regular hours. */
export function activityShape(ms: number, s: SessionClock): number {
  if (ms < s.open || ms >= s.close) return 0.1;
  const sinceOpen = (ms - s.open) / MINUTE;
  const toClose = (s.close - ms) / MINUTE;
  return 0.6 + 2.6 * Math.exp(-sinceOpen / 18) + 1.6 * Math.exp(-toClose / 14);
}

/** Volatility multiplier: ≈2× midday at the open, ≈1.4× at the close, quieter outside regular hours. */
export function volShape(ms: number, s: SessionClock): number {
  if (ms < s.open || ms >= s.close) return 0.45;
  const sinceOpen = (ms - s.open) / MINUTE;
  const toClose = (s.close - ms) / MINUTE;
  return 0.8 + 1.0 * Math.exp(-sinceOpen / 25) + 0.45 * Math.exp(-toClose / 20);
}
