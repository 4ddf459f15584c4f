import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MarketEvent } from '../../domain/events.js';
import { FakePolygonServer } from './fakePolygonServer.js';
import { TEST_KEY, sleep } from './liveTestKit.js';
import { PolygonSocket, SubscriptionLimitError, type FeedStateName, type PolygonFatalError, type PolygonSocketOptions } from './polygonSocket.js';

let fake: FakePolygonServer;
const sockets: PolygonSocket[] = [];
beforeEach(async () => {
  fake = await FakePolygonServer.start({ apiKey: TEST_KEY });
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.stop();
  await fake.close();
});

function open(cluster: 'stocks' | 'options' | 'indices', extra: Partial<PolygonSocketOptions> = {}, key = TEST_KEY) {
  const got: MarketEvent[] = [];
  const states: FeedStateName[] = [];
  const fatal: PolygonFatalError[] = [];
  const logs: string[] = [];
  const s = new PolygonSocket({
    cluster,
    baseUrl: fake.wsUrl,
    apiKey: key,
    random: () => 0.5,
    backoffBaseMs: 10,
    backoffCapMs: 50,
    onEvents: (evs) => {
      for (let i = 0; i < evs.length; i++) got.push({ ...evs.at(i) });
    },
    onFeedState: (st) => states.push(st),
    onFatal: (e) => fatal.push(e),
    log: (level, msg, fields) => logs.push(`${level} ${msg} ${JSON.stringify(fields ?? {})}`),
    ...extra,
  });
  sockets.push(s);
  return { s, got, states, fatal, logs };
}

const quote = (sym: string, t: number, bp = 1, ap = 1.1): MarketEvent => ({ type: 'Quote', ts: t, symbol: sym, bid: bp, bidSize: 1, ask: ap, askSize: 1, bidExchange: 1, askExchange: 2, seq: t });

describe('PolygonSocket against the fake server', () => {
  it('connects, authenticates, subscribes after auth_success and receives data frames', async () => {
    const { s, got } = open('stocks');
    s.subscribe(['Q.SPY', 'T.SPY']);
    s.start();
    await fake.until(() => fake.subscribed('stocks').has('Q.SPY'), 3000, 'subscription');
    expect(fake.log.subscribeMessages[0]).toEqual({ cluster: 'stocks', action: 'subscribe', params: 'Q.SPY,T.SPY' });
    await fake.play([quote('SPY', 1000), quote('QQQ', 1001), quote('SPY', 1002)]);
    await fake.until(() => got.length === 2, 3000, 'events');
    expect(got.map((e) => e.ts)).toEqual([1000, 1002]);
    expect(got[0]).toMatchObject({ type: 'Quote', symbol: 'SPY', bid: 1, ask: 1.1 });
    expect((got[0] as { tsRecv?: number }).tsRecv).toBeGreaterThan(0);
  });

  it('malformed frames and elements are counted and dropped while the stream lives', async () => {
    const { s, got } = open('stocks');
    s.subscribe(['Q.SPY']);
    s.start();
    await fake.until(() => fake.subscribed('stocks').has('Q.SPY'), 3000, 'subscription');
    fake.sendRaw('stocks', 'not json at all');
    fake.sendRaw('stocks', '{"ev":"Q"}');
    fake.sendRaw('stocks', '[{"ev":"Q","sym":"SPY","bp":"x"}, {"ev":"ZZ","sym":"SPY"}, 42]');
    await fake.play([quote('SPY', 5000)]);
    await fake.until(() => got.length === 1, 3000, 'good event');
    expect(s.stats.malformedFrames).toBe(2);
    expect(s.stats.malformedEvents).toBe(2);
    expect(s.stats.unknownEvents).toBe(1);
    expect(s.isAuthenticated).toBe(true);
  });

  it('refuses the 1,001st option contract before sending anything', async () => {
    const { s } = open('options');
    s.start();
    await fake.until(() => fake.connections('options') === 1, 3000, 'connection');
    const contracts = Array.from({ length: 1000 }, (_, i) => `O:SPY250321C${String(400_000 + i * 1000).padStart(8, '0')}`);
    s.subscribe(contracts.flatMap((c) => [`Q.${c}`, `T.${c}`]));
    expect(s.optionContracts()).toBe(1000);
    await fake.until(() => fake.subscribed('options').size === 2000, 3000, '1000 contracts');
    const sentBefore = fake.log.subscribeMessages.length;
    expect(() => s.subscribe(['Q.O:SPY250321P00400000'])).toThrow(SubscriptionLimitError);
    expect(() => s.subscribe(['Q.O:SPY250321P00400000'])).toThrow(/1001 option contracts.*1000 per connection\); nothing was sent/);
    await sleep(50);
    expect(fake.log.subscribeMessages.length).toBe(sentBefore);
    expect(s.subscriptions.size).toBe(2000);
    // Unsubscribe first, then the new one fits.
    s.unsubscribe([`Q.${contracts[0]}`, `T.${contracts[0]}`]);
    s.subscribe(['Q.O:SPY250321P00400000']);
    expect(s.optionContracts()).toBe(1000);
  });

  it('abrupt close → STALE, RECOVERING, re-auth, the whole topic set resubscribed after auth_success, LIVE', async () => {
    const { s, states } = open('stocks');
    s.subscribe(['Q.SPY', 'T.SPY', 'AM.SPY']);
    s.start();
    await fake.until(() => fake.subscribed('stocks').size === 3, 3000, 'subscription');
    fake.drop('stocks');
    await fake.until(() => fake.log.auths === 2 && fake.subscribed('stocks').size === 3, 10_000, 'resubscribe');
    expect(states).toEqual(['STALE', 'RECOVERING', 'LIVE']);
    expect(s.stats.reconnects).toBe(1);
    const subs = fake.log.subscribeMessages.filter((m) => m.action === 'subscribe');
    expect(subs.map((m) => m.params)).toEqual(['Q.SPY,T.SPY,AM.SPY', 'Q.SPY,T.SPY,AM.SPY']);
  });

  it('auth_failed is fatal: one attempt, a clear message, no reconnect', async () => {
    const { s, fatal, states } = open('stocks', {}, 'pk_bad_key_that_is_long_enough');
    s.start();
    await fake.until(() => fatal.length === 1, 3000, 'fatal');
    expect(fatal[0]!.message).toMatch(/Polygon stocks: authentication failed .*POLYGON_API_KEY.*Not retrying/);
    expect(fatal[0]!.message).not.toContain('pk_bad_key');
    await sleep(150);
    expect(fake.log.auths).toBe(1);
    expect(fake.log.connections.stocks).toBe(1);
    expect(states).toEqual(['STALE']);
  });

  it('max_connections is fatal with a message naming the cause; no retry', async () => {
    fake.faults.maxConnections = true;
    const { s, fatal } = open('indices');
    s.start();
    await fake.until(() => fatal.length === 1, 3000, 'fatal');
    expect(fatal[0]!.status).toBe('max_connections');
    expect(fatal[0]!.message).toMatch(/another client is using this account's indices feed/);
    await sleep(150);
    expect(fake.log.connections.indices).toBe(1);
  });

  it('a silent feed during the session (idle timeout) → STALE and a reconnect; outside the session nothing happens', async () => {
    let inSession = false;
    const { s, states } = open('indices', { idleTimeoutMs: 120, inSession: () => inSession });
    s.subscribe(['V.I:SPX']);
    s.start();
    await fake.until(() => fake.subscribed('indices').size === 1, 3000, 'subscription');
    await sleep(300);
    expect(s.stats.idleTimeouts).toBe(0);
    inSession = true;
    await fake.until(() => s.stats.idleTimeouts >= 1 && fake.log.auths >= 2 && states.includes('LIVE'), 10_000, 'idle reconnect');
    expect(states.slice(0, 2)).toEqual(['STALE', 'RECOVERING']);
    expect(states).toContain('LIVE');
  });

  it('liveness: no frame and no pong for pongTimeoutMs → the connection is declared dead and replaced', async () => {
    const { s } = open('stocks', { pingIntervalMs: 10_000, pongTimeoutMs: 100, idleTimeoutMs: 0 });
    s.start();
    await fake.until(() => s.stats.deadConnections >= 1 && fake.log.auths >= 2, 10_000, 'dead connection replaced');
  });

  it('a burst is taken off the socket at once and parsed in one drain', async () => {
    const { s, got } = open('stocks');
    s.subscribe(['Q.SPY']);
    s.start();
    await fake.until(() => fake.subscribed('stocks').size === 1, 3000, 'subscription');
    const burst = Array.from({ length: 20_000 }, (_, i) => quote('SPY', 10_000 + i));
    await fake.play(burst, { perFrame: 50, yieldEvery: 1_000_000 });
    await fake.until(() => got.length === 20_000, 5000, 'burst');
    expect(s.stats.queuedFramesMax).toBeGreaterThan(1);
    expect(s.stats.lagMaxMs).toBeGreaterThan(0);
  });
});
