import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../../domain/events.js';
import { BarClock } from './barClock.js';

const T0 = Date.UTC(2025, 2, 10, 14, 30, 0);
const trade = (symbol: string, ts: number, price: number): MarketEvent => ({
  type: 'Trade', ts, symbol, price, size: 1, exchange: 1, conditions: [], eligible: true, seq: 0,
});

describe('BarClock', () => {
  it('returns bars closed by an event ordered by ts, then symbol, then interval, before applying its print', () => {
    const c = new BarClock(['I:SPX', 'SPY'], ['1s', '1m']);
    expect(c.onEvent(trade('SPY', T0 + 59_500, 10))).toBeNull();
    expect(c.onEvent({ type: 'IndexValue', ts: T0 + 59_600, symbol: 'I:SPX', value: 5700 })).toBeNull();
    const closed = c.onEvent(trade('SPY', T0 + 61_000, 11))!; // at 61 s: 1s bars ended at 60 s, 1m bars too
    expect(closed.map((b) => [b.ts, b.symbol, b.interval])).toEqual([
      [T0 + 60_000, 'I:SPX', '1s'],
      [T0 + 60_000, 'I:SPX', '1m'],
      [T0 + 60_000, 'SPY', '1s'],
      [T0 + 60_000, 'SPY', '1m'],
    ]);
    expect(c.time).toBe(T0 + 61_000);
    expect(c.advance(T0 + 62_000)?.map((b) => [b.symbol, b.open])).toEqual([['SPY', 11]]);
  });

  it('never moves event time backwards and ignores unknown symbols', () => {
    const c = new BarClock(['SPY'], ['1s']);
    c.onEvent(trade('SPY', T0 + 100, 1));
    c.onEvent({ type: 'Heartbeat', ts: T0 + 900 });
    c.onEvent(trade('QQQ', T0 + 800, 2));
    expect(c.time).toBe(T0 + 900);
    expect(c.advance(T0 + 1000)?.[0]?.close).toBe(1);
  });
});
