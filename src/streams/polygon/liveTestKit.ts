/**
 * Test kit for the live path: the bundled fixture day (fixtures/data, 2025-03-10) as a script for the fake Polygon
 * server, chains for its REST snapshots, and a config pointing storage at a temp dir.
 */
import type { Config } from '../../domain/configSchema.js';
import type { MarketEvent } from '../../domain/events.js';
import { UNDERLYING_INFO, UNDERLYINGS, tryParseOcc, type Underlying } from '../../domain/instruments.js';
import { loadConfig } from '../../domain/loadConfig.js';
import { openReplay } from '../replay/openReplay.js';
import type { FakePolygonServer } from './fakePolygonServer.js';
import type { PolygonLiveFeed } from './polygonLiveFeed.js';

export const FIXTURE_DATE = '2025-03-10';
export const TEST_KEY = 'pk_TEST_abcdefghijklmnop0123456789';

export function liveTestConfig(storage: string, data = 'fixtures/data', symbols: readonly Underlying[] = ['SPY', 'SPX', 'QQQ', 'NDX'], o: { optionMaxAgeMs?: number } = {}): Config {
  const risk = o.optionMaxAgeMs === undefined ? {} : { risk: { freshness: { optionMaxAgeMs: o.optionMaxAgeMs } } };
  return loadConfig({ env: {}, overrides: { paths: { data, storage }, replay: { symbols: [...symbols] }, ...risk } });
}

/**
 * The fixture day's option quotes are about a minute apart (its files are cut down to stay small), so with the
 * default 3 s option-quote freshness nearly every entry is denied as stale. Sessions that must trade accept quotes
 * up to 90 s old (replay of the fixture: 7 approved entries, 12 fills).
 */
export const FIXTURE_OPTION_MAX_AGE_MS = 90_000;

/** Every market event of the fixture day, in replay order. */
export async function fixtureEvents(storage: string, symbols?: readonly Underlying[]): Promise<MarketEvent[]> {
  const day = await openReplay(liveTestConfig(storage, 'fixtures/data', symbols), FIXTURE_DATE);
  const out: MarketEvent[] = [];
  await new Promise<void>((resolve, reject) => day.events$.subscribe({ next: (e) => out.push(e), error: reject, complete: resolve }));
  return out;
}

/** Serve the option tickers seen in `events` as chain snapshots (price: the underlying's first value). */
export function serveChains(fake: FakePolygonServer, events: readonly MarketEvent[]): void {
  const tickers = new Map<Underlying, Set<string>>();
  const price = new Map<Underlying, number>();
  const byTicker = new Map<string, Underlying>();
  for (const u of UNDERLYINGS) byTicker.set(UNDERLYING_INFO[u].ticker, u);
  for (const e of events) {
    if (e.type === 'OptionQuote') {
      const c = tryParseOcc(e.symbol);
      if (!c) continue;
      const u = UNDERLYINGS.find((x) => UNDERLYING_INFO[x].roots.includes(c.root as never));
      if (!u) continue;
      let s = tickers.get(u);
      if (!s) tickers.set(u, (s = new Set()));
      s.add(e.symbol);
    } else if (e.type === 'IndexValue' || e.type === 'Trade') {
      const u = byTicker.get(e.symbol);
      if (u && !price.has(u)) price.set(u, e.type === 'IndexValue' ? e.value : e.price);
    }
  }
  for (const [u, s] of tickers) fake.setChain(UNDERLYING_INFO[u].ticker, { price: price.get(u) ?? 0, tickers: [...s].sort() });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Events the client has taken off its sockets (parsed: emitted or dropped by the quality rules). */
export function clientEvents(feed: PolygonLiveFeed): number {
  let n = 0;
  for (const c of Object.values(feed.stats().clusters)) n += c.events;
  return n;
}

const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>) => a.size === b.size && [...a].every((x) => b.has(x));

/**
 * Play `events` in chunks and, after each, wait until the client has taken in everything sent, its chain snapshots
 * are applied and the server holds exactly the client's option subscriptions. Which option quotes reach the client
 * then depends only on the data, never on scheduling, so a session's decisions are the same on every run.
 */
export async function playLockstep(fake: FakePolygonServer, feed: PolygonLiveFeed, events: readonly MarketEvent[], o: { chunk?: number; perFrame?: number } = {}): Promise<number> {
  const chunk = o.chunk ?? 500;
  const options = feed.sockets.get('options');
  let sent = 0;
  for (let i = 0; i < events.length; i += chunk) {
    sent += (await fake.play(events.slice(i, i + chunk), { perFrame: o.perFrame ?? 25 })).sent;
    await fake.until(() => clientEvents(feed) >= sent && feed.snapshotsPending === 0, 30_000, `client to take in ${sent} events`);
    if (options) await fake.until(() => sameSet(fake.subscribed('options'), options.subscriptions), 10_000, 'server and client option subscriptions in step');
  }
  return sent;
}
