/**
 * TradierBroker: the BrokerPort over Tradier's brokerage REST API (axios) and account event stream (ws), for the
 * sandbox and live environments. Wire reference: specs/tradier.md.
 *
 * Orders
 * - `submitBracket` POSTs one OTOCO with exactly the spec's indexed fields (class=otoco, duration=day, tag,
 *   symbol[i], option_symbol[i], side[i], quantity[i], type[i], price[0..1], stop[2]); `symbol[i]` is the
 *   underlying (SPX for SPXW, NDX for NDXP). It is **never retried**: a timeout, a dropped connection or a 5xx
 *   answer is `unknown`, which the caller resolves with `findByTag` (adopt if found). HTTP 200 with an `errors`
 *   body, a 4xx, or a 429 from the gateway is `rejected` (nothing was placed). A 200 ack is confirmed by reading the
 *   order back (Tradier acks before risk checks, §3): `rejected`/`error` there → `rejected` with
 *   `reason_description`; otherwise `accepted` with the leg ids.
 * - `modifyLeg` PUTs price/stop on a leg id; `cancel` DELETEs (400 "already in finalized state" → `already-final`
 *   with the leg's status read back). Neither is retried; a lost answer is reported as `rejected` with an
 *   "outcome unknown" reason — the next poll shows the truth.
 * - `closePosition` is a single `class=option` sell_to_close limit order; its SubmitResult's legIds all carry
 *   the one order id (the port has no single-leg shape).
 * - Reads (GET) retry with exponential backoff on timeouts, network errors, 5xx and 429, then throw
 *   `TradierPortError`. HTTP 401 is fatal: no retry, every later call throws the same `TradierAuthError`, polling
 *   and streaming stop and `fatal$` emits. The token never appears in messages or logs (all text is redacted).
 *
 * Rate limits: one token bucket per endpoint group (trading / account / marketData, see rateLimiter.ts), fed by
 * `X-Ratelimit-*` headers. Reads wait for a token; order calls wait at most `maxOrderWaitMs`, then are rejected
 * locally without being sent.
 *
 * Reports (`reports$`, hot; polling and the stream run while it has subscribers)
 * - REST polling of `GET /orders?includeTags=true` every `pollIntervalMs` is the authority; the account stream is
 *   the fast path (events join on leg id; an unknown id triggers an immediate poll; every (re)connect re-polls).
 *   Both feed one FillTracker, which derives fills from cumulative exec_quantity/avg_fill_price per leg, so the same
 *   fill seen on stream and poll is reported once (fillTracker.ts). Status mapping: tradierWire.ts.
 * - Orders already present at the first look (poll, listOrders or findByTag) are a baseline, not reported
 *   (reconciliation owns the past) unless `reportExisting`; orders placed or discovered later are reported from
 *   scratch. `orderId` is the tag (the intent id), or the broker id for untagged orders.
 * - `ts` is `reportClock()` at receipt (the pipeline clock; defaults to `now`); `fees` is `feePerContract` ×
 *   contracts (an estimate: Tradier order reads carry no commissions).
 * - Settlement: Tradier emits no order event when an expiring position settles. With `settlementValue`, a position
 *   bought through this port that is missing from `positions` at two consecutive checks after its expiry instant
 *   is reported per bracket as leg `exit`, status `expired`, at intrinsic (reason says cash-settled / exercised).
 */
import axios, { type AxiosInstance } from 'axios';
import { Observable, ReplaySubject, Subject } from 'rxjs';
import type { ExecutionReport, OrderIntent, OrderStatus } from '../../../domain/orders.js';
import { isOptionRoot, parseOcc, polygonToTradier, ROOT_INFO, tradierToPolygon, type Underlying } from '../../../domain/instruments.js';
import { expiryInstantMs } from '../../../quant/options/yearFraction.js';
import type {
  BrokerBalances,
  BrokerLeg,
  BrokerOrder,
  BrokerPort,
  BrokerPosition,
  CancelResult,
  ModifyResult,
  SubmitResult,
} from '../BrokerPort.js';
import { AccountStream } from './accountStream.js';
import { FillTracker, type LegKey, type LegSnapshot } from './fillTracker.js';
import { endpointGroup, parseRateLimitHeaders, RateLimiter, type EndpointGroup } from './rateLimiter.js';
import {
  balancesResponseSchema,
  errorMessageOf,
  mapTradierStatus,
  orderAckSchema,
  orderResponseSchema,
  ordersResponseSchema,
  positionsResponseSchema,
  streamSessionSchema,
  type AccountEvent,
  type TradierOrder,
} from './tradierWire.js';

export type TradierLogLevel = 'debug' | 'info' | 'warn' | 'error';
export type TradierLog = (level: TradierLogLevel, msg: string, fields?: Readonly<Record<string, unknown>>) => void;

export interface TradierBrokerOptions {
  /** REST base including `/v1`: `https://api.tradier.com/v1` or `https://sandbox.tradier.com/v1`. */
  readonly baseUrl: string;
  readonly accountId: string;
  /** Access token; never logged or put in any message. */
  readonly token: string;
  /** Port name (default `tradier`). */
  readonly name?: string;
  /**
   * Account event stream: `false` disables it (REST polling only — e.g. paper accounts where it is unreliable);
   * default enabled with the url from the session call.
   */
  readonly stream?: false | { readonly url?: string; readonly heartbeatTimeoutMs?: number; readonly reconnectDelayMs?: number };
  /** REST order poll interval (default 2000 ms: 30/min of the 120/min account budget). */
  readonly pollIntervalMs?: number;
  /** Timeout for reads (default 5000 ms). */
  readonly requestTimeoutMs?: number;
  /** Timeout for order POST/PUT/DELETE (default 8000 ms); expiry of a POST makes the order `unknown`. */
  readonly orderTimeoutMs?: number;
  /** Retries for reads after the first attempt (default 3). */
  readonly readRetries?: number;
  /** First backoff for read retries, doubled each time, capped at 5 s (default 250 ms). */
  readonly retryBaseMs?: number;
  /** Per-minute budgets used until headers are seen (defaults trading 60, account 120, marketData 120). */
  readonly rateLimits?: Partial<Record<EndpointGroup, number>>;
  /** Longest an order call waits for a trading token before being rejected locally (default 2000 ms). */
  readonly maxOrderWaitMs?: number;
  /** Estimated commission per contract put on fill reports (default 0). */
  readonly feePerContract?: number;
  /** Report fills/status of orders that already existed at the first look (default false). */
  readonly reportExisting?: boolean;
  /** Orders page size for `GET /orders` (default 100). */
  readonly pageSize?: number;
  /** Wall clock for rate-limit windows (default Date.now). */
  readonly now?: () => number;
  /** Time stamped on reports and used for expiry checks: the pipeline clock (default `now`). */
  readonly reportClock?: () => number;
  /**
   * Settlement value of an underlying for an expiry date (the index close for PM-settled SPXW/NDXP, the opening
   * SOQ for AM-settled SPX/NDX; the last trade for SPY/QQQ), or null if not known yet. Tradier announces no order
   * event when a position settles, so with this the broker reports it: a position bought through this port that
   * vanishes from `positions` after its expiry instant, with no closing fill, is reported as leg `exit`, status
   * `expired`, at intrinsic value. Without it, settlements are left to reconciliation.
   */
  readonly settlementValue?: (underlying: Underlying, expiry: string) => number | null;
  readonly log?: TradierLog;
  /** Passed to axios (`false` ignores HTTP(S)_PROXY; tests use it). */
  readonly proxy?: false;
}

/** The port itself is broken (unreachable after retries on reads, unexpected response shape). */
export class TradierPortError extends Error {
  override readonly name: string = 'TradierPortError';
}

/** HTTP 401: bad/expired token or missing entitlement. Fatal — nothing is retried after it. */
export class TradierAuthError extends TradierPortError {
  override readonly name = 'TradierAuthError';
}

interface HttpResponse {
  readonly status: number;
  readonly text: string;
  readonly body: unknown;
}

type CallOutcome =
  | { readonly ok: true; readonly res: HttpResponse }
  | { readonly ok: false; readonly kind: 'timeout' | 'network' | 'throttled-local'; readonly detail: string };

interface CallOptions {
  readonly query?: Readonly<Record<string, string>>;
  readonly form?: URLSearchParams;
  readonly timeoutMs: number;
  readonly retries: number;
  /** Give up (throttled-local) rather than wait longer than this for a rate token. */
  readonly maxWaitMs?: number;
}

const TAG_RE = /^[A-Za-z0-9-]{1,255}$/;
const FINALIZED_RE = /already in finali[sz]ed state/i;

const fmt = (x: number): string => String(Math.round(x * 1e4) / 1e4);

function legRole(parent: TradierOrder, leg: TradierOrder, index: number): BrokerLeg['leg'] {
  if (parent.class === 'otoco' && parent.leg.length === 3) return (['entry', 'target', 'stop'] as const)[index] ?? 'exit';
  if (leg.side === 'buy_to_open') return 'entry';
  if (leg.type === 'stop' || leg.type === 'stop_limit') return parent.leg.length > 0 ? 'stop' : 'exit';
  if (parent.leg.length > 0 && leg.type === 'limit') return 'target';
  return 'exit';
}

export class TradierBroker implements BrokerPort {
  readonly name: string;
  readonly reports$: Observable<ExecutionReport>;
  /** Emits (and replays) the fatal error once the port is unusable (HTTP 401). */
  readonly fatal$ = new ReplaySubject<TradierAuthError>(1);

  private readonly http: AxiosInstance;
  private readonly limiter: RateLimiter;
  private readonly tracker: FillTracker;
  private readonly subject = new Subject<ExecutionReport>();
  private readonly stream: AccountStream | null;
  private readonly now: () => number;
  private readonly reportClock: () => number;
  /** Contracts bought through this port and not yet sold, per Polygon symbol, FIFO by bracket (for settlement). */
  private readonly lots = new Map<string, Array<{ tag: string; brokerOrderId: string | undefined; qty: number }>>();
  /** Symbols whose position was missing at the last expiry check (settled only if still missing at the next). */
  private readonly settleCandidates = new Set<string>();
  private readonly sleepers = new Set<() => void>();
  /** Tags this instance sent: never part of the silent baseline, whatever the race with the first poll. */
  private readonly ourTags = new Set<string>();
  private readonly o: Required<
    Pick<
      TradierBrokerOptions,
      'pollIntervalMs' | 'requestTimeoutMs' | 'orderTimeoutMs' | 'readRetries' | 'retryBaseMs' | 'maxOrderWaitMs' | 'pageSize' | 'reportExisting'
    >
  >;
  private readonly ordersPath: string;
  private fatal: TradierAuthError | null = null;
  private baselined = false;
  private subscribers = 0;
  private pollTimer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private pollAgain = false;
  private closed = false;

  constructor(private readonly opts: TradierBrokerOptions) {
    if (!opts.token) throw new Error('TradierBroker: no access token configured');
    if (!opts.accountId) throw new Error('TradierBroker: no account id configured');
    this.name = opts.name ?? 'tradier';
    this.now = opts.now ?? Date.now;
    this.reportClock = opts.reportClock ?? this.now;
    this.o = {
      pollIntervalMs: opts.pollIntervalMs ?? 2_000,
      requestTimeoutMs: opts.requestTimeoutMs ?? 5_000,
      orderTimeoutMs: opts.orderTimeoutMs ?? 8_000,
      readRetries: opts.readRetries ?? 3,
      retryBaseMs: opts.retryBaseMs ?? 250,
      maxOrderWaitMs: opts.maxOrderWaitMs ?? 2_000,
      pageSize: opts.pageSize ?? 100,
      reportExisting: opts.reportExisting ?? false,
    };
    this.ordersPath = `/accounts/${encodeURIComponent(opts.accountId)}/orders`;
    this.limiter = new RateLimiter({ trading: 60, account: 120, marketData: 120, ...opts.rateLimits }, this.now);
    this.tracker = new FillTracker(opts.feePerContract ?? 0);
    this.http = axios.create({
      baseURL: opts.baseUrl.replace(/\/+$/, ''),
      headers: { Authorization: `Bearer ${opts.token}`, Accept: 'application/json' },
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: [(d: unknown) => d],
      maxRedirects: 0,
      ...(opts.proxy === false ? { proxy: false as const } : {}),
    });
    const s = opts.stream;
    this.stream =
      s === false
        ? null
        : new AccountStream({
            url: s?.url,
            heartbeatTimeoutMs: s?.heartbeatTimeoutMs ?? 150_000,
            reconnectDelayMs: s?.reconnectDelayMs ?? 1_000,
            openSession: () => this.openStreamSession(),
            onEvent: (ev) => this.onStreamEvent(ev),
            onConnected: () => this.requestPoll(),
            onProblem: (msg, err) => {
              this.log('warn', msg, err === undefined ? undefined : { error: this.describe(err) });
              return this.fatal === null && !this.closed;
            },
          });
    this.reports$ = new Observable<ExecutionReport>((subscriber) => {
      const sub = this.subject.subscribe(subscriber);
      this.attach();
      return () => {
        sub.unsubscribe();
        this.detach();
      };
    });
  }

  // ───────────────────────────── BrokerPort ─────────────────────────────

  async submitBracket(intent: OrderIntent): Promise<SubmitResult> {
    this.throwIfFatal();
    const bad = this.validateIntent(intent);
    if (bad !== null) return { kind: 'rejected', reason: bad };
    const tradierSymbol = polygonToTradier(intent.optionSymbol);
    const root = parseOcc(tradierSymbol).root;
    if (!isOptionRoot(root)) return { kind: 'rejected', reason: `unsupported option root ${root}` };
    const underlying = ROOT_INFO[root].underlying;
    const form = new URLSearchParams();
    form.append('class', 'otoco');
    form.append('duration', 'day');
    form.append('tag', intent.id);
    const legs: Array<{ side: string; type: string; price?: number; stop?: number }> = [
      { side: 'buy_to_open', type: 'limit', price: intent.limitPrice },
      { side: 'sell_to_close', type: 'limit', price: intent.takeProfit },
      { side: 'sell_to_close', type: 'stop', stop: intent.stopPrice },
    ];
    legs.forEach((l, i) => {
      form.append(`symbol[${i}]`, underlying);
      form.append(`option_symbol[${i}]`, tradierSymbol);
      form.append(`side[${i}]`, l.side);
      form.append(`quantity[${i}]`, String(intent.quantity));
      form.append(`type[${i}]`, l.type);
      if (l.price !== undefined) form.append(`price[${i}]`, fmt(l.price));
      if (l.stop !== undefined) form.append(`stop[${i}]`, fmt(l.stop));
    });
    return this.place(form, intent.id, 'bracket');
  }

  async closePosition(optionSymbol: string, quantity: number, limitPrice: number, tag: string): Promise<SubmitResult> {
    this.throwIfFatal();
    if (!TAG_RE.test(tag)) return { kind: 'rejected', reason: `tag ${JSON.stringify(tag)} must be 1-255 letters, digits or '-'` };
    if (!Number.isInteger(quantity) || quantity <= 0) return { kind: 'rejected', reason: `quantity must be a positive integer, got ${quantity}` };
    if (!(limitPrice > 0) || !Number.isFinite(limitPrice)) return { kind: 'rejected', reason: `limit price must be > 0, got ${limitPrice}` };
    let tradierSymbol: string;
    let root: string;
    try {
      tradierSymbol = polygonToTradier(optionSymbol);
      root = parseOcc(tradierSymbol).root;
    } catch (err) {
      return { kind: 'rejected', reason: (err as Error).message };
    }
    if (!isOptionRoot(root)) return { kind: 'rejected', reason: `unsupported option root ${root}` };
    const form = new URLSearchParams();
    form.append('class', 'option');
    form.append('symbol', ROOT_INFO[root].underlying);
    form.append('option_symbol', tradierSymbol);
    form.append('side', 'sell_to_close');
    form.append('quantity', String(quantity));
    form.append('type', 'limit');
    form.append('duration', 'day');
    form.append('price', fmt(limitPrice));
    form.append('tag', tag);
    return this.place(form, tag, 'single');
  }

  async modifyLeg(legId: string, change: { readonly price?: number; readonly stop?: number }): Promise<ModifyResult> {
    this.throwIfFatal();
    const form = new URLSearchParams();
    for (const k of ['price', 'stop'] as const) {
      const v = change[k];
      if (v === undefined) continue;
      if (!(v > 0) || !Number.isFinite(v)) return { kind: 'rejected', reason: `${k} must be > 0, got ${v}` };
      form.append(k, fmt(v));
    }
    if ([...form.keys()].length === 0) return { kind: 'rejected', reason: 'nothing to modify (no price or stop)' };
    const out = await this.call('PUT', `${this.ordersPath}/${encodeURIComponent(legId)}`, {
      form,
      timeoutMs: this.o.orderTimeoutMs,
      retries: 0,
      maxWaitMs: this.o.maxOrderWaitMs,
    });
    const r = this.commandOutcome(out, 'modify');
    if (r.kind === 'ok') return { kind: 'ok' };
    return { kind: 'rejected', reason: r.kind === 'final' ? `leg ${legId} is already in a final state` : r.reason };
  }

  async cancel(brokerOrderId: string): Promise<CancelResult> {
    this.throwIfFatal();
    const out = await this.call('DELETE', `${this.ordersPath}/${encodeURIComponent(brokerOrderId)}`, {
      timeoutMs: this.o.orderTimeoutMs,
      retries: 0,
      maxWaitMs: this.o.maxOrderWaitMs,
    });
    const r = this.commandOutcome(out, 'cancel');
    if (r.kind === 'ok') return { kind: 'ok' };
    if (r.kind === 'final') return { kind: 'already-final', status: await this.statusOf(brokerOrderId) };
    return { kind: 'rejected', reason: r.reason };
  }

  async listOrders(): Promise<readonly BrokerOrder[]> {
    const raw = await this.fetchOrders();
    this.ingest(raw);
    return raw.map((o) => this.toBrokerOrder(o));
  }

  async findByTag(tag: string): Promise<BrokerOrder | null> {
    const all = await this.listOrders();
    // Newest first: a tag is unique per bracket, but if the wire ever holds two, the later one is the live one.
    for (let i = all.length - 1; i >= 0; i--) {
      const o = all[i];
      if (o && o.tag === tag) return o;
    }
    return null;
  }

  async positions(): Promise<readonly BrokerPosition[]> {
    const body = await this.getJson(`/accounts/${encodeURIComponent(this.opts.accountId)}/positions`);
    const parsed = this.parse(positionsResponseSchema, body, 'positions');
    const out: BrokerPosition[] = [];
    for (const p of parsed.positions.position) {
      let sym: string;
      try {
        sym = tradierToPolygon(p.symbol);
      } catch {
        this.log('warn', `non-option position ${p.symbol} (${p.quantity}) is not reported by the options port`);
        continue;
      }
      out.push({ optionSymbol: sym, quantity: p.quantity, costBasis: p.cost_basis });
    }
    return out;
  }

  async balances(): Promise<BrokerBalances> {
    const body = await this.getJson(`/accounts/${encodeURIComponent(this.opts.accountId)}/balances`);
    const b = this.parse(balancesResponseSchema, body, 'balances').balances;
    const sub = b.margin ?? b.pdt;
    const optionBuyingPower = sub ? sub.option_buying_power : (b.cash?.cash_available ?? 0);
    return { cash: b.total_cash, optionBuyingPower, equity: b.total_equity };
  }

  // ───────────────────────────── lifecycle ─────────────────────────────

  /** Poll orders once now (also what the timer does); reports go to `reports$`. */
  async pollNow(): Promise<void> {
    if (this.polling) {
      this.pollAgain = true;
      return this.polling;
    }
    this.polling = (async () => {
      try {
        do {
          this.pollAgain = false;
          const raw = await this.fetchOrders();
          this.ingest(raw);
          await this.checkSettlements();
        } while (this.pollAgain && !this.closed && this.fatal === null);
      } finally {
        this.polling = null;
      }
    })();
    return this.polling;
  }

  get streamConnected(): boolean {
    return this.stream?.connected ?? false;
  }

  /** Stop polling and streaming and complete `reports$`. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopLoops();
    for (const wake of [...this.sleepers]) wake();
    this.subject.complete();
  }

  private attach(): void {
    this.subscribers += 1;
    if (this.subscribers > 1 || this.closed || this.fatal) return;
    this.stream?.start();
    this.schedulePoll(0);
  }

  private detach(): void {
    this.subscribers = Math.max(0, this.subscribers - 1);
    if (this.subscribers === 0) this.stopLoops();
  }

  private stopLoops(): void {
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = null;
    this.stream?.stop();
  }

  private schedulePoll(delayMs: number): void {
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = setTimeout(() => {
      this.pollTimer = null;
      void this.pollNow()
        .catch((err: unknown) => {
          if (!(err instanceof TradierAuthError)) this.log('warn', 'order poll failed', { error: this.describe(err) });
        })
        .finally(() => {
          if (this.subscribers > 0 && !this.closed && this.fatal === null && this.pollTimer === null) {
            this.schedulePoll(this.o.pollIntervalMs);
          }
        });
    }, delayMs);
  }

  private requestPoll(): void {
    if (this.subscribers > 0 && !this.closed && this.fatal === null) this.schedulePoll(0);
  }

  // ───────────────────────────── reports ─────────────────────────────

  private onStreamEvent(ev: Extract<AccountEvent, { event: 'order' }>): void {
    const id = String(ev.id);
    if (!this.tracker.has(id)) {
      // Unknown leg (an order placed elsewhere, or an OTOCO parent event): REST has the symbol and side.
      this.requestPoll();
      return;
    }
    const reports = this.tracker.observe(
      id,
      { status: mapTradierStatus(ev.status), execQuantity: ev.exec_quantity, avgFillPrice: ev.avg_fill_price, reason: ev.reason_description },
      this.reportClock(),
    );
    for (const r of reports) this.emit(r);
  }

  /** Feed order snapshots to the tracker; the first look ever is a silent baseline unless `reportExisting`. */
  private ingest(raw: readonly TradierOrder[], opts: { readonly silent?: boolean } = {}): void {
    const baseline = !this.baselined && !this.o.reportExisting;
    this.baselined = true;
    const ts = this.reportClock();
    for (const o of raw) {
      const order = this.toBrokerOrder(o);
      const parentStatus = mapTradierStatus(o.status);
      const rawLegs = o.leg.length > 0 ? o.leg : [o];
      const fills: ExecutionReport[] = [];
      const others: ExecutionReport[] = [];
      for (const leg of order.legs) {
        const wire = rawLegs.find((l) => String(l.id) === leg.id);
        let status = leg.status;
        // A parent that died (rejected/cancelled/expired) takes live legs with it even if a leg lags.
        if ((parentStatus === 'rejected' || parentStatus === 'cancelled' || parentStatus === 'expired') && !isFinal(status)) {
          status = parentStatus;
        }
        const snap: LegSnapshot = {
          status,
          execQuantity: leg.execQuantity,
          avgFillPrice: leg.avgFillPrice,
          reason: wire?.reason_description ?? o.reason_description,
        };
        const key: LegKey = {
          legId: leg.id,
          orderId: order.tag ?? order.brokerOrderId,
          brokerOrderId: order.brokerOrderId,
          leg: leg.leg,
          optionSymbol: leg.optionSymbol,
          quantity: leg.quantity,
        };
        if (!this.tracker.has(leg.id)) {
          const silent = opts.silent === true || (baseline && (order.tag === null || !this.ourTags.has(order.tag)));
          this.tracker.register(key, silent ? snap : undefined);
          if (silent) continue;
        }
        for (const r of this.tracker.observe(leg.id, snap, ts)) (r.fillQuantity > 0 ? fills : others).push(r);
      }
      for (const r of fills) this.emit(r);
      for (const r of others) this.emit(r);
    }
  }

  private emit(r: ExecutionReport): void {
    if (r.fillQuantity > 0) {
      const lots = this.lots.get(r.optionSymbol) ?? [];
      if (r.leg === 'entry') {
        lots.push({ tag: r.orderId, brokerOrderId: r.brokerOrderId, qty: r.fillQuantity });
      } else {
        let q = r.fillQuantity;
        for (const l of lots) {
          const take = Math.min(q, l.qty);
          l.qty -= take;
          q -= take;
          if (q <= 0) break;
        }
      }
      const left = lots.filter((l) => l.qty > 1e-9);
      if (left.length > 0) this.lots.set(r.optionSymbol, left);
      else this.lots.delete(r.optionSymbol);
    }
    this.subject.next(r);
  }

  /**
   * Settlement of expired positions (see `settlementValue`). A position must be missing at two consecutive checks
   * with an order poll in between, so a closing fill that lands between the orders read and the positions read is
   * never mistaken for a settlement.
   */
  private async checkSettlements(): Promise<void> {
    const value = this.opts.settlementValue;
    if (!value || this.lots.size === 0) return;
    const t = this.reportClock();
    const due: Array<{ symbol: string; expiry: string; underlying: Underlying; right: 'C' | 'P'; strike: number }> = [];
    for (const symbol of this.lots.keys()) {
      const c = parseOcc(symbol);
      if (!isOptionRoot(c.root)) continue;
      if (t >= expiryInstantMs(c.expiry, ROOT_INFO[c.root].settlement)) {
        due.push({ symbol, expiry: c.expiry, underlying: ROOT_INFO[c.root].underlying, right: c.right, strike: c.strike });
      }
    }
    if (due.length === 0) {
      this.settleCandidates.clear();
      return;
    }
    const held = new Map<string, number>();
    for (const p of await this.positions()) held.set(p.optionSymbol, (held.get(p.optionSymbol) ?? 0) + p.quantity);
    for (const d of due) {
      const lots = this.lots.get(d.symbol) ?? [];
      const tracked = lots.reduce((n, l) => n + l.qty, 0);
      let missing = tracked - Math.max(0, held.get(d.symbol) ?? 0);
      if (missing <= 1e-9) {
        this.settleCandidates.delete(d.symbol);
        continue;
      }
      if (!this.settleCandidates.has(d.symbol)) {
        this.settleCandidates.add(d.symbol);
        this.requestPoll();
        continue;
      }
      const v = value(d.underlying, d.expiry);
      if (v === null || !Number.isFinite(v)) {
        this.log('warn', `${d.symbol}: position settled at the broker but no ${d.underlying} settlement value is known yet`);
        continue;
      }
      this.settleCandidates.delete(d.symbol);
      const intrinsic = Math.round(Math.max(0, d.right === 'C' ? v - d.strike : d.strike - v) * 100) / 100;
      const cash = ROOT_INFO[parseOcc(d.symbol).root as keyof typeof ROOT_INFO].cashSettled;
      const reason = cash
        ? `cash-settled at intrinsic ${intrinsic.toFixed(2)} from the ${d.underlying} settlement value ${v}`
        : intrinsic > 0
          ? `exercised at intrinsic ${intrinsic.toFixed(2)} (${d.underlying} ${v}); physically settled, booked at intrinsic`
          : `expired worthless (${d.underlying} ${v}, strike ${d.strike})`;
      for (const l of lots) {
        if (missing <= 1e-9) break;
        const q = Math.min(missing, l.qty);
        if (q <= 0) continue;
        missing -= q;
        this.emit({
          type: 'ExecutionReport',
          ts: t,
          orderId: l.tag,
          ...(l.brokerOrderId !== undefined ? { brokerOrderId: l.brokerOrderId } : {}),
          leg: 'exit',
          optionSymbol: d.symbol,
          status: 'expired',
          fillQuantity: q,
          fillPrice: intrinsic,
          cumulativeQuantity: q,
          avgFillPrice: intrinsic,
          fees: 0,
          reason,
        });
      }
    }
  }

  private toBrokerOrder(o: TradierOrder): BrokerOrder {
    const rawLegs = o.leg.length > 0 ? o.leg : [o];
    const legs: BrokerLeg[] = [];
    rawLegs.forEach((l, i) => {
      const leg = this.toLeg(o, l, i);
      if (leg) legs.push(leg);
      else this.log('warn', `order ${o.id}: leg ${l.id} (${l.class ?? '?'} ${l.side ?? '?'} ${l.option_symbol ?? l.symbol ?? '?'}) is not representable on the port`);
    });
    return { brokerOrderId: String(o.id), tag: o.tag ?? null, status: mapTradierStatus(o.status), legs };
  }

  private toLeg(parent: TradierOrder, l: TradierOrder, index: number): BrokerLeg | null {
    if (l.side !== 'buy_to_open' && l.side !== 'sell_to_close') return null;
    if (l.type !== 'limit' && l.type !== 'stop' && l.type !== 'stop_limit' && l.type !== 'market') return null;
    if (!l.option_symbol) return null;
    let optionSymbol: string;
    try {
      optionSymbol = tradierToPolygon(l.option_symbol);
    } catch {
      return null;
    }
    const hasPrice = l.type === 'limit' || l.type === 'stop_limit';
    const hasStop = l.type === 'stop' || l.type === 'stop_limit';
    return {
      id: String(l.id),
      leg: legRole(parent, l, index),
      optionSymbol,
      side: l.side,
      type: l.type,
      quantity: l.quantity,
      price: hasPrice && l.price > 0 ? l.price : null,
      stop: hasStop && l.stop_price > 0 ? l.stop_price : null,
      status: mapTradierStatus(l.status),
      execQuantity: l.exec_quantity,
      avgFillPrice: l.avg_fill_price,
    };
  }

  // ───────────────────────────── order calls ─────────────────────────────

  private validateIntent(i: OrderIntent): string | null {
    if (!TAG_RE.test(i.id)) return `intent id ${JSON.stringify(i.id)} is not a valid Tradier tag (1-255 letters, digits, '-')`;
    if (i.side !== 'buy_to_open') return `brackets open long premium (buy_to_open); got side ${i.side}`;
    if (!Number.isInteger(i.quantity) || i.quantity <= 0) return `quantity must be a positive integer, got ${i.quantity}`;
    for (const [k, v] of [
      ['limitPrice', i.limitPrice],
      ['takeProfit', i.takeProfit],
      ['stopPrice', i.stopPrice],
    ] as const) {
      if (!Number.isFinite(v) || v <= 0) return `${k} must be > 0, got ${v}`;
    }
    if (!(i.takeProfit > i.stopPrice)) return `take-profit ${i.takeProfit} must be above the stop ${i.stopPrice}`;
    try {
      polygonToTradier(i.optionSymbol);
    } catch (err) {
      return (err as Error).message;
    }
    return null;
  }

  private async place(form: URLSearchParams, tag: string, shape: 'bracket' | 'single'): Promise<SubmitResult> {
    this.ourTags.add(tag);
    const out = await this.call('POST', this.ordersPath, {
      form,
      timeoutMs: this.o.orderTimeoutMs,
      retries: 0,
      maxWaitMs: this.o.maxOrderWaitMs,
    });
    if (!out.ok) {
      if (out.kind === 'throttled-local') return { kind: 'rejected', reason: `not sent: ${out.detail}` };
      return { kind: 'unknown', reason: `order POST ${out.kind} (${out.detail}); resolve by tag ${tag}` };
    }
    const { status, body, text } = out.res;
    if (status === 429) return { kind: 'rejected', reason: 'rate limited by Tradier (HTTP 429); order not placed' };
    if (status >= 500) return { kind: 'unknown', reason: `order POST answered HTTP ${status}; resolve by tag ${tag}` };
    if (status < 200 || status >= 300) {
      return { kind: 'rejected', reason: `HTTP ${status}: ${errorMessageOf(body) ?? this.redact(text).slice(0, 300)}` };
    }
    const err = errorMessageOf(body);
    if (err !== null) return { kind: 'rejected', reason: err };
    const ack = orderAckSchema.safeParse(body);
    if (!ack.success) return { kind: 'unknown', reason: `unreadable answer to order POST; resolve by tag ${tag}` };
    const id = ack.data.order.id;
    let order: TradierOrder;
    try {
      order = await this.fetchOrder(String(id));
    } catch (e) {
      if (e instanceof TradierAuthError) throw e;
      return { kind: 'unknown', reason: `placed as order ${id} but could not read it back (${this.describe(e)}); resolve by tag ${tag}` };
    }
    const parentStatus = mapTradierStatus(order.status);
    const bo = this.toBrokerOrder(order);
    if (parentStatus === 'rejected') {
      this.ingest([order], { silent: true });
      const reason = order.reason_description ?? order.leg.find((l) => l.reason_description)?.reason_description ?? 'rejected';
      return { kind: 'rejected', reason };
    }
    this.ingest([order]);
    if (shape === 'single') return { kind: 'accepted', brokerOrderId: String(id), legIds: { entry: String(id), target: String(id), stop: String(id) } };
    const find = (role: BrokerLeg['leg']): string | undefined => bo.legs.find((l) => l.leg === role)?.id;
    const entry = find('entry');
    const target = find('target');
    const stop = find('stop');
    if (entry === undefined || target === undefined || stop === undefined) {
      return { kind: 'unknown', reason: `order ${id} read back without entry/target/stop legs; resolve by tag ${tag}` };
    }
    return { kind: 'accepted', brokerOrderId: String(id), legIds: { entry, target, stop } };
  }

  /** Outcome of a PUT/DELETE: ok, finalized (cancel of a done order), or a reason. */
  private commandOutcome(out: CallOutcome, what: string): { kind: 'ok' } | { kind: 'final' } | { kind: 'failed'; reason: string } {
    if (!out.ok) {
      if (out.kind === 'throttled-local') return { kind: 'failed', reason: `not sent: ${out.detail}` };
      return { kind: 'failed', reason: `${what} outcome unknown (${out.kind}: ${out.detail}); the next poll shows the leg's state` };
    }
    const { status, body, text } = out.res;
    const msg = errorMessageOf(body);
    if (FINALIZED_RE.test(msg ?? '') || (status === 400 && FINALIZED_RE.test(text))) return { kind: 'final' };
    if (status === 429) return { kind: 'failed', reason: `rate limited by Tradier (HTTP 429); ${what} not applied` };
    if (status >= 500) return { kind: 'failed', reason: `${what} outcome unknown (HTTP ${status}); the next poll shows the leg's state` };
    if (status < 200 || status >= 300) return { kind: 'failed', reason: `HTTP ${status}: ${msg ?? this.redact(text).slice(0, 300)}` };
    if (msg !== null) return { kind: 'failed', reason: msg };
    return { kind: 'ok' };
  }

  /** Current status of an order or leg id (for `already-final`); `unknown` if it cannot be read. */
  private async statusOf(id: string): Promise<OrderStatus> {
    try {
      const parentId = this.tracker.key(id)?.brokerOrderId ?? id;
      const o = await this.fetchOrder(parentId);
      const hit = o.leg.find((l) => String(l.id) === id);
      return mapTradierStatus((hit ?? o).status);
    } catch (e) {
      if (e instanceof TradierAuthError) throw e;
      return 'unknown';
    }
  }

  // ───────────────────────────── reads ─────────────────────────────

  private async fetchOrders(): Promise<TradierOrder[]> {
    const all: TradierOrder[] = [];
    for (let page = 1; page <= 50; page++) {
      const body = await this.getJson(this.ordersPath, { includeTags: 'true', page: String(page), limit: String(this.o.pageSize) });
      const batch = this.parse(ordersResponseSchema, body, 'orders').orders.order;
      all.push(...batch);
      if (batch.length < this.o.pageSize) break;
    }
    return all;
  }

  private async fetchOrder(id: string): Promise<TradierOrder> {
    const body = await this.getJson(`${this.ordersPath}/${encodeURIComponent(id)}`, { includeTags: 'true' });
    return this.parse(orderResponseSchema, body, `order ${id}`).order;
  }

  private async openStreamSession(): Promise<{ url: string | undefined; sessionid: string }> {
    const out = await this.call('POST', '/accounts/events/session', {
      timeoutMs: this.o.requestTimeoutMs,
      retries: this.o.readRetries,
      form: new URLSearchParams(),
    });
    if (!out.ok) throw new TradierPortError(`account stream session: ${out.kind} (${out.detail})`);
    if (out.res.status < 200 || out.res.status >= 300) {
      throw new TradierPortError(`account stream session: HTTP ${out.res.status}: ${errorMessageOf(out.res.body) ?? ''}`);
    }
    const s = this.parse(streamSessionSchema, out.res.body, 'stream session').stream;
    return { url: s.url, sessionid: s.sessionid };
  }

  private async getJson(path: string, query?: Readonly<Record<string, string>>): Promise<unknown> {
    const out = await this.call('GET', path, { ...(query ? { query } : {}), timeoutMs: this.o.requestTimeoutMs, retries: this.o.readRetries });
    if (!out.ok) throw new TradierPortError(`GET ${path} failed after ${this.o.readRetries + 1} attempts: ${out.kind} (${out.detail})`);
    const { status, body, text } = out.res;
    const msg = errorMessageOf(body);
    if (status < 200 || status >= 300) {
      throw new TradierPortError(`GET ${path}: HTTP ${status}: ${msg ?? this.redact(text).slice(0, 300)}`);
    }
    if (msg !== null) throw new TradierPortError(`GET ${path}: ${msg}`);
    return body;
  }

  private parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<{ path: readonly PropertyKey[]; message: string }> } } }, body: unknown, what: string): T {
    const r = schema.safeParse(body);
    if (r.success) return r.data;
    const issues = r.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new TradierPortError(`unexpected Tradier ${what} response: ${issues}`);
  }

  // ───────────────────────────── HTTP ─────────────────────────────

  private async call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, c: CallOptions): Promise<CallOutcome> {
    const group = endpointGroup(method, path);
    let last: CallOutcome = { ok: false, kind: 'network', detail: 'not attempted' };
    for (let attempt = 0; attempt <= c.retries; attempt++) {
      this.throwIfFatal();
      if (this.closed) throw new TradierPortError(`${this.name} is closed`);
      const waited = await this.takeToken(group, c.maxWaitMs);
      if (!waited) {
        return { ok: false, kind: 'throttled-local', detail: `${group} rate budget exhausted for more than ${c.maxWaitMs} ms` };
      }
      try {
        const res = await this.http.request<string>({
          method,
          url: path,
          ...(c.query ? { params: c.query } : {}),
          ...(c.form ? { data: c.form.toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } } : {}),
          timeout: c.timeoutMs,
        });
        const h = parseRateLimitHeaders(res.headers as Record<string, unknown>);
        if (h) this.limiter.observe(group, h);
        const text = typeof res.data === 'string' ? res.data : '';
        let body: unknown = null;
        try {
          body = text ? JSON.parse(text) : null;
        } catch {
          body = null;
        }
        if (res.status === 401) {
          const why = errorMessageOf(body) ?? 'unauthorized';
          this.setFatal(
            new TradierAuthError(
              `Tradier rejected the access token for account ${this.opts.accountId} (HTTP 401: ${this.redact(why)}). ` +
                'Check the configured token and account (sandbox and live use different ones); not retrying.',
            ),
          );
          this.throwIfFatal();
        }
        last = { ok: true, res: { status: res.status, text, body } };
        if (res.status === 429) {
          this.limiter.throttled(group, h);
          this.log('warn', `${method} ${path}: HTTP 429 (rate limited)`, { group });
          if (attempt < c.retries) continue; // takeToken waits for the window to reset
          return last;
        }
        if (res.status >= 500 && attempt < c.retries) {
          this.log('warn', `${method} ${path}: HTTP ${res.status}; retrying`, { attempt });
          await this.backoff(attempt);
          continue;
        }
        return last;
      } catch (err) {
        if (err instanceof TradierPortError) throw err;
        const e = err as { code?: string; message?: string };
        const timeout = e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT' || /timeout/i.test(e.message ?? '');
        last = { ok: false, kind: timeout ? 'timeout' : 'network', detail: this.describe(err) };
        if (attempt < c.retries) {
          this.log('warn', `${method} ${path}: ${last.kind}; retrying`, { attempt, error: last.detail });
          await this.backoff(attempt);
          continue;
        }
        return last;
      }
    }
    return last;
  }

  private async takeToken(group: EndpointGroup, maxWaitMs: number | undefined): Promise<boolean> {
    let waited = 0;
    for (;;) {
      const wait = this.limiter.tryTake(group);
      if (wait === 0) return true;
      if (maxWaitMs !== undefined && waited + wait > maxWaitMs) return false;
      await this.sleep(wait);
      waited += wait;
      this.throwIfFatal();
      if (this.closed) throw new TradierPortError(`${this.name} is closed`);
    }
  }

  /** Timer sleep that `close()` cuts short (callers re-check `closed`). */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(t);
        this.sleepers.delete(wake);
        resolve();
      };
      const t = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  private backoff(attempt: number): Promise<void> {
    return this.sleep(Math.min(5_000, this.o.retryBaseMs * 2 ** attempt));
  }

  private setFatal(err: TradierAuthError): void {
    if (this.fatal) return;
    this.fatal = err;
    this.log('error', err.message);
    this.stopLoops();
    this.fatal$.next(err);
  }

  private throwIfFatal(): void {
    if (this.fatal) throw this.fatal;
  }

  private redact(s: string): string {
    return this.opts.token ? s.split(this.opts.token).join('***') : s;
  }

  /** Safe one-line description of an error (axios errors carry the Authorization header in `config`). */
  private describe(err: unknown): string {
    if (err instanceof Error) {
      const code = (err as { code?: unknown }).code;
      return this.redact(typeof code === 'string' ? `${code}: ${err.message}` : err.message);
    }
    return this.redact(String(err));
  }

  private log(level: TradierLogLevel, msg: string, fields?: Readonly<Record<string, unknown>>): void {
    const log = this.opts.log;
    if (!log) return;
    const safe = fields
      ? Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, typeof v === 'string' ? this.redact(v) : v]))
      : undefined;
    log(level, this.redact(msg), safe);
  }
}

function isFinal(s: OrderStatus): boolean {
  return s === 'filled' || s === 'cancelled' || s === 'rejected' || s === 'expired';
}
