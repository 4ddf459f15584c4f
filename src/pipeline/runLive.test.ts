import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MarketEvent } from '../domain/events.js';
import { FakePolygonServer } from '../streams/polygon/fakePolygonServer.js';
import { FakeTradierServer } from '../sinks/oms/tradier/fakeTradierServer.js';
import { FIXTURE_DATE, FIXTURE_OPTION_MAX_AGE_MS, TEST_KEY, fixtureEvents, liveTestConfig, playLockstep, serveChains, sleep } from '../streams/polygon/liveTestKit.js';
import type { PolygonLiveFeed } from '../streams/polygon/polygonLiveFeed.js';
import { recordingEvents } from '../streams/recorder/recordingEvents.js';
import { buildPipeline, type PipelineEvent } from './buildPipeline.js';
import { replayPorts } from './environments.js';
import { replayDay } from './replayDay.js';
import { DecisionTally } from './decisionTally.js';
import { LiveStartRefused, runLive, type LiveRunResult } from './runLive.js';

let root = '';
let events: MarketEvent[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'dreambot-live-'));
  events = await fixtureEvents(join(root, 'fixture-storage'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const envFor = (fake: FakePolygonServer, key = TEST_KEY) => ({ env: { POLYGON_API_KEY: key, POLYGON_WS_URL: fake.wsUrl, POLYGON_REST_URL: fake.restUrl }, envFile: null });

/** A paper session over the whole fixture day played through the fake server (accelerated: no sleeping). */
async function paperSession(
  storage: string,
  script: (fake: FakePolygonServer, feed: PolygonLiveFeed) => Promise<void>,
  extra: { heartbeatMs?: number; quietMs?: number; mode?: 'paper' | 'sandbox'; env?: Record<string, string> } = {},
) {
  const fake = await FakePolygonServer.start({ apiKey: TEST_KEY });
  serveChains(fake, events);
  const config = liveTestConfig(storage, 'fixtures/data', undefined, { optionMaxAgeMs: FIXTURE_OPTION_MAX_AGE_MS });
  const lines: string[] = [];
  const ac = new AbortController();
  const outputs: PipelineEvent[] = [];
  let feed: PolygonLiveFeed | null = null;
  const run = runLive({
    config,
    mode: extra.mode ?? 'paper',
    env: { env: { ...envFor(fake).env, ...(extra.env ?? {}) }, envFile: null },
    logWrite: (l) => lines.push(l),
    signal: ac.signal,
    flushMs: 500,
    statsIntervalMs: 200,
    feed: { heartbeatMs: extra.heartbeatMs ?? 100, quietMs: extra.quietMs ?? 60_000, roller: { strikesEachSide: 8 }, socket: { inSession: () => false, backoffBaseMs: 20, backoffCapMs: 200 } },
    onStarted: (c) => {
      feed = c.feed;
    },
    onEvent: (e) => {
      if (e.type !== 'Features') outputs.push(e);
    },
  });
  try {
    await fake.until(() => feed !== null && fake.connections('stocks') === 1 && fake.connections('indices') === 1 && fake.subscribed('stocks').size > 0 && fake.subscribed('indices').size > 0, 10_000, 'stocks+indices subscriptions');
    await script(fake, feed!);
  } finally {
    ac.abort();
  }
  let result: LiveRunResult;
  try {
    result = await run;
  } finally {
    await fake.close();
  }
  return { result, lines, outputs, fake, config };
}

describe('dreambot live --mode paper against the fake Polygon server', () => {
  let session: Awaited<ReturnType<typeof paperSession>>;
  let sent = 0;
  beforeAll(async () => {
    session = await paperSession(join(root, 'paper'), async (fake, feed) => {
      sent = await playLockstep(fake, feed, events);
    });
  }, 120_000);

  it('produces intents, approved orders and simulated fills', () => {
    const { result } = session;
    process.stdout.write(`paper session: sent ${sent}, emitted ${result.feed.emitted}, signals ${result.tally.intents}, approved ${result.tally.approved}, denied ${JSON.stringify(result.tally.denied)}, fills ${result.tally.fills}, trades ${result.tally.trades}, restamped ${result.feed.restamped} (max ${result.feed.maxRestampMs} ms), parity ${result.parityHash.slice(0, 16)}\n`);
    expect(sent).toBeGreaterThan(50_000);
    expect(result.feed.emitted).toBeGreaterThan(50_000);
    expect(result.tally.intents).toBeGreaterThan(0);
    // Played in lockstep (the server holds the client's option subscriptions before each next chunk), so the
    // session's decisions depend on the data only: the fixture day's approvable entries are approved and filled.
    expect(result.tally.approved).toBeGreaterThan(0);
    expect(result.tally.fills).toBeGreaterThan(0);
    expect(result.feed.heartbeats).toBe(0);
    // The roller subscribed options for all four underlyings, via the listed strikes from the snapshots.
    expect(result.feed.clusters.options!.subscriptions).toBeGreaterThan(100);
    expect(session.fake.log.restRequests.every((r) => r.bearer)).toBe(true);
  });

  it('records the session in the Polygon flat-file layout', () => {
    const rec = join(root, 'paper', 'storage-unused');
    void rec;
    const dir = session.result.recordingsDir!;
    expect(session.result.recordingDate).toBe(FIXTURE_DATE);
    for (const d of ['us_stocks_sip/quotes_v1', 'us_stocks_sip/trades_v1', 'us_options_opra/quotes_v1', 'us_options_opra/trades_v1', 'us_indices/values_v1']) {
      expect(existsSync(join(dir, d, '2025', '03', `${FIXTURE_DATE}.csv.gz`)), d).toBe(true);
    }
    expect(readdirSync(join(dir, 'us_options_opra/quotes_v1/2025/03')).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('PARITY: `dreambot replay` of the recording gives exactly the live decisions (hash compare)', async () => {
    const { result, config } = session;
    const replayConfig = { ...config, paths: { ...config.paths, data: result.recordingsDir!, storage: join(root, 'parity-storage') } };
    const r = await replayDay(replayConfig, FIXTURE_DATE);
    expect(r.meta.dataQuality.dropped.reduce((a, d) => a + d.rows, 0)).toBe(0);
    expect(r.events).toBe(result.feed.emitted);
    expect(r.trading!.decisionsHash).toBe(result.decisionsHash);
    // …and the decision-only fingerprint through buildPipeline over the recording with its control file.
    const rec = await recordingEvents(replayConfig, FIXTURE_DATE);
    const tally = new DecisionTally();
    await new Promise<void>((resolve, reject) =>
      buildPipeline(replayPorts(replayConfig, rec.events$ as never), replayConfig).subscribe({ next: tally.onEvent, error: reject, complete: resolve }),
    );
    expect(tally.digest().parityHash).toBe(result.parityHash);
    expect(tally.approved).toBe(result.tally.approved);
    expect(tally.fills).toBe(result.tally.fills);
  });

  it('no key appears in any log line', () => {
    expect(session.lines.length).toBeGreaterThan(3);
    for (const l of session.lines) expect(l).not.toContain(TEST_KEY);
  });
});

describe('dreambot live --mode sandbox: the same session with orders sent to a (fake) Tradier sandbox', () => {
  const TOKEN = 'sbx-token-THIS-MUST-NOT-BE-LOGGED-42';
  let tradier: FakeTradierServer;
  let session: Awaited<ReturnType<typeof paperSession>>;
  let paper: Awaited<ReturnType<typeof paperSession>>;
  beforeAll(async () => {
    tradier = await FakeTradierServer.start({ token: TOKEN, accountId: 'VA12345678' });
    const tradierEnv = { TRADIER_API_URL: tradier.baseUrl, TRADIER_STREAM_URL: tradier.streamUrl, TRADIER_SANDBOX_TOKEN: TOKEN, TRADIER_SANDBOX_ACCOUNT_ID: 'VA12345678' };
    session = await paperSession(join(root, 'sandbox'), async (fake, feed) => void (await playLockstep(fake, feed, events)), { mode: 'sandbox', env: tradierEnv });
    paper = await paperSession(join(root, 'sandbox-paper'), async (fake, feed) => void (await playLockstep(fake, feed, events)));
  }, 180_000);
  afterAll(() => tradier?.close());

  it('each approved entry is POSTed once to Tradier as an OTOCO bracket on the chosen contract', () => {
    const posts = tradier.requests.filter((r) => r.method === 'POST' && /\/accounts\/VA12345678\/orders$/.test(r.path));
    expect(session.result.mode).toBe('sandbox');
    expect(session.result.tally.approved).toBeGreaterThan(0);
    const forms = posts.map((p) => new Map(p.form));
    const brackets = forms.filter((f) => f.get('class') === 'otoco');
    expect(brackets.length).toBe(session.result.tally.approved);
    for (const f of brackets) expect(f.get('option_symbol[0]')).toMatch(/^(SPXW?|NDXP?|SPY|QQQ)\d{6}[CP]\d{8}$/);
    // Anything else is a closing order (class=option); every POST carries its own tag: nothing was sent twice.
    for (const f of forms) expect(['otoco', 'option']).toContain(f.get('class'));
    expect(new Set(forms.map((f) => f.get('tag'))).size).toBe(posts.length);
    expect(posts.every((p) => p.status === 200)).toBe(true);
    // Same pipeline, same data: up to the first order the decisions are the paper session's (after it they part,
    // since the fake sandbox never fills on its own while the SimBroker does), so the first approval is identical.
    const firstApproval = (out: readonly PipelineEvent[]) => JSON.stringify(out.find((e) => e.type === 'OrderIntent'));
    expect(firstApproval(session.outputs)).toBe(firstApproval(paper.outputs));
    const decisionsBefore = (out: readonly PipelineEvent[]) => {
      const i = out.findIndex((e) => e.type === 'OrderIntent');
      return out.slice(0, i).filter((e) => e.type === 'SignalIntent' || e.type === 'OrderDenied' || e.type === 'GateDecision').map((e) => JSON.stringify(e));
    };
    expect(decisionsBefore(session.outputs)).toEqual(decisionsBefore(paper.outputs));
  });

  it('neither the Tradier token nor the Polygon key appears in any log line', () => {
    expect(session.lines.some((l) => l.includes('"brokerHost":"127.0.0.1"'))).toBe(true);
    for (const l of session.lines) {
      expect(l).not.toContain(TOKEN);
      expect(l).not.toContain(TEST_KEY);
    }
  });
});

describe('resilience in a paper session', () => {
  it('abrupt close → STALE (no entries), reconnect, resubscribe after auth_success, LIVE; the gap is marked', async () => {
    const half = Math.floor(events.length / 2);
    let reconnectedSubs = 0;
    let optionSubsBefore = 0;
    const s = await paperSession(join(root, 'drop'), async (fake, feed) => {
      await fake.play(events.slice(0, half), { perFrame: 25 });
      await fake.until(() => feed.stats().emitted > 0 && fake.subscribed('options').size > 0, 10_000, 'options');
      optionSubsBefore = fake.subscribed('options').size;
      const authsBefore = fake.log.auths;
      fake.drop();
      await fake.until(() => fake.log.auths >= authsBefore + 3 && fake.connections('options') === 1 && fake.subscribed('options').size === optionSubsBefore, 10_000, 'reconnect + resubscribe');
      reconnectedSubs = fake.subscribed('options').size;
      await sleep(50);
    });
    const states = s.outputs.filter((e) => e.type === 'FeedState').map((e) => `${(e as { cluster: string }).cluster}:${(e as { state: string }).state}`);
    expect(states).toEqual(expect.arrayContaining(['options:STALE', 'options:RECOVERING', 'options:LIVE', 'stocks:STALE', 'indices:STALE']));
    expect(reconnectedSubs).toBe(optionSubsBefore);
    // Every subscribe after a reconnect came after that connection's auth_success (the server answers auth_required otherwise).
    expect(s.lines.some((l) => l.includes('auth_required'))).toBe(false);
    expect(s.result.feed.gaps).toBeGreaterThan(0);
    expect(s.lines.some((l) => l.includes('"alert":"FEED_STALE"'))).toBe(true);
    for (const l of s.lines) expect(l).not.toContain(TEST_KEY);
  }, 60_000);

  it('no entries while STALE: the options feed down (reconnects refused) → no approved entry until it is LIVE again', async () => {
    const third = Math.floor(events.length / 3);
    const s = await paperSession(join(root, 'stale'), async (fake, feed) => {
      await fake.play(events.slice(0, third), { perFrame: 25 });
      await fake.until(() => fake.subscribed('options').size > 0, 10_000, 'options');
      fake.faults.refuse = ['options'];
      fake.drop('options');
      await fake.until(() => feed.sockets.get('options')!.feedState === 'STALE' || feed.sockets.get('options')!.feedState === 'RECOVERING', 5000, 'options STALE');
      const r = await fake.play(events.slice(third), { perFrame: 25 });
      expect(r.sent).toBeGreaterThan(1000);
      await sleep(100);
    });
    let stale = false;
    let staleSeen = false;
    let approvedWhileStale = 0;
    let signalsWhileStale = 0;
    let marketWhileStale = 0;
    for (const e of s.outputs) {
      if (e.type === 'FeedState' && e.cluster === 'options') {
        stale = e.state !== 'LIVE';
        staleSeen ||= stale;
      }
      if (stale && e.type === 'OrderIntent') approvedWhileStale++;
      if (stale && e.type === 'SignalIntent') signalsWhileStale++;
      if (stale && (e.type === 'Quote' || e.type === 'IndexValue')) marketWhileStale++;
    }
    expect(staleSeen).toBe(true);
    expect(marketWhileStale).toBeGreaterThan(1000);
    expect(approvedWhileStale).toBe(0);
    // Not vacuous: playbooks kept signalling while the options feed was down; every one was blocked.
    expect(signalsWhileStale).toBeGreaterThan(0);
  }, 60_000);

  it('auth_failed → the session ends with a clear message and no retry loop', async () => {
    const fake = await FakePolygonServer.start({ apiKey: TEST_KEY });
    const lines: string[] = [];
    try {
      const config = liveTestConfig(join(root, 'authfail'));
      await expect(
        runLive({ config, mode: 'paper', env: envFor(fake, 'pk_WRONG_key_0123456789abcdef'), logWrite: (l) => lines.push(l), durationMs: 5_000, feed: { heartbeatMs: 0, socket: { backoffBaseMs: 10 } } }),
      ).rejects.toThrow(/authentication failed.*POLYGON_API_KEY.*Not retrying/);
      await sleep(200);
      // One auth per cluster, never again.
      expect(fake.log.auths).toBeLessThanOrEqual(3);
      const before = fake.log.auths;
      await sleep(300);
      expect(fake.log.auths).toBe(before);
      expect(lines.some((l) => l.includes('"alert":"AUTH_FAILED"'))).toBe(true);
      for (const l of lines) expect(l).not.toContain('pk_WRONG_key_0123456789abcdef');
      // The lock is released: a new session may start.
      expect(existsSync(join(root, 'authfail', 'polygon.lock'))).toBe(false);
    } finally {
      await fake.close();
    }
  });

  it('a second instance cannot start while the first holds the lock', async () => {
    const fake = await FakePolygonServer.start({ apiKey: TEST_KEY });
    try {
      const storage = join(root, 'lock');
      const config = liveTestConfig(storage);
      const ac = new AbortController();
      const first = runLive({ config, mode: 'paper', env: envFor(fake), logWrite: () => {}, signal: ac.signal, feed: { heartbeatMs: 0 } });
      await fake.until(() => fake.connections('stocks') === 1, 5000, 'first instance');
      // Simulate another live process holding the lock (our own parent pid is alive and not us).
      const lockPath = join(storage, 'polygon.lock');
      const mine = readFileSync(lockPath, 'utf8');
      writeFileSync(lockPath, `${process.ppid}\n`);
      await expect(runLive({ config, mode: 'paper', env: envFor(fake), logWrite: () => {}, durationMs: 100 })).rejects.toThrow(/another DreamBot instance .*\(max_connections\)/);
      expect(fake.connections('stocks')).toBe(1);
      writeFileSync(lockPath, mine);
      ac.abort();
      await first;
    } finally {
      await fake.close();
    }
  });
});

describe('mode and confirmation guards', () => {
  const config = () => liveTestConfig(join(root, 'guards'));
  const liveEnv = (extra: Record<string, string> = {}) => ({
    env: {
      POLYGON_API_KEY: TEST_KEY,
      TRADIER_LIVE_TOKEN: 'LIVE_TOKEN_SECRET_123456',
      TRADIER_LIVE_ACCOUNT_ID: '6YA00001',
      TRADIER_SANDBOX_TOKEN: 'SANDBOX_TOKEN_SECRET_1234',
      TRADIER_SANDBOX_ACCOUNT_ID: 'VA12345678',
      ...extra,
    },
    envFile: null,
  });

  it('live without --confirm-account refuses to start', async () => {
    await expect(runLive({ config: config(), mode: 'live', env: liveEnv(), logWrite: () => {} })).rejects.toThrow(LiveStartRefused);
    await expect(runLive({ config: config(), mode: 'live', env: liveEnv(), logWrite: () => {} })).rejects.toThrow(/--confirm-account/);
  });

  it('live with a confirmation naming another account refuses', async () => {
    await expect(runLive({ config: config(), mode: 'live', confirmAccount: '6YA99999', env: liveEnv(), logWrite: () => {} })).rejects.toThrow(/does not match/);
  });

  it('live pointed at the sandbox host refuses; sandbox pointed at production refuses', async () => {
    await expect(
      runLive({ config: config(), mode: 'live', confirmAccount: '6YA00001', env: liveEnv({ TRADIER_API_URL: 'https://sandbox.tradier.com/v1' }), logWrite: () => {} }),
    ).rejects.toThrow(/must use Tradier production/);
    await expect(
      runLive({ config: config(), mode: 'sandbox', env: liveEnv({ TRADIER_API_URL: 'https://api.tradier.com/v1' }), logWrite: () => {} }),
    ).rejects.toThrow(/PRODUCTION/);
  });

  it('--mode disagreeing with the configured mode refuses', async () => {
    const c = { ...config(), mode: 'sandbox' as const };
    await expect(runLive({ config: c, mode: 'paper', env: liveEnv(), logWrite: () => {} })).rejects.toThrow(/mode disagreement/);
  });
});
