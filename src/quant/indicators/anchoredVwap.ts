/**
 * AnchoredVwap: VWAP (with its volume-weighted σ) accumulated from an anchor.
 *
 * Anchors:
 * - `sessionOpen`: from the regular-session open (same number as SessionVwap; kept for symmetry).
 * - `highOfDay` / `lowOfDay`: from the input that made the current session high (low). Each new high (low) —
 *   strictly above (below) the previous one — re-anchors, so the value is always the VWAP since the latest
 *   extreme, including the input that made it. Session-scoped: regular hours only, reset at each new NY day.
 * - `timestamp`: from an absolute event time (inputs with `ts >= anchor.ts`), across sessions and outside regular
 *   hours — exactly what a user means by "anchor here". This is the Stock.Indicators `Vwap(startDate)` convention.
 *
 * Input: `{ ts, price, volume, high?, low? }`; for bars `ts` = bar START, `price` = typical price and
 * `high`/`low` the bar's extremes (defaulting to `price` for prints).
 *
 * Warm-up: null until volume has traded since the anchor. Time: event time only.
 */
import { assertNever } from '../../domain/events.js';
import { SessionTracker, type SessionLookup } from './sessionTracker.js';
import type { VwapInput } from './vwap.js';
import { WeightedMoments } from './weightedMoments.js';

export type VwapAnchor =
  | { readonly kind: 'sessionOpen' }
  | { readonly kind: 'highOfDay' }
  | { readonly kind: 'lowOfDay' }
  | { readonly kind: 'timestamp'; readonly ts: number };

export interface AnchoredVwapInput extends VwapInput {
  readonly high?: number;
  readonly low?: number;
}

export class AnchoredVwap {
  readonly anchor: VwapAnchor;
  private readonly sessions: SessionTracker;
  private readonly moments = new WeightedMoments();
  private sessionDate: string | null = null;
  private extreme = Number.NaN;
  private anchoredAt: number | null = null;

  constructor(anchor: VwapAnchor, sessions: SessionLookup | SessionTracker = new SessionTracker()) {
    this.anchor = anchor;
    this.sessions = sessions instanceof SessionTracker ? sessions : new SessionTracker(sessions);
  }

  update(x: AnchoredVwapInput): void {
    const a = this.anchor;
    switch (a.kind) {
      case 'timestamp':
        if (x.ts < a.ts) return;
        if (this.anchoredAt === null) this.anchoredAt = a.ts;
        this.moments.add(x.price, x.volume);
        return;
      case 'sessionOpen':
      case 'highOfDay':
      case 'lowOfDay': {
        const s = this.sessions.sessionOf(x.ts);
        const date = s?.date ?? null;
        if (date !== this.sessionDate) {
          this.moments.reset();
          this.sessionDate = date;
          this.extreme = Number.NaN;
          this.anchoredAt = null;
        }
        if (s === null || x.ts < s.open || x.ts >= s.close) return;
        if (a.kind === 'sessionOpen') {
          if (this.anchoredAt === null) this.anchoredAt = s.open;
        } else {
          const level = a.kind === 'highOfDay' ? (x.high ?? x.price) : (x.low ?? x.price);
          const better = a.kind === 'highOfDay' ? level > this.extreme : level < this.extreme;
          if (Number.isNaN(this.extreme) || better) {
            this.extreme = level;
            this.anchoredAt = x.ts;
            this.moments.reset();
          }
        }
        this.moments.add(x.price, x.volume);
        return;
      }
      default:
        return assertNever(a, 'VWAP anchor');
    }
  }

  /** Anchored VWAP, null before any volume since the anchor. */
  get value(): number | null {
    return this.moments.mean;
  }

  get sigma(): number | null {
    return this.moments.sigma;
  }

  /** Event time the current value is anchored at (the session open, the extreme's input time, or the timestamp). */
  get anchorTs(): number | null {
    return this.anchoredAt;
  }

  /** The session high (highOfDay) or low (lowOfDay) the value is anchored to; null for other anchors. */
  get anchorLevel(): number | null {
    return Number.isNaN(this.extreme) ? null : this.extreme;
  }

  reset(): void {
    this.moments.reset();
    this.sessionDate = null;
    this.extreme = Number.NaN;
    this.anchoredAt = null;
  }
}
