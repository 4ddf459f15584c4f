/**
 * runLive: one paper | sandbox | live session — the identical buildPipeline as replay, with the Polygon live feed
 * as the source (and, in sandbox and live, the Tradier broker).
 *
 * Start-up, in this order (each step refuses with a one-line reason; nothing is connected before all pass):
 *   1. mode checks: `--mode` must agree with the configured mode (config / DREAMBOT_MODE) when one is set; live
 *      needs `--confirm-account` BEFORE any credential is read;
 *   2. environment for that mode only (`loadLiveEnv`: the live token is read in live mode and nowhere else);
 *   3. host checks: live must talk to Tradier production and its account must equal `--confirm-account`;
 *      sandbox must not talk to production; a sandbox-looking account (VA…) refuses live;
 *   4. the single-instance lock `storage/polygon.lock` (a second process would kick this one off Polygon);
 *   5. crash recovery of earlier recordings, then the flight recorder under `storage/recordings`;
 *   6. ports (paper: SimBroker; sandbox/live: TradierBroker + journal reconciliation), then the pipeline.
 *
 * Logs: pino JSON lines through a redacting writer (every secret read in step 2, in any form, becomes
 * `[REDACTED]`) to `storage/logs/live-<date>.log` (or `logWrite`). Alert lines carry an `alert` field (see
 * ops/runbook.md): FEED_STALE, FEED_RECOVERING, FEED_LIVE, FEED_IDLE, FEED_GAP, AUTH_FAILED, MAX_CONNECTIONS,
 * SUBSCRIPTION_LIMIT, MALFORMED_FRAMES, LAG_HIGH, RECONCILE_HALT, KILL_SWITCH, TRADING_STATE, RECORDER_ERROR.
 *
 * The session ends on `signal` abort, after `durationMs`, or on a fatal feed error (auth_failed,
 * max_connections), which rejects with that error's message; the recorder is flushed and renamed into place and
 * the lock released in every case.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import type { Config } from '../domain/configSchema.js';
import { loadLiveEnv, redactor, type LiveEnv, type LiveMode, type LoadEnvOptions } from '../domain/env.js';
import { isTradingDay, sessionFor } from '../domain/calendar.js';
import { toNy } from '../domain/time.js';
import { acquireInstanceLock } from '../streams/polygon/instanceLock.js';
import { PolygonLiveFeed, type LiveFeedStats, type PolygonLiveFeedOptions } from '../streams/polygon/polygonLiveFeed.js';
import { PolygonRest } from '../streams/polygon/polygonRest.js';
import { FlightRecorder, recoverRecordings, type RecorderStats } from '../streams/recorder/flightRecorder.js';
import { buildPipeline, type PipelineEvent } from './buildPipeline.js';
import { DecisionTally } from './decisionTally.js';
import { paperPorts, tradierPorts, type LivePorts } from './environments.js';

export class LiveStartRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LiveStartRefused';
  }
}

const PROD_TRADIER_HOSTS = new Set(['api.tradier.com', 'ws.tradier.com', 'stream.tradier.com']);

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

/** Steps 1–3 of the start-up. Throws LiveStartRefused; returns the mode's environment. */
export function checkLiveStart(args: {
  readonly mode: string;
  readonly configMode: Config['mode'];
  readonly confirmAccount?: string | undefined;
  readonly env?: LoadEnvOptions;
}): LiveEnv {
  const mode = args.mode;
  if (mode !== 'paper' && mode !== 'sandbox' && mode !== 'live') throw new LiveStartRefused(`unknown mode ${JSON.stringify(mode)}: use paper, sandbox or live`);
  if (args.configMode !== 'replay' && args.configMode !== mode) {
    throw new LiveStartRefused(`mode disagreement: --mode ${mode} but the configuration (config file or DREAMBOT_MODE) says ${args.configMode}; make them agree`);
  }
  if (mode === 'live' && (args.confirmAccount === undefined || args.confirmAccount.trim() === '')) {
    throw new LiveStartRefused('live trading needs --mode live AND --confirm-account <your Tradier account id>; refusing to start');
  }
  const env = loadLiveEnv(mode, args.env);
  if (mode === 'live') {
    const t = env.tradier!;
    if (args.confirmAccount!.trim() !== t.accountId) {
      throw new LiveStartRefused('--confirm-account does not match TRADIER_LIVE_ACCOUNT_ID; refusing to start');
    }
    if (!PROD_TRADIER_HOSTS.has(hostOf(t.apiUrl))) {
      throw new LiveStartRefused(`live mode must use Tradier production (api.tradier.com), but TRADIER_API_URL points at ${hostOf(t.apiUrl) || 'an invalid URL'}; refusing to start`);
    }
    if (!PROD_TRADIER_HOSTS.has(hostOf(t.streamUrl))) {
      throw new LiveStartRefused(`live mode must use the production account stream (ws.tradier.com), but TRADIER_STREAM_URL points at ${hostOf(t.streamUrl) || 'an invalid URL'}; refusing to start`);
    }
    if (/^VA\d+$/i.test(t.accountId)) throw new LiveStartRefused('TRADIER_LIVE_ACCOUNT_ID looks like a sandbox account (VA…); refusing to start live');
  }
  if (mode === 'sandbox') {
    const t = env.tradier!;
    if (PROD_TRADIER_HOSTS.has(hostOf(t.apiUrl)) || PROD_TRADIER_HOSTS.has(hostOf(t.streamUrl))) {
      throw new LiveStartRefused('sandbox mode points at Tradier PRODUCTION (TRADIER_API_URL / TRADIER_STREAM_URL); refusing to start — use --mode live for production');
    }
  }
  return env;
}

export interface RunLiveOptions {
  readonly config: Config;
  readonly mode: LiveMode | string;
  readonly confirmAccount?: string | undefined;
  readonly env?: LoadEnvOptions;
  /** Where log lines go (already redacted); default storage/logs/live-<date>.log. */
  readonly logWrite?: (line: string) => void;
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error';
  readonly signal?: AbortSignal;
  readonly durationMs?: number;
  /** Record to storage/recordings (default true). */
  readonly record?: boolean;
  readonly recordingsDir?: string;
  readonly feed?: Partial<Pick<PolygonLiveFeedOptions, 'heartbeatMs' | 'quietMs' | 'roller' | 'socket' | 'onFrameStart' | 'onFrameDone'>>;
  /** Recorder flush interval (default 2000 ms). */
  readonly flushMs?: number;
  readonly onEvent?: (e: PipelineEvent) => void;
  /** Called once the feed is constructed (tests and the TUI reach the sockets/stats through it). */
  readonly onStarted?: (ctx: { feed: PolygonLiveFeed; ports: LivePorts; log: Logger }) => void;
  readonly statsIntervalMs?: number;
  readonly now?: () => number;
}

export interface LiveRunResult {
  readonly mode: LiveMode;
  readonly ended: 'stopped' | 'duration';
  readonly tally: DecisionTally;
  readonly decisionsHash: string;
  readonly parityHash: string;
  readonly feed: LiveFeedStats;
  readonly recorder: RecorderStats | null;
  readonly recordingDate: string | null;
  readonly recordingsDir: string | null;
  readonly reconcileHalt: string | null;
}

export function liveLogger(write: (line: string) => void, secrets: readonly string[], level: RunLiveOptions['logLevel'] = 'info'): Logger {
  const redact = redactor(secrets);
  return pino(
    {
      level,
      base: null,
      redact: { paths: ['apiKey', 'token', 'authorization', 'headers.authorization', '*.apiKey', '*.token'], censor: '[REDACTED]' },
    },
    { write: (s: string) => write(redact(s)) },
  );
}

export async function runLive(opts: RunLiveOptions): Promise<LiveRunResult> {
  const { config } = opts;
  const now = opts.now ?? Date.now;
  const env = checkLiveStart({ mode: opts.mode, configMode: config.mode, confirmAccount: opts.confirmAccount, env: opts.env });
  const mode = env.mode;
  let write = opts.logWrite;
  if (!write) {
    const dir = join(config.paths.storage, 'logs');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `live-${toNy(now()).date}.log`);
    write = (line) => appendFileSync(file, line);
  }
  const log = liveLogger(write, env.secrets, opts.logLevel);
  const socketLog = (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: Readonly<Record<string, unknown>>) => log[level]({ ...(fields ?? {}) }, msg);

  const lock = acquireInstanceLock(join(config.paths.storage, 'polygon.lock'));
  if (lock.tookOverPid !== null) log.warn({ pid: lock.tookOverPid }, 'took over a stale instance lock (previous run crashed?)');
  let recorder: FlightRecorder | null = null;
  let ports: LivePorts | null = null;
  const statsTimers: NodeJS.Timeout[] = [];
  try {
    const recordingsDir = opts.recordingsDir ?? join(config.paths.storage, 'recordings');
    if (opts.record !== false) {
      const recovered = recoverRecordings(recordingsDir);
      if (recovered.length) log.warn({ files: recovered.length }, 'recovered recordings left by a crash');
      recorder = new FlightRecorder(recordingsDir, {
        flushMs: opts.flushMs ?? 2000,
        onError: (e) => log.error({ error: e.message, alert: 'RECORDER_ERROR' }, 'flight recorder write failed'),
      });
    }
    const rest = new PolygonRest({ baseUrl: env.polygon.restUrl, apiKey: env.polygon.apiKey, now });
    const inSession = () => {
      const ny = toNy(now());
      if (!isTradingDay(ny.date)) return false;
      const s = sessionFor(ny.date);
      const t = now();
      return s !== null && t >= s.open && t < s.close;
    };
    const feed = new PolygonLiveFeed({
      apiKey: env.polygon.apiKey,
      wsUrl: env.polygon.wsUrl,
      rest,
      underlyings: config.replay.symbols,
      seed: config.seed,
      minuteBars: config.replay.minuteAggs,
      recorder,
      log: socketLog,
      now,
      ...(opts.feed ?? {}),
      socket: { inSession, ...(opts.feed?.socket ?? {}) },
    });
    const tradierLog = (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: Readonly<Record<string, unknown>>) => log[level]({ broker: 'tradier', ...(fields ?? {}) }, msg);
    const eventClock = () => (feed.sequencer.started ? feed.sequencer.lastTs : now());
    ports = mode === 'paper' ? paperPorts(config, feed.events$) : await tradierPorts(config, feed.events$, env.tradier!, mode, { eventClock, log: tradierLog, now });
    if (ports.calendarProblem) log.warn({ problem: ports.calendarProblem, alert: 'CALENDAR_MISSING' }, 'economic calendar missing: entries stay blocked');
    const halt = ports.reconciliation?.haltEntries ?? null;
    if (halt) log.error({ reasons: ports.reconciliation!.reasons, alert: 'RECONCILE_HALT' }, 'reconciliation halts new entries (exits still work); see ops/runbook.md');
    log.info({ mode, symbols: config.replay.symbols.join(','), wsHost: hostOf(env.polygon.wsUrl), restHost: hostOf(env.polygon.restUrl), ...(env.tradier ? { brokerHost: hostOf(env.tradier.apiUrl) } : {}) }, 'live session starting');
    opts.onStarted?.({ feed, ports, log });

    const tally = new DecisionTally();
    let lastMalformed = 0;
    statsTimers.push(
      setInterval(() => {
        const st = feed.stats();
        let malformed = 0;
        let lagMax = 0;
        for (const c of Object.values(st.clusters)) {
          malformed += c.malformedFrames + c.malformedEvents;
          lagMax = Math.max(lagMax, c.lagEwmaMs);
        }
        if (malformed > lastMalformed) log.warn({ malformed, alert: 'MALFORMED_FRAMES' }, 'malformed frames or events dropped');
        lastMalformed = malformed;
        if (lagMax > 2000) log.warn({ lagEwmaMs: lagMax, alert: 'LAG_HIGH' }, 'feed lag above 2 s');
        log.info({ feed: st, recorder: recorder?.stats ?? null, intents: tally.intents, approved: tally.approved, fills: tally.fills }, 'stats');
      }, opts.statsIntervalMs ?? 30_000),
    );

    const ended = await new Promise<'stopped' | 'duration'>((resolve, reject) => {
      let done = false;
      const finish = (how: 'stopped' | 'duration') => {
        if (done) return;
        done = true;
        sub.unsubscribe();
        resolve(how);
      };
      const sub = buildPipeline(ports!, config).subscribe({
        next: (e) => {
          tally.onEvent(e);
          switch (e.type) {
            case 'TradingStateChanged':
              log.warn({ from: e.from, to: e.to, reason: e.reason, alert: 'TRADING_STATE' }, 'trading state changed');
              break;
            case 'KillSwitch':
              log.error({ source: e.source, reason: e.reason, alert: 'KILL_SWITCH' }, 'kill switch tripped');
              break;
            default:
              break;
          }
          opts.onEvent?.(e);
        },
        error: (err: unknown) => {
          done = true;
          reject(err);
        },
        complete: () => finish('stopped'),
      });
      if (opts.durationMs !== undefined) statsTimers.push(setTimeout(() => finish('duration'), opts.durationMs));
      if (opts.signal) {
        if (opts.signal.aborted) finish('stopped');
        else opts.signal.addEventListener('abort', () => finish('stopped'), { once: true });
      }
    });
    const recordingDate = recorder?.currentDate ?? null;
    await recorder?.close();
    const { decisionsHash, parityHash } = tally.digest();
    const feedStats = feed.stats();
    log.info({ ended, feed: feedStats, recorder: recorder?.stats ?? null, decisionsHash, parityHash }, 'live session ended');
    return {
      mode,
      ended,
      tally,
      decisionsHash,
      parityHash,
      feed: feedStats,
      recorder: recorder?.stats ?? null,
      recordingDate,
      recordingsDir: recorder ? recordingsDir : null,
      reconcileHalt: halt,
    };
  } catch (e) {
    log.error({ error: (e as Error).message }, 'live session failed');
    throw e;
  } finally {
    for (const t of statsTimers) clearTimeout(t);
    await recorder?.close().catch(() => undefined);
    ports?.close();
    lock.release();
  }
}
