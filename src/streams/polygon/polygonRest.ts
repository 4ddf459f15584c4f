/**
 * Polygon REST (axios), specs/polygon.md §3: option chain snapshots and minute aggregates for gap backfill.
 *
 * - Auth by `Authorization: Bearer <key>` on every request, including `next_url` pages (which do not carry the
 *   key). The key never goes into a URL, a log field or an error message.
 * - Rate limit: requests are spaced at least `minIntervalMs` apart (default 12 s would be the free plan's
 *   5/min; the default here is 20 ms ≈ 50/s, under Polygon's ~100/s guidance for paid plans).
 * - Retries 429 and 5xx (and network errors) a few times with exponential backoff; 401/403 are not retried.
 * - Every body is validated with zod; a snapshot's greeks and IV may be absent (never assumed).
 * - Snapshot underlying: `I:SPX` / `I:NDX` for the indices (bare `SPX` returns nothing), the ETF ticker otherwise.
 */
import axios, { type AxiosInstance } from 'axios';
import { z } from 'zod';
import type { ChainEntry, ChainSnapshot } from '../../domain/events.js';
import { UNDERLYING_INFO, type Underlying } from '../../domain/instruments.js';

const nnum = z.number().finite().nullish();

const snapshotResult = z.looseObject({
  details: z.looseObject({ ticker: z.string(), strike_price: z.number(), expiration_date: z.string(), contract_type: z.string() }),
  greeks: z.looseObject({ delta: nnum, gamma: nnum, theta: nnum, vega: nnum }).nullish(),
  implied_volatility: nnum,
  open_interest: nnum,
  last_quote: z.looseObject({ bid: nnum, ask: nnum, bid_size: nnum, ask_size: nnum, last_updated: z.number().nullish() }).nullish(),
  last_trade: z.looseObject({ price: nnum }).nullish(),
  underlying_asset: z.looseObject({ ticker: z.string().nullish(), price: nnum, value: nnum }).nullish(),
});
const snapshotPage = z.looseObject({ status: z.string(), results: z.array(snapshotResult).default([]), next_url: z.string().nullish() });
const aggsPage = z.looseObject({
  status: z.string(),
  results: z.array(z.looseObject({ o: z.number(), h: z.number(), l: z.number(), c: z.number(), t: z.number(), v: z.number().optional(), n: z.number().optional() })).default([]),
  next_url: z.string().nullish(),
});

export interface MinuteAgg {
  readonly symbol: string;
  readonly start: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly transactions: number;
}

export interface ChainQuery {
  readonly expirationDate?: string;
  readonly strikeGte?: number;
  readonly strikeLte?: number;
  readonly limit?: number;
}

export class PolygonRestError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'PolygonRestError';
  }
}

export interface PolygonRestOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly minIntervalMs?: number;
  readonly retries?: number;
  readonly retryBaseMs?: number;
  readonly timeoutMs?: number;
  /** Wall clock for the rate limiter and `tsRecv` (default Date.now). */
  readonly now?: () => number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class PolygonRest {
  private readonly http: AxiosInstance;
  private next = 0;
  private gate: Promise<void> = Promise.resolve();
  readonly stats = { requests: 0, retries: 0, throttled: 0, pages: 0 };
  private readonly now: () => number;

  constructor(private readonly opts: PolygonRestOptions) {
    this.now = opts.now ?? Date.now;
    this.http = axios.create({
      baseURL: opts.baseUrl.replace(/\/+$/, ''),
      timeout: opts.timeoutMs ?? 10_000,
      headers: { Authorization: `Bearer ${opts.apiKey}`, Accept: 'application/json' },
      proxy: false,
      validateStatus: () => true,
    });
  }

  /** Space requests `minIntervalMs` apart (a FIFO gate, fair across callers). */
  private async slot(): Promise<void> {
    const mine = this.gate.then(async () => {
      const wait = this.next - this.now();
      if (wait > 0) await sleep(wait);
      this.next = this.now() + (this.opts.minIntervalMs ?? 20);
    });
    this.gate = mine.catch(() => undefined);
    return mine;
  }

  private async get(pathOrUrl: string, params?: Record<string, string | number>): Promise<unknown> {
    const retries = this.opts.retries ?? 3;
    for (let attempt = 0; ; attempt++) {
      await this.slot();
      this.stats.requests++;
      let status: number | null = null;
      let body: unknown = null;
      try {
        const res = await this.http.get(pathOrUrl, params ? { params } : {});
        status = res.status;
        body = res.data;
      } catch (e) {
        status = null;
        body = (e as Error).message;
      }
      if (status === 200) return body;
      const where = pathOrUrl.split('?')[0];
      const retryable = status === null || status === 429 || status === 413 || status === 499 || status >= 500;
      if (status === 429) this.stats.throttled++;
      if (!retryable || attempt >= retries) {
        const msg = typeof body === 'object' && body !== null ? String((body as { error?: unknown; message?: unknown }).error ?? (body as { message?: unknown }).message ?? '') : String(body ?? '');
        throw new PolygonRestError(`Polygon REST ${where}: ${status ?? 'network error'}${msg ? ` (${msg.slice(0, 200)})` : ''}`, status);
      }
      this.stats.retries++;
      await sleep((this.opts.retryBaseMs ?? 100) * 2 ** attempt);
    }
  }

  /** Chain snapshot for an underlying, every page followed. */
  async chainSnapshot(u: Underlying, q: ChainQuery = {}): Promise<ChainSnapshot> {
    const asset = UNDERLYING_INFO[u].ticker;
    const params: Record<string, string | number> = { limit: q.limit ?? 250 };
    if (q.expirationDate) params.expiration_date = q.expirationDate;
    if (q.strikeGte !== undefined) params['strike_price.gte'] = q.strikeGte;
    if (q.strikeLte !== undefined) params['strike_price.lte'] = q.strikeLte;
    const contracts: ChainEntry[] = [];
    let underlyingPrice: number | null = null;
    let url: string | null = `/v3/snapshot/options/${encodeURIComponent(asset)}`;
    let first = true;
    for (let pages = 0; url !== null && pages < 100; pages++) {
      const raw = await this.get(url, first ? params : undefined);
      first = false;
      this.stats.pages++;
      const page = snapshotPage.safeParse(raw);
      if (!page.success) throw new PolygonRestError(`Polygon REST snapshot ${asset}: unexpected body (${page.error.issues[0]?.message ?? 'invalid'})`, 200);
      for (const r of page.data.results) {
        const ua = r.underlying_asset;
        if (ua) underlyingPrice = ua.value ?? ua.price ?? underlyingPrice;
        contracts.push({
          symbol: r.details.ticker,
          bid: r.last_quote?.bid ?? null,
          ask: r.last_quote?.ask ?? null,
          bidSize: r.last_quote?.bid_size ?? null,
          askSize: r.last_quote?.ask_size ?? null,
          last: r.last_trade?.price ?? null,
          iv: r.implied_volatility ?? null,
          delta: r.greeks?.delta ?? null,
          gamma: r.greeks?.gamma ?? null,
          theta: r.greeks?.theta ?? null,
          vega: r.greeks?.vega ?? null,
          openInterest: r.open_interest ?? null,
          updated: r.last_quote?.last_updated != null ? r.last_quote.last_updated / 1e6 : null,
        });
      }
      url = page.data.next_url ?? null;
    }
    const now = this.now();
    return { type: 'ChainSnapshot', ts: now, tsRecv: now, underlying: asset, underlyingPrice, contracts };
  }

  /** Minute aggregates of `ticker` over [fromMs, toMs] (window starts), every page followed. */
  async minuteAggs(ticker: string, fromMs: number, toMs: number): Promise<MinuteAgg[]> {
    const out: MinuteAgg[] = [];
    let url: string | null = `/v2/aggs/ticker/${encodeURIComponent(ticker)}/range/1/minute/${Math.floor(fromMs)}/${Math.ceil(toMs)}`;
    let first = true;
    for (let pages = 0; url !== null && pages < 100; pages++) {
      const raw = await this.get(url, first ? { sort: 'asc', limit: 50_000 } : undefined);
      first = false;
      this.stats.pages++;
      const page = aggsPage.safeParse(raw);
      if (!page.success) throw new PolygonRestError(`Polygon REST aggs ${ticker}: unexpected body`, 200);
      for (const b of page.data.results) out.push({ symbol: ticker, start: b.t, open: b.o, high: b.h, low: b.l, close: b.c, volume: b.v ?? 0, transactions: b.n ?? 0 });
      url = page.data.next_url ?? null;
    }
    return out;
  }
}
