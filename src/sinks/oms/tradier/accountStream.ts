/**
 * AccountStream: Tradier's account (order) event websocket (specs/tradier.md §7.2), the fast path for fills.
 *
 * Cycle: create a session (`POST /v1/accounts/events/session`, via the injected `openSession`), connect to its
 * url (or the configured override), send `{"events":["order"],"sessionid":…,"excludeAccounts":[]}`, then hand each
 * validated order event to `onEvent`. Any frame resets a heartbeat watchdog (Tradier heartbeats ~every 60 s); a
 * silent socket, a close or an error means reconnect with a *fresh* session after a backoff, and `onConnected`
 * fires on every (re)connect so the owner re-polls REST (events during a gap are not replayed). Unparseable
 * frames are counted and dropped: the REST poll stays the authority.
 *
 * State: the socket, timers, backoff. Time: wall-clock timers (edge component).
 */
import WebSocket from 'ws';
import { accountEventSchema, type AccountEvent } from './tradierWire.js';

export interface AccountStreamOptions {
  readonly openSession: () => Promise<{ readonly url: string | undefined; readonly sessionid: string }>;
  /** Overrides the url returned by the session call (TRADIER_STREAM_URL). */
  readonly url?: string | undefined;
  readonly heartbeatTimeoutMs: number;
  readonly reconnectDelayMs: number;
  readonly onEvent: (ev: Extract<AccountEvent, { event: 'order' }>) => void;
  readonly onConnected: () => void;
  /** Problems worth a log line (already free of secrets). Returning false stops the stream for good. */
  readonly onProblem: (msg: string, err?: unknown) => boolean;
}

export class AccountStream {
  private ws: WebSocket | null = null;
  private running = false;
  private watchdog: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  badFrames = 0;

  constructor(private readonly opts: AccountStreamOptions) {}

  get connected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.connect();
  }

  stop(): void {
    this.running = false;
    if (this.watchdog) clearTimeout(this.watchdog);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.watchdog = null;
    this.retryTimer = null;
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.terminate();
    }
  }

  private scheduleReconnect(): void {
    if (!this.running || this.retryTimer) return;
    const delay = Math.min(30_000, this.opts.reconnectDelayMs * 2 ** Math.min(this.failures, 6));
    this.failures += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, delay);
  }

  private armWatchdog(ws: WebSocket): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => {
      if (this.ws !== ws) return;
      this.opts.onProblem(`account stream silent for ${this.opts.heartbeatTimeoutMs} ms; reconnecting`);
      ws.terminate();
    }, this.opts.heartbeatTimeoutMs);
  }

  private async connect(): Promise<void> {
    if (!this.running) return;
    let session: { url: string | undefined; sessionid: string };
    try {
      session = await this.opts.openSession();
    } catch (err) {
      if (this.opts.onProblem('account stream session failed', err)) this.scheduleReconnect();
      else this.running = false;
      return;
    }
    if (!this.running) return;
    const url = this.opts.url ?? session.url;
    if (!url) {
      this.opts.onProblem('account stream session returned no url and none is configured; stream disabled');
      this.running = false;
      return;
    }
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.on('open', () => {
      ws.send(JSON.stringify({ events: ['order'], sessionid: session.sessionid, excludeAccounts: [] }));
      this.failures = 0;
      this.armWatchdog(ws);
      this.opts.onConnected();
    });
    ws.on('message', (data) => {
      this.armWatchdog(ws);
      let parsed: unknown;
      try {
        parsed = JSON.parse(String(data));
      } catch {
        this.badFrames += 1;
        return;
      }
      const r = accountEventSchema.safeParse(parsed);
      if (!r.success) {
        this.badFrames += 1;
        return;
      }
      if (r.data.event === 'order') this.opts.onEvent(r.data);
    });
    ws.on('error', (err) => {
      this.opts.onProblem('account stream socket error', err);
    });
    ws.on('close', () => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.watchdog) clearTimeout(this.watchdog);
      this.scheduleReconnect();
    });
  }
}
