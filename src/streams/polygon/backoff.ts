/**
 * Reconnect backoff: capped exponential with "equal jitter" — delay = d/2 + random·d/2 where d = min(cap, base·2^n)
 * — so a fleet of clients (or one client after a server restart) does not reconnect in lockstep, while the delay
 * never drops below half the schedule. The random source is injectable (a seeded `Prng` in production and tests:
 * same seed, same delays). `stable()` resets the schedule once a connection has lived `resetAfterMs`.
 */
export interface BackoffOptions {
  readonly baseMs?: number;
  readonly capMs?: number;
  /** A connection that stayed up this long resets the schedule (default 30 s). */
  readonly resetAfterMs?: number;
  /** Uniform [0, 1). */
  readonly random: () => number;
}

export class Backoff {
  private attempt = 0;
  readonly baseMs: number;
  readonly capMs: number;
  readonly resetAfterMs: number;

  constructor(private readonly opts: BackoffOptions) {
    this.baseMs = opts.baseMs ?? 500;
    this.capMs = opts.capMs ?? 30_000;
    this.resetAfterMs = opts.resetAfterMs ?? 30_000;
  }

  /** Delay before the next attempt; advances the schedule. */
  next(): number {
    const d = Math.min(this.capMs, this.baseMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.round(d / 2 + this.opts.random() * (d / 2));
  }

  get attempts(): number {
    return this.attempt;
  }

  /** Call when a connection ends: `upMs` is how long it was authenticated (0 if never). */
  connectionEnded(upMs: number): void {
    if (upMs >= this.resetAfterMs) this.attempt = 0;
  }

  reset(): void {
    this.attempt = 0;
  }
}
