/**
 * SessionVwap: session VWAP with volume-weighted σ bands (±1σ, ±2σ, ±3σ), resetting at each regular-session open.
 *
 * Input: `{ ts, price, volume }` — for a bar, `ts` is the bar START (when its volume traded) and `price` its
 * typical price (H+L+C)/3; for a print, its time, price and size. Only inputs inside the regular session
 * [open, close) count: pre-market and post-close prints are ignored. The first input of a new NY day resets the
 * accumulators, so yesterday's VWAP never leaks into today's pre-market.
 *
 * σ is the volume-weighted standard deviation of the traded prices about VWAP since the open (population form):
 * σ² = Σv·(p − VWAP)² / Σv. Bands are VWAP ± k·σ.
 *
 * Warm-up: `value`/`bands` are null until the session has traded volume. Time: event time only. Sessions come from
 * the injected lookup (default weekdays 09:30–16:00 ET; pass the NYSE calendar for holidays and early closes).
 */
import { SessionTracker, type SessionLookup } from './sessionTracker.js';
import { WeightedMoments } from './weightedMoments.js';

export interface VwapInput {
  readonly ts: number;
  readonly price: number;
  readonly volume: number;
}

export interface VwapBands {
  readonly vwap: number;
  readonly sigma: number;
  readonly upper1: number;
  readonly lower1: number;
  readonly upper2: number;
  readonly lower2: number;
  readonly upper3: number;
  readonly lower3: number;
}

export function vwapBands(vwap: number, sigma: number): VwapBands {
  return {
    vwap,
    sigma,
    upper1: vwap + sigma,
    lower1: vwap - sigma,
    upper2: vwap + 2 * sigma,
    lower2: vwap - 2 * sigma,
    upper3: vwap + 3 * sigma,
    lower3: vwap - 3 * sigma,
  };
}

export class SessionVwap {
  private readonly sessions: SessionTracker;
  private readonly moments = new WeightedMoments();
  private sessionDate: string | null = null;

  constructor(sessions: SessionLookup | SessionTracker = new SessionTracker()) {
    this.sessions = sessions instanceof SessionTracker ? sessions : new SessionTracker(sessions);
  }

  update(x: VwapInput): void {
    const s = this.sessions.sessionOf(x.ts);
    const date = s?.date ?? null;
    if (date !== this.sessionDate) {
      this.moments.reset();
      this.sessionDate = date;
    }
    if (s === null || x.ts < s.open || x.ts >= s.close) return;
    this.moments.add(x.price, x.volume);
  }

  get value(): number | null {
    return this.moments.mean;
  }

  get sigma(): number | null {
    return this.moments.sigma;
  }

  get bands(): VwapBands | null {
    const v = this.moments.mean;
    const s = this.moments.sigma;
    return v === null || s === null ? null : vwapBands(v, s);
  }

  reset(): void {
    this.moments.reset();
    this.sessionDate = null;
  }
}
