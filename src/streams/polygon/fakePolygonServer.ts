/**
 * A local fake Polygon (Massive) server for tests and benchmarks, built from specs/polygon.md: websocket clusters
 * at `/stocks`, `/options`, `/indices` and the REST endpoints the client uses, on 127.0.0.1 with an ephemeral port.
 *
 * Websocket behaviour (as the official mock server): `connected` status on open; `auth` → `auth_success` (or
 * `auth_failed` + close when the key is wrong or `faults.authFail`); one `success` status per subscribed or
 * unsubscribed channel; data only for topics a connection subscribed to (the server forgets subscriptions with
 * the connection); frames are arrays of mixed events. A second connection to a cluster while one is open gets
 * `max_connections` and is closed (one connection per cluster per account), as does every connection when
 * `faults.maxConnections`.
 *
 * Scripting: `play(events)` sends market events in order, grouped into frames per cluster (`perFrame`), yielding to
 * the event loop every `yieldEvery` frames; `sendRaw` sends any text (malformed frames); `drop(cluster)` closes
 * connections abruptly (no close frame); `sendStatus` pushes a status (e.g. `slow_consumer`) and can close.
 *
 * REST: `GET /v3/snapshot/options/{asset}` from `setChain` with `limit` + `next_url` cursor pagination;
 * `GET /v2/aggs/ticker/{t}/range/1/minute/{from}/{to}` from `setMinuteAggs`. Both require
 * `Authorization: Bearer <key>` (401 otherwise); `faults.throttle` answers that many requests with 429 first.
 * The API key is never written anywhere by the server.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, WebSocket } from 'ws';
import type { MarketEvent } from '../../domain/events.js';
import { tryParseOcc } from '../../domain/instruments.js';
import type { FeedCluster } from '../../operators/risk/riskEvents.js';
import { toWire, wireTopic } from './polygonWire.js';

export interface FakePolygonFaults {
  authFail?: boolean;
  maxConnections?: boolean;
  /** Answer the next N REST requests with 429. */
  throttle?: number;
  /** Refuse websocket upgrades for these clusters (an outage the client cannot reconnect through). */
  refuse?: FeedCluster[];
}

interface Conn {
  readonly ws: WebSocket;
  readonly cluster: FeedCluster;
  authed: boolean;
  readonly topics: Set<string>;
}

export interface FakeChain {
  readonly price: number;
  readonly tickers: readonly string[];
}

export interface FakeAgg {
  readonly o: number;
  readonly h: number;
  readonly l: number;
  readonly c: number;
  readonly v: number;
  readonly t: number;
}

const CLUSTERS: readonly FeedCluster[] = ['stocks', 'options', 'indices'];

export class FakePolygonServer {
  readonly faults: FakePolygonFaults = {};
  readonly log = {
    connections: { stocks: 0, options: 0, indices: 0 } as Record<FeedCluster, number>,
    auths: 0,
    authFailures: 0,
    subscribeMessages: [] as { cluster: FeedCluster; action: string; params: string }[],
    restRequests: [] as { path: string; bearer: boolean; status: number }[],
    framesSent: 0,
    eventsSent: 0,
  };
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly conns = new Set<Conn>();
  private chains = new Map<string, FakeChain>();
  private aggs = new Map<string, FakeAgg[]>();
  private port = 0;

  private constructor(readonly apiKey: string) {
    this.http = createServer((req, res) => this.onHttp(req, res));
    this.wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
    this.http.on('upgrade', (req, socket, head) => {
      const cluster = (req.url ?? '').replace(/^\//, '').split('?')[0] as FeedCluster;
      if (!CLUSTERS.includes(cluster) || this.faults.refuse?.includes(cluster)) {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, cluster));
    });
  }

  static async start(opts: { apiKey: string }): Promise<FakePolygonServer> {
    const s = new FakePolygonServer(opts.apiKey);
    await new Promise<void>((resolve) => s.http.listen(0, '127.0.0.1', resolve));
    s.port = (s.http.address() as AddressInfo).port;
    return s;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  get restUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    for (const c of this.conns) c.ws.terminate();
    this.conns.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections?.();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  // --------------------------------------------------------------------------------------------- websocket

  private onConnection(ws: WebSocket, cluster: FeedCluster): void {
    this.log.connections[cluster]++;
    const others = [...this.conns].filter((c) => c.cluster === cluster);
    if (this.faults.maxConnections || others.length > 0) {
      ws.send(JSON.stringify([{ ev: 'status', status: 'max_connections', message: 'Maximum number of connections exceeded.' }]));
      ws.close(1008, 'max_connections');
      return;
    }
    const conn: Conn = { ws, cluster, authed: false, topics: new Set() };
    this.conns.add(conn);
    ws.on('close', () => this.conns.delete(conn));
    ws.on('error', () => this.conns.delete(conn));
    ws.send(JSON.stringify([{ ev: 'status', status: 'connected', message: 'Connected Successfully' }]));
    ws.on('message', (data) => {
      let msg: { action?: unknown; params?: unknown };
      try {
        msg = JSON.parse(data.toString()) as typeof msg;
      } catch {
        ws.send(JSON.stringify([{ ev: 'status', status: 'error', message: 'invalid message' }]));
        return;
      }
      const params = typeof msg.params === 'string' ? msg.params : '';
      if (msg.action === 'auth') {
        this.log.auths++;
        if (this.faults.authFail || params !== this.apiKey) {
          this.log.authFailures++;
          ws.send(JSON.stringify([{ ev: 'status', status: 'auth_failed', message: 'authentication failed' }]));
          ws.close(1008, 'auth failed');
          return;
        }
        conn.authed = true;
        ws.send(JSON.stringify([{ ev: 'status', status: 'auth_success', message: 'authenticated' }]));
        return;
      }
      if (msg.action === 'subscribe' || msg.action === 'unsubscribe') {
        this.log.subscribeMessages.push({ cluster, action: msg.action, params });
        if (!conn.authed) {
          ws.send(JSON.stringify([{ ev: 'status', status: 'auth_required', message: 'not authenticated' }]));
          return;
        }
        const topics = params.split(',').map((t) => t.trim()).filter((t) => t !== '');
        const acks = topics.map((t) => {
          if (msg.action === 'subscribe') conn.topics.add(t);
          else conn.topics.delete(t);
          return { ev: 'status', status: 'success', message: `${msg.action === 'subscribe' ? 'subscribed' : 'unsubscribed'} to: ${t}` };
        });
        if (acks.length) ws.send(JSON.stringify(acks));
      }
    });
  }

  /** Open, authenticated connections of a cluster. */
  connections(cluster: FeedCluster): number {
    return [...this.conns].filter((c) => c.cluster === cluster && c.authed).length;
  }

  /** Topics currently subscribed on a cluster's connection(s). */
  subscribed(cluster: FeedCluster): Set<string> {
    const s = new Set<string>();
    for (const c of this.conns) if (c.cluster === cluster) for (const t of c.topics) s.add(t);
    return s;
  }

  /** Resolve when `pred` holds (polled every 5 ms), or reject after `timeoutMs`. */
  async until(pred: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
    const t0 = Date.now();
    while (!pred()) {
      if (Date.now() - t0 > timeoutMs) throw new Error(`fake polygon: timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Send market events in order to the connections subscribed to them; frames of up to `perFrame` per cluster. */
  async play(events: Iterable<MarketEvent>, opts: { perFrame?: number; yieldEvery?: number; onProgress?: (sent: number) => void } = {}): Promise<{ sent: number; skipped: number }> {
    const perFrame = opts.perFrame ?? 20;
    const yieldEvery = opts.yieldEvery ?? 8;
    let frames = 0;
    let sent = 0;
    let skipped = 0;
    let cur: FeedCluster | null = null;
    let buf: string[] = [];
    const flush = async () => {
      if (cur !== null && buf.length) {
        const text = `[${buf.join(',')}]`;
        for (const c of this.conns) if (c.cluster === cur && c.authed && c.ws.readyState === WebSocket.OPEN) c.ws.send(text);
        this.log.framesSent++;
        frames++;
        if (frames % yieldEvery === 0) await new Promise((r) => setImmediate(r));
      }
      buf = [];
    };
    for (const ev of events) {
      const wt = wireTopic(ev);
      const wire = toWire(ev);
      if (!wt || !wire) continue;
      let wanted = false;
      for (const c of this.conns) if (c.cluster === wt.cluster && c.topics.has(wt.topic)) wanted = true;
      if (!wanted) {
        skipped++;
        continue;
      }
      if (wt.cluster !== cur || buf.length >= perFrame) {
        await flush();
        cur = wt.cluster;
      }
      buf.push(JSON.stringify(wire));
      sent++;
      this.log.eventsSent++;
      opts.onProgress?.(sent);
    }
    await flush();
    return { sent, skipped };
  }

  /** Any text as one frame (malformed frames, unknown events). */
  sendRaw(cluster: FeedCluster, text: string): void {
    for (const c of this.conns) if (c.cluster === cluster && c.ws.readyState === WebSocket.OPEN) c.ws.send(text);
  }

  sendStatus(cluster: FeedCluster, status: string, message: string, close = false): void {
    for (const c of this.conns) {
      if (c.cluster !== cluster) continue;
      c.ws.send(JSON.stringify([{ ev: 'status', status, message }]));
      if (close) c.ws.close(1008, status);
    }
  }

  /** Abrupt close (no close frame), as a network failure. */
  drop(cluster?: FeedCluster): void {
    for (const c of [...this.conns]) {
      if (cluster !== undefined && c.cluster !== cluster) continue;
      c.ws.terminate();
      this.conns.delete(c);
    }
  }

  // --------------------------------------------------------------------------------------------- REST

  setChain(asset: string, chain: FakeChain): void {
    this.chains.set(asset, chain);
  }

  setMinuteAggs(ticker: string, bars: readonly FakeAgg[]): void {
    this.aggs.set(ticker, [...bars]);
  }

  private onHttp(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.restUrl);
    const bearer = req.headers.authorization === `Bearer ${this.apiKey}`;
    const send = (status: number, body: unknown) => {
      this.log.restRequests.push({ path: url.pathname, bearer, status });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!bearer) return send(401, { status: 'ERROR', request_id: 'fake', error: 'API Key was not provided' });
    if (this.faults.throttle && this.faults.throttle > 0) {
      this.faults.throttle--;
      return send(429, { status: 'ERROR', request_id: 'fake', error: 'You have exceeded the maximum requests per minute' });
    }
    let m = /^\/v3\/snapshot\/options\/([^/]+)$/.exec(url.pathname);
    if (m) {
      const asset = decodeURIComponent(m[1]!);
      const chain = this.chains.get(asset);
      const limit = Math.min(250, Number(url.searchParams.get('limit') ?? 10));
      const cursor = Number(url.searchParams.get('cursor') ?? 0);
      const exp = url.searchParams.get('expiration_date');
      const gte = url.searchParams.get('strike_price.gte');
      const lte = url.searchParams.get('strike_price.lte');
      const all = (chain?.tickers ?? [])
        .map((t) => ({ t, c: tryParseOcc(t) }))
        .filter((x) => x.c !== null && (!exp || x.c.expiry === exp) && (gte === null || x.c.strike >= Number(gte)) && (lte === null || x.c.strike <= Number(lte)));
      const page = all.slice(cursor, cursor + limit);
      const next = cursor + limit < all.length ? new URL(url.toString()) : null;
      if (next) {
        next.searchParams.set('cursor', String(cursor + limit));
        next.searchParams.delete('apiKey');
      }
      return send(200, {
        status: 'OK',
        request_id: 'fake',
        results: page.map(({ t, c }) => ({
          details: { ticker: t, strike_price: c!.strike, expiration_date: c!.expiry, contract_type: c!.right === 'C' ? 'call' : 'put', exercise_style: 'european', shares_per_contract: 100 },
          underlying_asset: asset.startsWith('I:') ? { ticker: asset, value: chain!.price } : { ticker: asset, price: chain!.price },
          open_interest: 100,
        })),
        ...(next ? { next_url: next.toString() } : {}),
      });
    }
    m = /^\/v2\/aggs\/ticker\/([^/]+)\/range\/1\/minute\/(\d+)\/(\d+)$/.exec(url.pathname);
    if (m) {
      const bars = (this.aggs.get(decodeURIComponent(m[1]!)) ?? []).filter((b) => b.t >= Number(m![2]) && b.t <= Number(m![3]));
      return send(200, { ticker: m[1], status: 'OK', request_id: 'fake', resultsCount: bars.length, results: bars.map((b) => ({ ...b, n: 1 })) });
    }
    return send(404, { status: 'NOT_FOUND', request_id: 'fake', message: 'not found' });
  }
}
