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

export const FIXTURE_DATE = '2025-03-10';
export const TEST_KEY = 'pk_TEST_abcdefghijklmnop0123456789';

export function liveTestConfig(storage: string, data = 'fixtures/data', symbols: readonly Underlying[] = ['SPY', 'SPX', 'QQQ', 'NDX']): Config {
  return loadConfig({ env: {}, overrides: { paths: { data, storage }, replay: { symbols: [...symbols] } } });
}

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
