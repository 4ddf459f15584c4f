/**
 * FakeTradierServer: a local Tradier brokerage API for tests, built from specs/tradier.md (node:http + ws only).
 *
 * Wire: the same paths (`/v1/accounts/{id}/orders[/{orderId}]`, `/positions`, `/balances`,
 * `/v1/accounts/events/session` and the `/v1/accounts/events` websocket), form-encoded bodies, Bearer auth,
 * `Accept: application/json` required (otherwise an XML body, as Tradier defaults), rate-limit headers on every
 * response and 429 past the per-group budget, and the JSON quirks: one element → object, none → the string "null".
 *
 * Semantics: `class=option` single orders and `class=otoco` brackets (entry → OCO of two different types on the
 * same option_symbol). The OCO legs wait as `pending` until the entry is *fully* filled, then become `open`; a
 * full fill of one OCO leg cancels the other (a partial fill leaves it open). Cancelling the parent cancels every
 * live leg; cancelling a leg cancels only it; cancelling anything final → 400 `order already in finalized state`.
 * Fills move the position and cost basis. Nothing fills by itself: tests drive fills through the control API.
 *
 * Control API (in-process): `fill`, `rejectOrder`, `expireDay`, `setPosition`, `setBalances`, `injectFault`,
 * `dropStreams`, `sendHeartbeat`, `exportState` (start a new server `{ state }` to model a restart), and the
 * request log (`requests`, `orderPosts`).
 *
 * Scripted faults (`injectFault`): POST hangs after creating the order (client times out), an HTTP error with no
 * side effect (502…), HTTP 200 with an errors body, 429 with rate-limit headers, 401 gateway fault.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { parseOcc, ROOT_INFO, isOptionRoot } from '../../../domain/instruments.js';

export type FakeGroup = 'trading' | 'account' | 'marketData';

export type FakeFault =
  /** Process the request (e.g. create the order) but never answer: the client's timeout fires. */
  | { readonly kind: 'hangAfterProcessing' }
  /** Answer with this status and body without touching state (e.g. 502 from the gateway). */
  | { readonly kind: 'httpError'; readonly status: number; readonly body?: string }
  /** HTTP 200 with a validation errors body, nothing created. */
  | { readonly kind: 'errorsBody'; readonly messages: readonly string[] }
  /** 429 with X-Ratelimit headers showing an exhausted window that resets in `resetInMs`. */
  | { readonly kind: 'rateLimited'; readonly resetInMs?: number }
  /** 401 Apigee fault (invalid token). */
  | { readonly kind: 'unauthorized' }
  /** Accept the order (200 ok) and mark it rejected right away (Tradier's late risk reject, spec §3). */
  | { readonly kind: 'rejectAfterAccept'; readonly reason: string };

export interface FaultRule {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Matched against the path without the query string. */
  readonly path?: RegExp;
  /** How many requests it applies to (default 1). */
  readonly times?: number;
  readonly fault: FakeFault;
}

export interface FakeLeg {
  id: number;
  parentId: number | null;
  type: string;
  symbol: string;
  optionSymbol: string;
  side: string;
  quantity: number;
  price: number | null;
  stop: number | null;
  status: string;
  execQuantity: number;
  avgFillPrice: number;
  lastFillPrice: number;
  lastFillQuantity: number;
  createDate: string;
  transactionDate: string;
  reason: string | null;
  tag: string | null;
}

export interface FakeOrder {
  id: number;
  class: 'option' | 'otoco';
  tag: string | null;
  duration: string;
  createDate: string;
  /** For `option` orders the single leg has the order's own id. */
  legs: FakeLeg[];
  /** Set when the whole order is rejected. */
  rejected: string | null;
}

export interface FakePosition {
  symbol: string;
  quantity: number;
  costBasis: number;
  dateAcquired: string;
}

export interface FakeBalances {
  accountType: 'margin' | 'cash' | 'pdt';
  totalCash: number;
  totalEquity: number;
  optionBuyingPower: number;
}

export interface FakeState {
  readonly nextId: number;
  readonly orders: readonly FakeOrder[];
  readonly positions: readonly FakePosition[];
  readonly balances: FakeBalances;
}

export interface FakeTradierServerOptions {
  readonly accountId?: string;
  readonly token?: string;
  /** Requests per minute per group (defaults: trading 60, account 120, marketData 120). */
  readonly rateLimits?: Partial<Record<FakeGroup, number>>;
  readonly state?: FakeState;
  readonly now?: () => number;
  /** Heartbeat interval on the account stream; 0 = only on `sendHeartbeat()`. */
  readonly heartbeatMs?: number;
  readonly port?: number;
}

export interface RequestLogEntry {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly form: ReadonlyArray<readonly [string, string]>;
  readonly status: number;
}

const FINAL = new Set(['filled', 'canceled', 'expired', 'rejected', 'error']);
const TAG_RE = /^[A-Za-z0-9-]{1,255}$/;

/** Tradier collection quirk: [] → "null", [x] → x, else the array. */
function one<T>(arr: readonly T[]): T | readonly T[] | 'null' {
  if (arr.length === 0) return 'null';
  if (arr.length === 1) return arr[0] as T;
  return arr;
}

function round(x: number, dp = 6): number {
  return Math.round(x * 10 ** dp) / 10 ** dp;
}

export class FakeTradierServer {
  readonly accountId: string;
  readonly token: string;
  readonly requests: RequestLogEntry[] = [];
  private server: Server | null = null;
  private wss: WebSocketServer | null = null;
  private readonly sockets = new Set<WebSocket>();
  private readonly sessions = new Set<string>();
  private readonly faults: Array<FaultRule & { left: number }> = [];
  private readonly limits: Record<FakeGroup, number>;
  private readonly windows: Record<FakeGroup, { used: number; resetAt: number }> = {
    trading: { used: 0, resetAt: 0 },
    account: { used: 0, resetAt: 0 },
    marketData: { used: 0, resetAt: 0 },
  };
  private readonly now: () => number;
  private nextId: number;
  private orders = new Map<number, FakeOrder>();
  private positionsBySymbol = new Map<string, FakePosition>();
  private balances: FakeBalances;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private port = 0;

  constructor(private readonly opts: FakeTradierServerOptions = {}) {
    this.accountId = opts.accountId ?? 'VA00000001';
    this.token = opts.token ?? 'fake-token-0123456789';
    this.now = opts.now ?? Date.now;
    this.limits = { trading: 60, account: 120, marketData: 120, ...opts.rateLimits };
    const s = opts.state;
    this.nextId = s?.nextId ?? 1000;
    for (const o of s?.orders ?? []) this.orders.set(o.id, structuredClone(o));
    for (const p of s?.positions ?? []) this.positionsBySymbol.set(p.symbol, { ...p });
    this.balances = s ? { ...s.balances } : { accountType: 'margin', totalCash: 100_000, totalEquity: 100_000, optionBuyingPower: 50_000 };
  }

  static async start(opts: FakeTradierServerOptions = {}): Promise<FakeTradierServer> {
    const f = new FakeTradierServer(opts);
    await f.listen();
    return f;
  }

  /** REST base, e.g. `http://127.0.0.1:40123/v1`. */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  get streamUrl(): string {
    return `ws://127.0.0.1:${this.port}/v1/accounts/events`;
  }

  /** Order placements received (every POST to …/orders, whatever the outcome). */
  get orderPosts(): number {
    return this.requests.filter((r) => r.method === 'POST' && /\/orders$/.test(r.path)).length;
  }

  get streamClients(): number {
    return this.sockets.size;
  }

  async listen(): Promise<void> {
    const server = createServer((req, res) => {
      void this.handle(req, res);
    });
    const wss = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname !== '/v1/accounts/events') {
        socket.destroy();
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => this.onStream(ws));
    });
    this.server = server;
    this.wss = wss;
    await new Promise<void>((resolve) => server.listen(this.opts.port ?? 0, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    if ((this.opts.heartbeatMs ?? 0) > 0) {
      this.heartbeatTimer = setInterval(() => this.sendHeartbeat(), this.opts.heartbeatMs);
    }
  }

  async close(): Promise<void> {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    for (const ws of this.sockets) ws.terminate();
    this.sockets.clear();
    this.wss?.close();
    const s = this.server;
    this.server = null;
    if (s) {
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  }

  // ───────────────────────────── control API ─────────────────────────────

  injectFault(rule: FaultRule): void {
    this.faults.push({ ...rule, left: rule.times ?? 1 });
  }

  exportState(): FakeState {
    return structuredClone({
      nextId: this.nextId,
      orders: [...this.orders.values()],
      positions: [...this.positionsBySymbol.values()],
      balances: this.balances,
    });
  }

  order(id: number): FakeOrder | undefined {
    return this.orders.get(id);
  }

  allOrders(): readonly FakeOrder[] {
    return [...this.orders.values()];
  }

  findByTag(tag: string): FakeOrder[] {
    return [...this.orders.values()].filter((o) => o.tag === tag);
  }

  setPosition(symbol: string, quantity: number, costBasis: number): void {
    if (quantity === 0) this.positionsBySymbol.delete(symbol);
    else this.positionsBySymbol.set(symbol, { symbol, quantity, costBasis, dateAcquired: this.iso() });
  }

  setBalances(b: Partial<FakeBalances>): void {
    this.balances = { ...this.balances, ...b };
  }

  /**
   * Fill a working leg (by leg id, or an order id for single-leg orders): `quantity` contracts (default: all that
   * remain) at `price`. Applies OTOCO rules and moves the position. Throws if the leg cannot fill.
   */
  fill(legId: number, price: number, quantity?: number): void {
    const found = this.findLeg(legId);
    if (!found) throw new Error(`fake tradier: no leg ${legId}`);
    const { order, leg } = found;
    if (leg.status !== 'open' && leg.status !== 'partially_filled') {
      throw new Error(`fake tradier: leg ${legId} is ${leg.status}, cannot fill`);
    }
    const remaining = leg.quantity - leg.execQuantity;
    const q = quantity ?? remaining;
    if (q <= 0 || q > remaining + 1e-9) throw new Error(`fake tradier: bad fill quantity ${q} (remaining ${remaining})`);
    leg.avgFillPrice = round((leg.avgFillPrice * leg.execQuantity + price * q) / (leg.execQuantity + q));
    leg.execQuantity = round(leg.execQuantity + q);
    leg.lastFillPrice = price;
    leg.lastFillQuantity = q;
    leg.status = leg.execQuantity + 1e-9 >= leg.quantity ? 'filled' : 'partially_filled';
    leg.transactionDate = this.iso();
    this.movePosition(leg, q, price);
    this.emitLeg(order, leg);
    if (order.class === 'otoco') {
      const idx = order.legs.indexOf(leg);
      if (idx === 0 && leg.status === 'filled') {
        for (const l of order.legs.slice(1)) this.setLegStatus(order, l, 'open');
      } else if (idx > 0 && leg.status === 'filled') {
        const sibling = order.legs[idx === 1 ? 2 : 1];
        if (sibling && !FINAL.has(sibling.status)) this.setLegStatus(order, sibling, 'canceled');
      }
    }
  }

  /** Tradier's late reject (risk/market-center): the order and its live legs become rejected. */
  rejectOrder(orderId: number, reason: string): void {
    const o = this.orders.get(orderId);
    if (!o) throw new Error(`fake tradier: no order ${orderId}`);
    o.rejected = reason;
    for (const l of o.legs) {
      if (!FINAL.has(l.status)) {
        l.reason = reason;
        this.setLegStatus(o, l, 'rejected');
      }
    }
  }

  /** End of the session: every live day order expires. */
  expireDay(): void {
    for (const o of this.orders.values()) {
      for (const l of o.legs) if (!FINAL.has(l.status)) this.setLegStatus(o, l, 'expired');
    }
  }

  /**
   * Expiry of `date`'s contracts: live day orders expire, then positions in contracts expiring on `date` leave the
   * account (cash-settled at intrinsic from `values[underlying]`, credited to cash; SPY/QQQ are booked the same
   * way here). Like Tradier, no order event announces it: only positions (and balances) change.
   */
  settleExpiries(date: string, values: Readonly<Record<string, number>>): void {
    this.expireDay();
    for (const p of [...this.positionsBySymbol.values()]) {
      const c = parseOcc(p.symbol);
      if (c.expiry !== date) continue;
      const root = c.root;
      const und = isOptionRoot(root) ? ROOT_INFO[root].underlying : root;
      const v = values[und];
      if (v === undefined) throw new Error(`fake tradier: no settlement value for ${und}`);
      const intrinsic = Math.max(0, c.right === 'C' ? v - c.strike : c.strike - v);
      this.balances = { ...this.balances, totalCash: round(this.balances.totalCash + intrinsic * 100 * p.quantity, 2) };
      this.positionsBySymbol.delete(p.symbol);
    }
  }

  /** Close every account-stream socket (clients must reconnect with a fresh session and re-poll). */
  dropStreams(): void {
    for (const ws of this.sockets) ws.terminate();
    this.sockets.clear();
  }

  sendHeartbeat(): void {
    this.broadcast({ event: 'heartbeat', status: 'active', timestamp: this.iso() });
  }

  // ───────────────────────────── internals ─────────────────────────────

  private iso(): string {
    return new Date(this.now()).toISOString();
  }

  private findLeg(id: number): { order: FakeOrder; leg: FakeLeg } | null {
    for (const order of this.orders.values()) {
      for (const leg of order.legs) if (leg.id === id) return { order, leg };
    }
    return null;
  }

  private setLegStatus(order: FakeOrder, leg: FakeLeg, status: string): void {
    leg.status = status;
    leg.transactionDate = this.iso();
    this.emitLeg(order, leg);
  }

  private movePosition(leg: FakeLeg, q: number, price: number): void {
    const p = this.positionsBySymbol.get(leg.optionSymbol);
    const sign = leg.side.startsWith('buy') ? 1 : -1;
    const qty = (p?.quantity ?? 0) + sign * q;
    if (Math.abs(qty) < 1e-9) {
      this.positionsBySymbol.delete(leg.optionSymbol);
      return;
    }
    let cost: number;
    if (!p || Math.sign(p.quantity) === sign) cost = (p?.costBasis ?? 0) + sign * q * price * 100;
    else cost = (p.costBasis / p.quantity) * qty;
    this.positionsBySymbol.set(leg.optionSymbol, {
      symbol: leg.optionSymbol,
      quantity: qty,
      costBasis: round(cost, 2),
      dateAcquired: p?.dateAcquired ?? this.iso(),
    });
  }

  private orderStatus(o: FakeOrder): string {
    if (o.rejected !== null) return 'rejected';
    const ls = o.legs.map((l) => l.status);
    if (o.class === 'option') return ls[0] ?? 'pending';
    if (ls.some((s) => !FINAL.has(s))) return ls[0] === 'partially_filled' ? 'partially_filled' : 'open';
    if (ls.slice(1).some((s) => s === 'filled')) return 'filled';
    if (ls.some((s) => s === 'expired')) return 'expired';
    if (ls.some((s) => s === 'rejected')) return 'rejected';
    return 'canceled';
  }

  private legJson(l: FakeLeg, withTag: boolean): Record<string, unknown> {
    return {
      id: l.id,
      type: l.type,
      symbol: l.symbol,
      side: l.side,
      quantity: l.quantity,
      status: l.status,
      duration: 'day',
      ...(l.price !== null ? { price: l.price } : {}),
      ...(l.stop !== null ? { stop_price: l.stop } : {}),
      avg_fill_price: l.avgFillPrice,
      exec_quantity: l.execQuantity,
      last_fill_price: l.lastFillPrice,
      last_fill_quantity: l.lastFillQuantity,
      remaining_quantity: round(l.quantity - l.execQuantity),
      create_date: l.createDate,
      transaction_date: l.transactionDate,
      class: 'option',
      option_symbol: l.optionSymbol,
      ...(l.reason !== null ? { reason_description: l.reason } : {}),
      ...(withTag && l.tag !== null ? { tag: l.tag } : {}),
    };
  }

  private orderJson(o: FakeOrder, withTag: boolean): Record<string, unknown> {
    if (o.class === 'option') {
      const l = o.legs[0] as FakeLeg;
      return { ...this.legJson(l, withTag), status: this.orderStatus(o) };
    }
    const entry = o.legs[0] as FakeLeg;
    return {
      id: o.id,
      type: entry.type,
      symbol: entry.symbol,
      side: entry.side,
      quantity: entry.quantity,
      status: this.orderStatus(o),
      duration: o.duration,
      avg_fill_price: 0.0,
      exec_quantity: 0.0,
      last_fill_price: 0.0,
      last_fill_quantity: 0.0,
      remaining_quantity: 0.0,
      create_date: o.createDate,
      transaction_date: o.legs.map((l) => l.transactionDate).sort().at(-1) ?? o.createDate,
      class: 'otoco',
      num_legs: o.legs.length,
      strategy: 'oto',
      ...(o.rejected !== null ? { reason_description: o.rejected } : {}),
      ...(withTag && o.tag !== null ? { tag: o.tag } : {}),
      leg: one(o.legs.map((l) => this.legJson(l, withTag))),
    };
  }

  private emitLeg(order: FakeOrder, leg: FakeLeg): void {
    this.broadcast({
      id: leg.id,
      event: 'order',
      ...(order.class === 'otoco' ? { parent_id: order.id } : {}),
      account: this.accountId,
      status: leg.status,
      type: leg.type,
      ...(order.tag !== null ? { tag: order.tag } : {}),
      price: leg.price ?? 0.0,
      stop_price: leg.stop ?? 0.0,
      avg_fill_price: leg.avgFillPrice,
      exec_quantity: leg.execQuantity,
      last_fill_quantity: leg.lastFillQuantity,
      remaining_quantity: round(leg.quantity - leg.execQuantity),
      create_date: leg.createDate,
      transaction_date: leg.transactionDate,
    });
  }

  private broadcast(msg: unknown): void {
    const text = JSON.stringify(msg);
    for (const ws of this.sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  }

  private onStream(ws: WebSocket): void {
    let subscribed = false;
    ws.on('message', (data) => {
      let msg: unknown;
      try {
        msg = JSON.parse(String(data));
      } catch {
        ws.send(JSON.stringify({ error: 'invalid payload' }));
        return;
      }
      const m = msg as { sessionid?: unknown; events?: unknown };
      if (typeof m.sessionid !== 'string' || !this.sessions.has(m.sessionid)) {
        ws.send(JSON.stringify({ error: 'invalid session' }));
        ws.close();
        return;
      }
      this.sessions.delete(m.sessionid);
      if (!subscribed) {
        subscribed = true;
        this.sockets.add(ws);
      }
    });
    ws.on('close', () => this.sockets.delete(ws));
    ws.on('error', () => this.sockets.delete(ws));
  }

  private group(method: string, path: string): FakeGroup {
    if (path.startsWith('/v1/markets')) return 'marketData';
    if (method !== 'GET' && /\/orders(\/|$)/.test(path)) return 'trading';
    return 'account';
  }

  private rateHeaders(g: FakeGroup): Record<string, string> {
    const w = this.windows[g];
    return {
      'X-Ratelimit-Allowed': String(this.limits[g]),
      'X-Ratelimit-Used': String(w.used),
      'X-Ratelimit-Available': String(Math.max(0, this.limits[g] - w.used)),
      'X-Ratelimit-Expiry': String(w.resetAt),
    };
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>, json = true): void {
    const text = typeof body === 'string' && !json ? body : JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': json ? 'application/json' : 'text/plain', ...headers });
    res.end(text);
  }

  private takeFault(method: string, path: string): FakeFault | null {
    const i = this.faults.findIndex(
      (f) => f.left > 0 && (f.method === undefined || f.method === method) && (f.path === undefined || f.path.test(path)),
    );
    if (i < 0) return null;
    const f = this.faults[i] as FaultRule & { left: number };
    f.left -= 1;
    if (f.left <= 0) this.faults.splice(i, 1);
    return f.fault;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const form = new URLSearchParams(raw);
    const entry = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      form: [...form.entries()] as Array<readonly [string, string]>,
      status: 0,
    };
    this.requests.push(entry);
    const reply = (status: number, body: unknown, json = true): void => {
      entry.status = status;
      this.send(res, status, body, this.rateHeaders(g), json);
    };

    const g = this.group(method, path);
    const t = this.now();
    const w = this.windows[g];
    if (w.resetAt === 0 || t >= w.resetAt) {
      w.used = 0;
      w.resetAt = t + 60_000;
    }

    if (req.headers.authorization !== `Bearer ${this.token}`) {
      reply(401, { fault: { faultstring: 'Invalid Access Token', detail: { errorcode: 'keymanagement.service.invalid_access_token' } } });
      return;
    }
    if (req.headers.accept !== 'application/json') {
      entry.status = 200;
      res.writeHead(200, { 'Content-Type': 'application/xml' });
      res.end('<?xml version="1.0" encoding="UTF-8"?><response>xml is the default</response>');
      return;
    }

    let hang = false;
    let lateReject: string | null = null;
    const fault = this.takeFault(method, path);
    if (fault) {
      switch (fault.kind) {
        case 'hangAfterProcessing':
          hang = true;
          break;
        case 'rejectAfterAccept':
          lateReject = fault.reason;
          break;
        case 'httpError':
          entry.status = fault.status;
          this.send(res, fault.status, fault.body ?? '<html><body>502 Bad Gateway</body></html>', {}, false);
          return;
        case 'errorsBody':
          reply(200, { errors: { error: fault.messages.length === 1 ? fault.messages[0] : fault.messages } });
          return;
        case 'rateLimited':
          w.used = this.limits[g];
          w.resetAt = t + (fault.resetInMs ?? 1_000);
          reply(429, 'Rate limit exceeded', false);
          return;
        case 'unauthorized':
          reply(401, { fault: { faultstring: 'Invalid Access Token', detail: { errorcode: 'keymanagement.service.invalid_access_token' } } });
          return;
        default: {
          const never: never = fault;
          throw new Error(`unhandled fault ${JSON.stringify(never)}`);
        }
      }
    }

    if (w.used >= this.limits[g]) {
      reply(429, 'Rate limit exceeded', false);
      return;
    }
    w.used += 1;

    const result = this.route(method, path, url.searchParams, form, lateReject);
    if (hang) {
      entry.status = -1;
      // Leave the request unanswered; close() tears the socket down.
      return;
    }
    reply(result.status, result.body, result.json ?? true);
  }

  private route(
    method: string,
    path: string,
    query: URLSearchParams,
    form: URLSearchParams,
    lateReject: string | null,
  ): { status: number; body: unknown; json?: boolean } {
    if (method === 'POST' && path === '/v1/accounts/events/session') {
      const sessionid = `sess-${this.nextId++}-${Math.random().toString(36).slice(2)}`;
      this.sessions.add(sessionid);
      return { status: 200, body: { stream: { url: this.streamUrl, sessionid } } };
    }
    const m = /^\/v1\/accounts\/([^/]+)\/(orders|positions|balances)(?:\/(\d+))?$/.exec(path);
    if (!m || m[1] !== this.accountId) return { status: 404, body: 'Not Found', json: false };
    const what = m[2];
    const id = m[3] !== undefined ? Number(m[3]) : null;
    const withTag = query.get('includeTags') === 'true';
    if (what === 'positions' && method === 'GET' && id === null) {
      return {
        status: 200,
        body: {
          positions:
            this.positionsBySymbol.size === 0
              ? 'null'
              : {
                  position: one(
                    [...this.positionsBySymbol.values()].map((p, i) => ({
                      cost_basis: p.costBasis,
                      date_acquired: p.dateAcquired,
                      id: i + 1,
                      quantity: p.quantity,
                      symbol: p.symbol,
                    })),
                  ),
                },
        },
      };
    }
    if (what === 'balances' && method === 'GET' && id === null) {
      const b = this.balances;
      const sub =
        b.accountType === 'cash'
          ? { cash: { cash_available: b.totalCash, sweep: 0, unsettled_funds: 0 } }
          : { [b.accountType]: { option_buying_power: b.optionBuyingPower, stock_buying_power: b.optionBuyingPower * 2, fed_call: 0, maintenance_call: 0 } };
      return {
        status: 200,
        body: {
          balances: {
            account_number: this.accountId,
            account_type: b.accountType,
            total_cash: b.totalCash,
            total_equity: b.totalEquity,
            equity: 0,
            pending_orders_count: [...this.orders.values()].filter((o) => !FINAL.has(this.orderStatus(o))).length,
            ...sub,
          },
        },
      };
    }
    if (what !== 'orders') return { status: 404, body: 'Not Found', json: false };

    if (method === 'GET' && id === null) {
      const page = Math.max(1, Number(query.get('page') ?? '1') || 1);
      const limit = Math.max(1, Number(query.get('limit') ?? '25') || 25);
      const all = [...this.orders.values()].sort((a, b) => a.id - b.id);
      const slice = all.slice((page - 1) * limit, page * limit);
      return { status: 200, body: { orders: slice.length === 0 ? 'null' : { order: one(slice.map((o) => this.orderJson(o, withTag))) } } };
    }
    if (method === 'GET' && id !== null) {
      const o = this.orders.get(id);
      if (o) return { status: 200, body: { order: this.orderJson(o, withTag) } };
      const found = this.findLeg(id);
      if (found) return { status: 200, body: { order: this.legJson(found.leg, withTag) } };
      return { status: 404, body: { errors: { error: 'Order not found' } } };
    }
    if (method === 'POST' && id === null) return this.place(form, lateReject);
    if (method === 'PUT' && id !== null) return this.modify(id, form);
    if (method === 'DELETE' && id !== null) return this.cancel(id);
    return { status: 405, body: 'Method Not Allowed', json: false };
  }

  private place(form: URLSearchParams, lateReject: string | null): { status: number; body: unknown } {
    const errors: string[] = [];
    const bad = (msg: string): { status: number; body: unknown } => ({ status: 400, body: { errors: { error: msg } } });
    const cls = form.get('class');
    const tag = form.get('tag');
    if (tag !== null && !TAG_RE.test(tag)) return bad('Invalid parameter, tag: only letters, digits and - are allowed');
    const duration = form.get('duration');
    if (duration !== 'day' && duration !== 'gtc') return bad('Invalid parameter, duration');
    const now = this.iso();

    const readLeg = (sfx: string, i: number): Omit<FakeLeg, 'id' | 'parentId' | 'status'> | null => {
      const get = (k: string): string | null => form.get(`${k}${sfx}`);
      const optionSymbol = get('option_symbol');
      const symbol = get('symbol');
      const side = get('side');
      const type = get('type');
      const quantity = Number(get('quantity'));
      const price = get('price');
      const stop = get('stop');
      if (!optionSymbol || !symbol || !side || !type) {
        errors.push(`leg ${i}: symbol, option_symbol, side and type are required`);
        return null;
      }
      let root: string;
      try {
        root = parseOcc(optionSymbol).root;
      } catch {
        errors.push(`leg ${i}: invalid option_symbol ${optionSymbol}`);
        return null;
      }
      if (optionSymbol.startsWith('O:')) errors.push(`leg ${i}: invalid option_symbol ${optionSymbol}`);
      if (isOptionRoot(root) && ROOT_INFO[root].underlying !== symbol) errors.push(`leg ${i}: symbol ${symbol} is not the underlying of ${optionSymbol}`);
      if (!['buy_to_open', 'buy_to_close', 'sell_to_open', 'sell_to_close'].includes(side)) errors.push(`leg ${i}: invalid side ${side}`);
      if (!['market', 'limit', 'stop', 'stop_limit'].includes(type)) errors.push(`leg ${i}: invalid type ${type}`);
      if (!Number.isInteger(quantity) || quantity <= 0) errors.push('IncorrectOrderQuantity');
      if ((type === 'limit' || type === 'stop_limit') && !(Number(price) > 0)) errors.push('LimitPriceUndefined');
      if ((type === 'stop' || type === 'stop_limit') && !(Number(stop) > 0)) errors.push('StopPriceUndefined');
      return {
        type,
        symbol,
        optionSymbol,
        side,
        quantity,
        price: price !== null && (type === 'limit' || type === 'stop_limit') ? Number(price) : null,
        stop: stop !== null && (type === 'stop' || type === 'stop_limit') ? Number(stop) : null,
        execQuantity: 0,
        avgFillPrice: 0,
        lastFillPrice: 0,
        lastFillQuantity: 0,
        createDate: now,
        transactionDate: now,
        reason: null,
        tag,
      };
    };

    let order: FakeOrder;
    if (cls === 'option') {
      const leg = readLeg('', 0);
      if (!leg || errors.length > 0) return bad(errors.join('; '));
      const id = this.nextId++;
      order = { id, class: 'option', tag, duration, createDate: now, legs: [{ ...leg, id, parentId: null, status: 'open' }], rejected: null };
    } else if (cls === 'otoco') {
      const legs = [0, 1, 2].map((i) => readLeg(`[${i}]`, i));
      if (form.has('symbol[3]') || form.has('type[3]')) errors.push('otoco takes exactly 3 legs');
      const [l0, l1, l2] = legs;
      if (!l0 || !l1 || !l2 || errors.length > 0) return bad(errors.join('; '));
      if (l0.type === 'market') errors.push('OtoFirstLegIsMarketNotAllowed');
      if (l1.type === 'market' || l2.type === 'market') errors.push('OtoOcoMarketNotAllowed');
      if (l1.type === l2.type) errors.push('OCO legs must have different types');
      if (l1.optionSymbol !== l2.optionSymbol) errors.push('OCO legs must have the same option_symbol');
      if (errors.length > 0) return bad(errors.join('; '));
      const id = this.nextId;
      this.nextId += 4;
      order = {
        id,
        class: 'otoco',
        tag,
        duration,
        createDate: now,
        legs: [
          { ...l0, id: id + 1, parentId: id, status: 'open' },
          { ...l1, id: id + 2, parentId: id, status: 'pending' },
          { ...l2, id: id + 3, parentId: id, status: 'pending' },
        ],
        rejected: null,
      };
    } else {
      return bad(`Invalid parameter, class: ${cls ?? '(missing)'}`);
    }
    this.orders.set(order.id, order);
    for (const l of order.legs) this.emitLeg(order, l);
    if (lateReject !== null) this.rejectOrder(order.id, lateReject);
    return { status: 200, body: { order: { id: order.id, status: 'ok', partner_id: 'fake-partner' } } };
  }

  private modify(id: number, form: URLSearchParams): { status: number; body: unknown } {
    const found = this.findLeg(id);
    if (!found) return { status: 404, body: { errors: { error: 'Order not found' } } };
    const { order, leg } = found;
    if (FINAL.has(leg.status)) return { status: 400, body: { errors: { error: `order already in finalized state: ${leg.status}` } } };
    if (form.has('quantity')) return { status: 400, body: { errors: { error: 'Invalid parameter, quantity cannot be modified' } } };
    const price = form.get('price');
    const stop = form.get('stop');
    const type = form.get('type');
    if (price === null && stop === null && type === null) return { status: 400, body: { errors: { error: 'nothing to change' } } };
    if (price !== null) {
      if (!(Number(price) > 0)) return { status: 400, body: { errors: { error: 'Invalid parameter, price' } } };
      leg.price = Number(price);
    }
    if (stop !== null) {
      if (!(Number(stop) > 0)) return { status: 400, body: { errors: { error: 'Invalid parameter, stop' } } };
      leg.stop = Number(stop);
    }
    if (type !== null) leg.type = type;
    leg.transactionDate = this.iso();
    this.emitLeg(order, leg);
    return { status: 200, body: { order: { id, status: 'ok' } } };
  }

  private cancel(id: number): { status: number; body: unknown } {
    const o = this.orders.get(id);
    if (o) {
      const status = this.orderStatus(o);
      if (FINAL.has(status)) return { status: 400, body: { errors: { error: `order already in finalized state: ${status}` } } };
      for (const l of o.legs) if (!FINAL.has(l.status)) this.setLegStatus(o, l, 'canceled');
      return { status: 200, body: { order: { id, status: 'ok' } } };
    }
    const found = this.findLeg(id);
    if (!found) return { status: 404, body: { errors: { error: 'Order not found' } } };
    if (FINAL.has(found.leg.status)) {
      return { status: 400, body: { errors: { error: `order already in finalized state: ${found.leg.status}` } } };
    }
    this.setLegStatus(found.order, found.leg, 'canceled');
    return { status: 200, body: { order: { id, status: 'ok' } } };
  }
}
