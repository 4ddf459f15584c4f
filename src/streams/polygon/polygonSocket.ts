/**
 * One Polygon websocket connection (one cluster: stocks | options | indices), per specs/polygon.md §1:
 * open → `connected` status → send auth → `auth_success` → (re)send every tracked subscription → data frames.
 *
 * Resilience
 *   - Reconnect with capped exponential backoff + jitter (`Backoff`, seeded random), reset once a connection has
 *     stayed authenticated for `resetAfterMs`. Subscriptions are per connection on Polygon's side: the tracked topic
 *     set is re-sent after every `auth_success`, never before.
 *   - `auth_failed` and `max_connections` are fatal: `onFatal` with a clear message, the socket closed, no retry
 *     (retrying a bad key loops forever; retrying max_connections kicks the other session back and forth).
 *   - Liveness (ping every `pingIntervalMs`, dead after `pongTimeoutMs` without any frame or pong) is separate from
 *     the idle timeout: a connection that answers pings but sends no data for `idleTimeoutMs` while `inSession()`
 *     and while something is subscribed is a silent feed → STALE and a reconnect.
 *   - Feed state is reported on change: STALE when the connection is lost or silent, RECOVERING while
 *     reconnecting/authenticating, LIVE after auth_success and resubscription. Nothing is reported before the
 *     first connection (risk treats an unreported cluster as LIVE; no data means no entries anyway).
 *   - Slow consumer: the socket's message handler only stamps the receive time and queues the frame's text (our
 *     WsClient reads into one reused buffer and decodes each frame as it arrives); parsing, validation and the
 *     whole pipeline run from a drain scheduled with setImmediate, so a burst is taken off the socket at once and
 *     the server's buffer never fills because of downstream work.
 *   - The option-quote limit (1,000 contracts per connection) is enforced BEFORE sending: a subscribe that would
 *     exceed it throws `SubscriptionLimitError` and sends nothing.
 *
 * Time: this is a source. It reads the wall clock (`now`) for `tsRecv`, lag and timers; events keep exchange `ts`.
 * The API key is only ever put in the auth frame; it never appears in a log field or error message.
 */
import type { MarketEvent } from '../../domain/events.js';
import type { FeedCluster, FeedState } from '../../operators/risk/riskEvents.js';
import { Backoff } from './backoff.js';
import { WS_OPEN, WsClient } from './wsClient.js';
import { authFrame, FrameBatch, WireCache, newWireStats, parseFrame, subscriptionFrame, type StatusEvent, type WireStats } from './polygonWire.js';

export type FeedStateName = FeedState['state'];
export type SocketLog = (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: Readonly<Record<string, unknown>>) => void;

export const MAX_OPTION_CONTRACTS = 1000;

export class PolygonFatalError extends Error {
  constructor(
    readonly cluster: FeedCluster,
    readonly status: string,
    message: string,
  ) {
    super(message);
    this.name = 'PolygonFatalError';
  }
}

export class SubscriptionLimitError extends Error {
  constructor(
    readonly cluster: FeedCluster,
    readonly wouldHold: number,
    readonly limit: number,
  ) {
    super(`refused: subscribing would hold ${wouldHold} option contracts on the ${cluster} connection (Polygon allows ${limit} per connection); nothing was sent`);
    this.name = 'SubscriptionLimitError';
  }
}

export interface PolygonSocketOptions {
  readonly cluster: FeedCluster;
  /** Base URL without the cluster, e.g. `wss://socket.massive.com`. */
  readonly baseUrl: string;
  readonly apiKey: string;
  /** Uniform [0,1) for the backoff jitter (a seeded Prng). */
  readonly random: () => number;
  readonly backoffBaseMs?: number;
  readonly backoffCapMs?: number;
  readonly backoffResetAfterMs?: number;
  /** Silent-feed timeout during the session (default 15 s; 0 disables). */
  readonly idleTimeoutMs?: number;
  /** Whether the market session is open now (idle timeout only applies then). Default always. */
  readonly inSession?: () => boolean;
  readonly pingIntervalMs?: number;
  readonly pongTimeoutMs?: number;
  /** No `auth_success`/`auth_failed` within this → reconnect (default 10 s). */
  readonly authTimeoutMs?: number;
  readonly maxOptionContracts?: number;
  /** Wall clock, epoch ms (default Date.now). */
  readonly now?: () => number;
  readonly log?: SocketLog;
  /** The frame's events, in a batch reused for the next frame: read them during the call, keep no reference. */
  readonly onEvents: (events: FrameBatch, recvWallMs: number, recvPerfMs: number) => void;
  readonly onFeedState: (state: FeedStateName, reason: string) => void;
  readonly onFatal: (err: PolygonFatalError) => void;
  /** After a reconnect is authenticated: the wall-clock span the connection was down (for gap backfill). */
  readonly onReconnected?: (downSinceWallMs: number, upWallMs: number) => void;
}

export interface SocketStats extends WireStats {
  connects: number;
  reconnects: number;
  idleTimeouts: number;
  deadConnections: number;
  /** Receive time − exchange time of the last event, ms, and its running max / exponential mean. */
  lagLastMs: number;
  lagMaxMs: number;
  lagEwmaMs: number;
  queuedFramesMax: number;
}

export class PolygonSocket {
  readonly cluster: FeedCluster;
  readonly stats: SocketStats;
  private readonly topics = new Set<string>();
  private ws: WsClient | null = null;
  private authed = false;
  private authedAt = 0;
  private lastFrameAt = 0;
  private lastDataAt = 0;
  private downSince: number | null = null;
  private everAuthed = false;
  private stopped = false;
  private fatal = false;
  private state: FeedStateName | null = null;
  private readonly backoff: Backoff;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private checkTimer: NodeJS.Timeout | null = null;
  private authTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  // The inbox as parallel arrays (no object per frame on the hot path), filled up to inboxN and reused: their
  // backing stores are kept across drains (`length = 0` would drop them, and every drain would allocate anew).
  private readonly inboxData: (string | null)[] = [];
  private readonly inboxWall: number[] = [];
  private readonly inboxPerf: number[] = [];
  private inboxN = 0;
  private drainScheduled = false;
  private readonly batch = new FrameBatch();
  private readonly wireCache = new WireCache();
  private readonly now: () => number;
  private readonly log: SocketLog;
  private readonly o: Required<Pick<PolygonSocketOptions, 'idleTimeoutMs' | 'pingIntervalMs' | 'pongTimeoutMs' | 'authTimeoutMs' | 'maxOptionContracts'>>;

  constructor(private readonly opts: PolygonSocketOptions) {
    this.cluster = opts.cluster;
    this.now = opts.now ?? Date.now;
    this.log = opts.log ?? (() => {});
    this.backoff = new Backoff({
      random: opts.random,
      ...(opts.backoffBaseMs !== undefined ? { baseMs: opts.backoffBaseMs } : {}),
      ...(opts.backoffCapMs !== undefined ? { capMs: opts.backoffCapMs } : {}),
      ...(opts.backoffResetAfterMs !== undefined ? { resetAfterMs: opts.backoffResetAfterMs } : {}),
    });
    this.o = {
      idleTimeoutMs: opts.idleTimeoutMs ?? 15_000,
      pingIntervalMs: opts.pingIntervalMs ?? 25_000,
      pongTimeoutMs: opts.pongTimeoutMs ?? 30_000,
      authTimeoutMs: opts.authTimeoutMs ?? 10_000,
      maxOptionContracts: opts.maxOptionContracts ?? MAX_OPTION_CONTRACTS,
    };
    this.stats = {
      ...newWireStats(),
      connects: 0,
      reconnects: 0,
      idleTimeouts: 0,
      deadConnections: 0,
      lagLastMs: 0,
      lagMaxMs: 0,
      lagEwmaMs: 0,
      queuedFramesMax: 0,
    };
  }

  get url(): string {
    return `${this.opts.baseUrl.replace(/\/+$/, '')}/${this.cluster}`;
  }

  get feedState(): FeedStateName | null {
    return this.state;
  }

  get isAuthenticated(): boolean {
    return this.authed;
  }

  /** Tracked topics (sent after every auth_success). */
  get subscriptions(): ReadonlySet<string> {
    return this.topics;
  }

  /** Distinct option contracts (`O:` tickers) among the tracked topics. */
  optionContracts(extra: readonly string[] = []): number {
    const set = new Set<string>();
    for (const t of this.topics) if (t.includes('.O:')) set.add(t.slice(t.indexOf('.') + 1));
    for (const t of extra) if (t.includes('.O:')) set.add(t.slice(t.indexOf('.') + 1));
    return set.size;
  }

  start(): void {
    if (this.ws || this.stopped) return;
    this.checkTimer = setInterval(() => this.check(), Math.max(50, Math.min(1000, Math.floor(Math.min(this.o.idleTimeoutMs || 1000, this.o.pongTimeoutMs) / 4))));
    this.connect();
  }

  /** Close for good (code 1000); no more callbacks. */
  stop(): void {
    this.stopped = true;
    this.shutDown(true);
  }

  subscribe(topics: readonly string[]): void {
    const fresh = topics.filter((t) => !this.topics.has(t));
    if (fresh.length === 0) return;
    const n = this.optionContracts(fresh);
    if (n > this.o.maxOptionContracts) throw new SubscriptionLimitError(this.cluster, n, this.o.maxOptionContracts);
    for (const t of fresh) this.topics.add(t);
    if (this.authed) this.send('subscribe', fresh);
  }

  unsubscribe(topics: readonly string[]): void {
    const gone = topics.filter((t) => this.topics.delete(t));
    if (gone.length && this.authed) this.send('unsubscribe', gone);
  }

  /** Drop the connection as if the network failed (tests, operator "reconnect"). */
  dropConnection(reason = 'dropped by client'): void {
    this.ws?.terminate();
    this.log('warn', 'polygon connection dropped', { cluster: this.cluster, reason });
  }

  // ------------------------------------------------------------------------------------------------ internals

  private send(action: 'subscribe' | 'unsubscribe', topics: readonly string[]): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WS_OPEN) return;
    for (let i = 0; i < topics.length; i += 500) ws.send(subscriptionFrame(action, topics.slice(i, i + 500)));
    this.log('debug', `polygon ${action}`, { cluster: this.cluster, topics: topics.length, tracked: this.topics.size });
  }

  private setState(s: FeedStateName, reason: string): void {
    if (this.state === s) return;
    const first = this.state === null;
    this.state = s;
    // The first LIVE is not reported: an unreported cluster already counts as LIVE for risk, and a clean session
    // then carries no FeedState at all (its recording replays to the same decisions with plain `dreambot replay`).
    if (first && s === 'LIVE') return;
    this.opts.onFeedState(s, reason);
  }

  private connect(): void {
    if (this.stopped || this.fatal) return;
    this.stats.connects++;
    if (this.everAuthed) this.setState('RECOVERING', 'reconnecting');
    const ws = new WsClient(this.url, { maxPayload: 64 * 1024 * 1024, handshakeTimeoutMs: this.o.authTimeoutMs });
    this.ws = ws;
    this.authed = false;
    this.lastFrameAt = this.now();
    ws.on('message', (data) => {
      // Hot path: stamp and queue only; parse in the drain.
      const n = this.inboxN++;
      this.inboxData[n] = data;
      this.inboxWall[n] = this.now();
      this.inboxPerf[n] = performance.now();
      if (!this.drainScheduled) {
        this.drainScheduled = true;
        setImmediate(this.drain);
      }
    });
    ws.on('pong', () => {
      this.lastFrameAt = this.now();
    });
    ws.on('open', () => {
      this.authTimer = setTimeout(() => {
        this.log('warn', 'polygon auth timed out; reconnecting', { cluster: this.cluster });
        ws.terminate();
      }, this.o.authTimeoutMs);
      this.pingTimer = setInterval(() => {
        if (ws.readyState === WS_OPEN) ws.ping();
      }, this.o.pingIntervalMs);
    });
    ws.on('error', (err) => {
      this.log('warn', 'polygon socket error', { cluster: this.cluster, error: err.message });
    });
    ws.on('close', (code, reason) => this.onClose(ws, code, reason));
  }

  private readonly drain = (): void => {
    this.drainScheduled = false;
    const datas = this.inboxData;
    const walls = this.inboxWall;
    const perfs = this.inboxPerf;
    if (this.inboxN > this.stats.queuedFramesMax) this.stats.queuedFramesMax = this.inboxN;
    const stats = this.stats;
    const batch = this.batch;
    // Frames that arrive while we drain are queued behind and handled in this same pass.
    let k = 0;
    for (; k < this.inboxN; k++) {
      if (this.stopped || this.fatal) break;
      const text = datas[k]!;
      datas[k] = null;
      const wall = walls[k]!;
      const perf = perfs[k]!;
      this.lastFrameAt = wall;
      batch.clear();
      const statuses = parseFrame(text, this.cluster, wall, batch, stats, this.wireCache);
      if (statuses) for (const s of statuses) this.onStatus(s);
      if (batch.length) {
        this.lastDataAt = wall;
        const last = batch.at(batch.length - 1);
        const lag = wall - last.ts;
        stats.lagLastMs = lag;
        if (lag > stats.lagMaxMs) stats.lagMaxMs = lag;
        stats.lagEwmaMs += (lag - stats.lagEwmaMs) * 0.01;
        this.opts.onEvents(batch, wall, perf);
      }
    }
    for (; k < this.inboxN; k++) datas[k] = null;
    this.inboxN = 0;
    batch.clear();
  };

  private onStatus(s: StatusEvent): void {
    switch (s.status) {
      case 'connected':
        this.ws?.send(authFrame(this.opts.apiKey));
        return;
      case 'auth_success': {
        if (this.authTimer) clearTimeout(this.authTimer);
        this.authTimer = null;
        this.authed = true;
        this.authedAt = this.now();
        this.lastDataAt = this.authedAt;
        if (this.topics.size) this.send('subscribe', [...this.topics]);
        const wasDown = this.downSince;
        this.downSince = null;
        const reconnect = this.everAuthed;
        this.everAuthed = true;
        if (reconnect) this.stats.reconnects++;
        this.log('info', reconnect ? 'polygon reconnected and resubscribed' : 'polygon authenticated', { cluster: this.cluster, topics: this.topics.size });
        this.setState('LIVE', reconnect ? 'reconnected' : 'connected');
        if (reconnect && wasDown !== null) this.opts.onReconnected?.(wasDown, this.authedAt);
        return;
      }
      case 'auth_failed':
        this.die('auth_failed', `Polygon ${this.cluster}: authentication failed (${s.message || 'no message'}). Check POLYGON_API_KEY and that the plan covers this feed. Not retrying.`);
        return;
      case 'max_connections':
        this.die(
          'max_connections',
          `Polygon ${this.cluster}: max_connections (${s.message || 'too many connections'}) — another client is using this account's ${this.cluster} feed ` +
            `(a second DreamBot, a notebook, another app). Not retrying: reconnecting would kick the sessions off each other. Stop the other client, then restart.`,
        );
        return;
      case 'auth_timeout':
      case 'slow_consumer':
      case 'force_disconnect':
        this.log('warn', `polygon status ${s.status}`, { cluster: this.cluster, message: s.message });
        return;
      case 'error':
        this.log('warn', 'polygon error status', { cluster: this.cluster, message: s.message });
        return;
      default:
        return; // success acks and anything informational
    }
  }

  private die(status: string, message: string): void {
    this.fatal = true;
    this.shutDown(false);
    this.setState('STALE', status);
    this.log('error', message, { cluster: this.cluster, status, alert: status === 'auth_failed' ? 'AUTH_FAILED' : 'MAX_CONNECTIONS' });
    this.opts.onFatal(new PolygonFatalError(this.cluster, status, message));
  }

  /** Stop every timer and detach the socket: a normal close (1000) when `graceful` and open, else terminate. */
  private shutDown(graceful: boolean): void {
    this.clearTimers();
    if (this.checkTimer) clearInterval(this.checkTimer);
    this.checkTimer = null;
    const ws = this.ws;
    this.ws = null;
    if (!ws) return;
    ws.removeAllListeners();
    ws.on('error', () => {});
    if (graceful && ws.readyState === WS_OPEN) ws.close(1000, 'client stop');
    else ws.terminate();
  }

  private clearTimers(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.authTimer) clearTimeout(this.authTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.reconnectTimer = this.authTimer = this.pingTimer = null;
  }

  private onClose(ws: WsClient, code: number, reason: string): void {
    if (ws !== this.ws) return;
    // Frames already received are still processed (the drain is scheduled) before the reconnect.
    this.ws = null;
    if (this.authTimer) clearTimeout(this.authTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.authTimer = this.pingTimer = null;
    const upMs = this.authed ? this.now() - this.authedAt : 0;
    this.authed = false;
    if (this.stopped || this.fatal) return;
    if (this.downSince === null) this.downSince = this.lastDataAt || this.now();
    this.backoff.connectionEnded(upMs);
    const delay = this.backoff.next();
    this.log('warn', 'polygon connection lost; reconnecting', { cluster: this.cluster, code, reason, delayMs: delay, attempt: this.backoff.attempts, alert: 'FEED_STALE' });
    this.setState('STALE', `connection closed (${code})`);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  private check(): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WS_OPEN) return;
    const now = this.now();
    if (now - this.lastFrameAt > this.o.pongTimeoutMs) {
      this.stats.deadConnections++;
      this.log('warn', 'polygon connection dead (no frame or pong)', { cluster: this.cluster, silentMs: now - this.lastFrameAt });
      ws.terminate();
      return;
    }
    const inSession = this.opts.inSession ? this.opts.inSession() : true;
    if (this.authed && this.o.idleTimeoutMs > 0 && this.topics.size > 0 && inSession && now - this.lastDataAt > this.o.idleTimeoutMs) {
      this.stats.idleTimeouts++;
      this.log('warn', 'polygon feed silent during the session; reconnecting', { cluster: this.cluster, silentMs: now - this.lastDataAt, alert: 'FEED_IDLE' });
      this.setState('STALE', 'idle timeout');
      ws.terminate();
    }
  }
}
