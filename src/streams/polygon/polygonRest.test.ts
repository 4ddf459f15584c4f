import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakePolygonServer } from './fakePolygonServer.js';
import { TEST_KEY } from './liveTestKit.js';
import { PolygonRest, PolygonRestError } from './polygonRest.js';

let fake: FakePolygonServer;
beforeAll(async () => {
  fake = await FakePolygonServer.start({ apiKey: TEST_KEY });
  const tickers: string[] = [];
  for (let k = 5600; k <= 5800; k += 5) for (const r of ['C', 'P']) tickers.push(`O:SPXW250310${r}0${k}000`);
  fake.setChain('I:SPX', { price: 5701.5, tickers });
  fake.setMinuteAggs('SPY', [{ o: 1, h: 2, l: 1, c: 2, v: 10, t: 60_000 }, { o: 2, h: 3, l: 2, c: 3, v: 11, t: 120_000 }]);
});
afterAll(() => fake.close());

describe('PolygonRest', () => {
  it('chain snapshot of I:SPX follows next_url with the Bearer header, filters by strike and expiry', async () => {
    const rest = new PolygonRest({ baseUrl: fake.restUrl, apiKey: TEST_KEY, minIntervalMs: 0 });
    const snap = await rest.chainSnapshot('SPX', { expirationDate: '2025-03-10', strikeGte: 5650, strikeLte: 5750, limit: 7 });
    expect(snap.underlying).toBe('I:SPX');
    expect(snap.underlyingPrice).toBe(5701.5);
    expect(snap.contracts).toHaveLength(21 * 2);
    expect(snap.contracts[0]!.delta).toBeNull();
    expect(rest.stats.pages).toBe(6);
    expect(fake.log.restRequests.every((r) => r.bearer && decodeURIComponent(r.path) === '/v3/snapshot/options/I:SPX')).toBe(true);
  });

  it('429 is retried with backoff; a bad key is not retried and the key never appears in the error', async () => {
    fake.faults.throttle = 2;
    const rest = new PolygonRest({ baseUrl: fake.restUrl, apiKey: TEST_KEY, minIntervalMs: 0, retryBaseMs: 1 });
    expect(await rest.minuteAggs('SPY', 0, 200_000)).toHaveLength(2);
    expect(rest.stats.throttled).toBe(2);
    const bad = new PolygonRest({ baseUrl: fake.restUrl, apiKey: 'wrong_key_123456789', minIntervalMs: 0, retryBaseMs: 1 });
    const err = await bad.minuteAggs('SPY', 0, 1).catch((e: unknown) => e as PolygonRestError);
    expect(err).toBeInstanceOf(PolygonRestError);
    expect((err as PolygonRestError).status).toBe(401);
    expect((err as Error).message).not.toContain('wrong_key');
    expect(bad.stats.requests).toBe(1);
  });

  it('requests are spaced by the rate limit', async () => {
    const rest = new PolygonRest({ baseUrl: fake.restUrl, apiKey: TEST_KEY, minIntervalMs: 40 });
    const t0 = Date.now();
    await Promise.all([rest.minuteAggs('SPY', 0, 1), rest.minuteAggs('SPY', 0, 1), rest.minuteAggs('SPY', 0, 1)]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(75);
  });
});
