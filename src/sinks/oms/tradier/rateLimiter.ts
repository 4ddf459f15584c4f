/**
 * RateLimiter: one token bucket per Tradier endpoint group (specs/tradier.md §2).
 *
 * Tradier counts requests per access token in 1-minute windows that start at the first request, separately for
 * trading (placing/modifying/cancelling orders), account reads (`/accounts`, `/user`, order reads) and market data
 * (`/markets`). Each bucket therefore refills *all at once* when its window expires (a fixed-window token bucket),
 * and the server's `X-Ratelimit-Allowed/Available/Expiry` headers overwrite the local estimate whenever they are
 * seen (the server is the authority; Expiry is epoch ms). A 429 empties the bucket until the window's expiry
 * (from the headers, or `penaltyMs` when they are missing).
 *
 * State: per group {allowed, available, resetAt}. Time: the injected wall clock (`now`), never event time — this is
 * an edge component talking to a real server.
 */

export type EndpointGroup = 'trading' | 'account' | 'marketData';

/** Which bucket a request spends from. */
export function endpointGroup(method: string, path: string): EndpointGroup {
  const p = path.replace(/^https?:\/\/[^/]+/, '').replace(/^\/v1/, '');
  if (p.startsWith('/markets')) return 'marketData';
  const m = method.toUpperCase();
  if (m !== 'GET' && /\/orders(\/|$|\?)/.test(p)) return 'trading';
  return 'account';
}

const WINDOW_MS = 60_000;

interface Bucket {
  allowed: number;
  available: number;
  /** Epoch ms when the window resets; 0 = window not started. */
  resetAt: number;
}

export interface RateLimitHeaders {
  readonly allowed?: number;
  readonly used?: number;
  readonly available?: number;
  readonly expiry?: number;
}

/** Parse the four `X-Ratelimit-*` headers (any casing); absent or non-numeric ones are left out. */
export function parseRateLimitHeaders(headers: Record<string, unknown>): RateLimitHeaders | null {
  const get = (name: string): number | undefined => {
    for (const [k, v] of Object.entries(headers)) {
      if (k.toLowerCase() === name) {
        const n = Number(Array.isArray(v) ? v[0] : v);
        return Number.isFinite(n) ? n : undefined;
      }
    }
    return undefined;
  };
  const out = {
    allowed: get('x-ratelimit-allowed'),
    used: get('x-ratelimit-used'),
    available: get('x-ratelimit-available'),
    expiry: get('x-ratelimit-expiry'),
  };
  if (out.allowed === undefined && out.available === undefined && out.expiry === undefined) return null;
  return out;
}

export class RateLimiter {
  private readonly buckets: Record<EndpointGroup, Bucket>;

  constructor(
    limits: Readonly<Record<EndpointGroup, number>>,
    private readonly now: () => number,
    private readonly penaltyMs = 5_000,
  ) {
    this.buckets = {
      trading: { allowed: limits.trading, available: limits.trading, resetAt: 0 },
      account: { allowed: limits.account, available: limits.account, resetAt: 0 },
      marketData: { allowed: limits.marketData, available: limits.marketData, resetAt: 0 },
    };
  }

  /** Take a token now if one is available: returns 0, else the ms until the bucket refills (nothing taken). */
  tryTake(group: EndpointGroup): number {
    const b = this.buckets[group];
    const t = this.now();
    if (b.resetAt !== 0 && t >= b.resetAt) {
      b.available = b.allowed;
      b.resetAt = 0;
    }
    if (b.available >= 1) {
      if (b.resetAt === 0) b.resetAt = t + WINDOW_MS;
      b.available -= 1;
      return 0;
    }
    return Math.max(1, b.resetAt - t);
  }

  /** Overwrite the local estimate from a response's headers. */
  observe(group: EndpointGroup, h: RateLimitHeaders): void {
    const b = this.buckets[group];
    const t = this.now();
    if (h.allowed !== undefined && h.allowed > 0) b.allowed = h.allowed;
    if (h.available !== undefined) b.available = Math.max(0, Math.min(b.allowed, h.available));
    else if (h.used !== undefined) b.available = Math.max(0, b.allowed - h.used);
    // Expiry outside (now, now + 2 windows] is a clock skew or a bad header: keep our own window.
    if (h.expiry !== undefined && h.expiry > t && h.expiry <= t + 2 * WINDOW_MS) b.resetAt = h.expiry;
  }

  /** HTTP 429: nothing left until the window resets. */
  throttled(group: EndpointGroup, h: RateLimitHeaders | null): void {
    const b = this.buckets[group];
    if (h) this.observe(group, h);
    b.available = 0;
    const t = this.now();
    if (b.resetAt <= t) b.resetAt = t + this.penaltyMs;
  }

  snapshot(group: EndpointGroup): Readonly<Bucket> {
    return { ...this.buckets[group] };
  }
}
