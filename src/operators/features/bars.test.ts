import { describe, expect, it } from 'vitest';
import { TestScheduler } from 'rxjs/testing';
import { readFileSync } from 'node:fs';
import { from, lastValueFrom, toArray, type Observable } from 'rxjs';
import type { Bar, MarketEvent } from '../../domain/events.js';
import { bars } from './bars.js';
import { testEvents as E } from './testEvents.js';

const T0 = Date.UTC(2025, 2, 10, 14, 30, 0); // 2025-03-10 10:30 ET

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

const spy1s = (start: number, o: number, h: number, l: number, c: number, v: number, n: number): Bar => ({
  type: 'Bar', ts: start + 1000, symbol: 'SPY', interval: '1s', start, open: o, high: h, low: l, close: c, volume: v, transactions: n,
});

describe('bars operator', () => {
  it('emits each bar when any event crosses its window end, ts = window end', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const ev: Record<string, MarketEvent> = {
        a: E.trade('SPY', T0 + 100, 500, 100),
        b: E.trade('SPY', T0 + 400, 501, 50),
        c: E.trade('SPY', T0 + 600, 499, 30, false), // ineligible: volume only
        d: E.quote('SPY', T0 + 1000, 500, 500.01), // quote at the window end closes the 1s bar
        e: E.trade('QQQ', T0 + 2500, 400, 10), // other symbol: ignored, but time moves (no SPY window open)
        f: E.trade('SPY', T0 + 3000, 502, 10),
        g: E.heartbeat(T0 + 60_000), // closes SPY 3s bar and the 1m bar
      };
      const src = cold('-a-b-c-d-e-f-g------|', ev);
      expectObservable(src.pipe(bars({ symbols: ['SPY'] }))).toBe('-------x-----(yz)---|', {
        x: spy1s(T0, 500, 501, 500, 501, 180, 3),
        y: spy1s(T0 + 3000, 502, 502, 502, 502, 10, 1),
        z: {
          type: 'Bar', ts: T0 + 60_000, symbol: 'SPY', interval: '1m', start: T0,
          open: 500, high: 502, low: 500, close: 502, volume: 190, transactions: 4,
        } satisfies Bar,
      });
      expectSubscriptions(src.subscriptions).toBe('^-------------------!');
    });
  });

  it('index values build volume-0 bars; several symbols close in config order', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const ev: Record<string, MarketEvent> = {
        a: E.index('I:SPX', T0 + 10, 5700),
        b: E.trade('SPY', T0 + 20, 570, 5),
        c: E.index('I:SPX', T0 + 900, 5701),
        d: E.heartbeat(T0 + 1000),
      };
      const out = cold('a-b-c-d---|', ev).pipe(bars({ symbols: ['I:SPX', 'SPY'], intervals: ['1s'] }));
      expectObservable(out).toBe('------(xy)|', {
        x: { type: 'Bar', ts: T0 + 1000, symbol: 'I:SPX', interval: '1s', start: T0, open: 5700, high: 5701, low: 5700, close: 5701, volume: 0, transactions: 2 },
        y: spy1s(T0, 570, 570, 570, 570, 5, 1),
      });
    });
  });

  it('propagates a source error after the bars closed so far', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const src = cold<MarketEvent>('a-b-#', { a: E.trade('SPY', T0 + 1, 10, 1), b: E.heartbeat(T0 + 1000) }, new Error('feed down'));
      expectObservable(src.pipe(bars({ symbols: ['SPY'], intervals: ['1s'] }))).toBe('--x-#', { x: spy1s(T0, 10, 10, 10, 10, 1, 1) }, new Error('feed down'));
    });
  });

  it('empty source completes with nothing; an open window is not flushed', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<MarketEvent>('|').pipe(bars({ symbols: ['SPY'] }))).toBe('|');
      expectObservable(cold<MarketEvent>('a|', { a: E.trade('SPY', T0, 1, 1) }).pipe(bars({ symbols: ['SPY'] }))).toBe('-|');
    });
  });

  it('early unsubscribe tears down the source subscription', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const src = cold('a-b-c-d-|', {
        a: E.trade('SPY', T0 + 1, 10, 1),
        b: E.heartbeat(T0 + 1000),
        c: E.trade('SPY', T0 + 1001, 11, 1),
        d: E.heartbeat(T0 + 2000),
      });
      expectObservable(src.pipe(bars({ symbols: ['SPY'], intervals: ['1s'] })), '^--!').toBe('--x', { x: spy1s(T0, 10, 10, 10, 10, 1, 1) });
      expectSubscriptions(src.subscriptions).toBe('^--!');
    });
  });

  it('state is per subscription (two subscribers get identical bars)', async () => {
    const events = [E.trade('SPY', T0 + 1, 10, 1), E.heartbeat(T0 + 1000)];
    const op = bars({ symbols: ['SPY'], intervals: ['1s'] });
    const collect = (o: Observable<Bar>): Promise<Bar[]> =>
      new Promise((resolve, reject) => {
        const acc: Bar[] = [];
        o.subscribe({ next: (b) => acc.push(b), error: reject, complete: () => resolve(acc) });
      });
    const [x, y] = await Promise.all([collect(from(events).pipe(op)), collect(from(events).pipe(op))]);
    expect(x).toEqual(y);
    expect(x).toHaveLength(1);
  });
});

describe('bars operator on real SPY ticks (Lean, 2013-10-07 12:16–12:19 ET)', () => {
  it('reproduces the vendor 1m bars exactly (OHLC from eligible prints, volume from all)', async () => {
    const fx = JSON.parse(
      readFileSync(new URL('../../../fixtures/reference/indicators/leanSpyTicks2013-10-07T1216.json', import.meta.url), 'utf8'),
    ) as { ticks: [number, number, number, 0 | 1, string][]; bars: { startMs: number; open: number; high: number; low: number; close: number; volume: number }[] };
    const events: MarketEvent[] = fx.ticks.map(([ts, price, size, eligible]) => E.trade('SPY', ts, price, size, eligible === 1));
    events.push(E.heartbeat(fx.bars[2]!.startMs + 60_000));
    const out = await lastValueFrom(from(events).pipe(bars({ symbols: ['SPY'], intervals: ['1m'] }), toArray()));
    expect(out.map((b) => ({ startMs: b.start, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume }))).toEqual(fx.bars);
    expect(out.map((b) => b.ts - b.start)).toEqual([60_000, 60_000, 60_000]);
  });
});
