import { describe, expect, it } from 'vitest';
import { TestScheduler } from 'rxjs/testing';
import { from, lastValueFrom, map, toArray } from 'rxjs';
import type { MarketEvent } from '../../domain/events.js';
import { formatPolygon } from '../../domain/instruments.js';
import { Atr } from '../../quant/indicators/atr.js';
import { bsPrice } from '../../quant/options/blackScholes.js';
import { yearFraction } from '../../quant/options/yearFraction.js';
import { features } from './features.js';
import { featuresConfigSchema, type FeaturesConfigInput } from './featuresConfig.js';
import type { Features } from './featuresRecord.js';
import { testEvents as E } from './testEvents.js';

const T0 = Date.UTC(2025, 2, 10, 14, 30, 0); // Mon 2025-03-10 10:30 ET (EDT)
const cfg = (c: FeaturesConfigInput) => featuresConfigSchema.parse(c);
const spyOnly = cfg({ underlyings: ['SPY'], options: { enabled: false } });

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

async function run(events: MarketEvent[], c = spyOnly): Promise<Features[]> {
  return lastValueFrom(from(events).pipe(features(c), toArray()));
}

describe('features operator (marbles)', () => {
  const ev: Record<string, MarketEvent> = {
    q: E.quote('SPY', T0 + 50, 570.0, 570.02, 300, 100),
    a: E.trade('SPY', T0 + 100, 570.02, 200),
    b: E.trade('SPY', T0 + 700, 570.0, 100),
    h: E.heartbeat(T0 + 1000),
    c: E.trade('SPY', T0 + 1500, 570.04, 100),
    d: E.heartbeat(T0 + 2000),
  };
  const pick = (f: Features) => ({
    ts: f.ts,
    u: f.underlying,
    price: f.price,
    vwap: f.vwap,
    spread: f.spread === null ? null : Math.round(f.spread * 100) / 100,
    qi: f.quoteImbalance,
    micro: f.microPrice === null ? null : Math.round(f.microPrice * 1e4) / 1e4,
    atr: f.atr,
    ofi: f.ofiShort,
    microSymbol: f.microSymbol,
  });
  const bar1 = (570.02 + 570.0 + 570.0) / 3;
  const x = { ts: T0 + 1000, u: 'SPY', price: 570.0, vwap: bar1, spread: 0.02, qi: 0.5, micro: 570.015, atr: null, ofi: null, microSymbol: 'SPY' };
  const y = { ...x, ts: T0 + 2000, price: 570.04, vwap: (bar1 * 300 + 570.04 * 100) / 400 };

  it('emits one record per underlying at each 1s price-bar close, ts = bar end', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const src = cold('-q-a-b-h-c-d-|', ev);
      expectObservable(src.pipe(features(spyOnly), map(pick))).toBe('-------x---y-|', { x, y });
      expectSubscriptions(src.subscriptions).toBe('^------------!');
    });
  });

  it('propagates a source error', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const src = cold<MarketEvent>('-q-a-b-h-#', ev, new Error('socket closed'));
      expectObservable(src.pipe(features(spyOnly), map(pick))).toBe('-------x-#', { x }, new Error('socket closed'));
    });
  });

  it('empty source completes with nothing', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<MarketEvent>('|').pipe(features(spyOnly))).toBe('|');
      expectObservable(cold<MarketEvent>('-q-a|', ev).pipe(features(spyOnly))).toBe('----|');
    });
  });

  it('early unsubscribe tears down the source', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const src = cold('-q-a-b-h-c-d-|', ev);
      expectObservable(src.pipe(features(spyOnly), map(pick)), '^--------!').toBe('-------x-', { x });
      expectSubscriptions(src.subscriptions).toBe('^--------!');
    });
  });
});

describe('features operator (behaviour)', () => {
  it('SPX: price from I:SPX, microstructure from SPY, VWAP weighted by SPY volume in the same second', async () => {
    const out = await run(
      [
        E.quote('SPY', T0 + 1, 570.0, 570.02, 100, 100),
        E.index('I:SPX', T0 + 10, 5700),
        E.trade('SPY', T0 + 20, 570.01, 300),
        E.index('I:SPX', T0 + 900, 5702),
        E.index('I:SPX', T0 + 1100, 5710), // second 2: SPX prints, SPY does not → zero VWAP weight
        E.heartbeat(T0 + 2000),
      ],
      cfg({ underlyings: ['SPX'], options: { enabled: false } }),
    );
    expect(out.map((f) => [f.ts, f.underlying, f.price, f.microSymbol])).toEqual([
      [T0 + 1000, 'SPX', 5702, 'SPY'],
      [T0 + 2000, 'SPX', 5710, 'SPY'],
    ]);
    const typical1 = (5702 + 5700 + 5702) / 3;
    expect(out[0]!.vwap).toBeCloseTo(typical1, 9);
    expect(out[1]!.vwap).toBeCloseTo(typical1, 9);
    expect(out[0]!.spread).toBeCloseTo(0.02, 9);
    expect(out[0]!.spreadBps).toBeCloseTo((0.02 / 570.01) * 1e4, 9);
  });

  it('interval cadence: one record per underlying at each boundary, built only from events before it', async () => {
    const out = await run(
      [
        E.trade('SPY', T0 + 100, 570, 100),
        E.trade('QQQ', T0 + 200, 480, 100),
        E.trade('SPY', T0 + 5000, 571, 100), // exactly at the boundary: not in the T0+5000 record
        E.heartbeat(T0 + 17_000), // crosses 10 s and 15 s: one record, at the latest boundary
      ],
      cfg({ underlyings: ['SPY', 'QQQ'], cadence: { kind: 'interval', everyMs: 5000 }, options: { enabled: false } }),
    );
    expect(out.map((f) => [f.ts, f.underlying, f.price])).toEqual([
      [T0 + 5000, 'SPY', 570],
      [T0 + 5000, 'QQQ', 480],
      [T0 + 15_000, 'SPY', 571],
      [T0 + 15_000, 'QQQ', 480],
    ]);
  });

  it('warm-up: ATR from the 15th 1m bar (= Atr on the same bars), flow windows after one full window', async () => {
    const events: MarketEvent[] = [E.quote('SPY', T0, 570, 570.02)];
    const closes: number[] = [];
    for (let i = 0; i < 20; i++) {
      const p = 570 + Math.sin(i) * 0.5;
      closes.push(p);
      events.push(E.trade('SPY', T0 + i * 60_000 + 10, p + 0.03, 100), E.trade('SPY', T0 + i * 60_000 + 30_000, p, 100));
    }
    events.push(E.heartbeat(T0 + 20 * 60_000));
    const out = await run(events, cfg({ underlyings: ['SPY'], cadence: { kind: 'bar', interval: '1m' }, options: { enabled: false } }));
    expect(out).toHaveLength(20);
    const ref = new Atr(14);
    closes.forEach((c, i) => {
      const want = ref.update({ high: c + 0.03, low: c, close: c });
      expect(out[i]!.atr).toEqual(want);
    });
    expect(out[13]!.atr).toBeNull();
    expect(out[14]!.atr).not.toBeNull();
    expect(out[19]!.adx).toBeNull(); // 20 bars < 2N: ADX still warming up
    expect(out[19]!.plusDi).not.toBeNull();
    expect(out[0]!.ofiShort).toBe(0); // first record is 60 s after the first event: the 5 s window is warm
    expect(out[0]!.intensityLong).toBeCloseTo(2 / 60, 12);
    expect(out[0]!.realizedVolShort).toBeNull(); // one 30 s return in the 60 s window: fewer than minReturns
    expect(out[2]!.realizedVolShort).not.toBeNull();
    expect(out[2]!.realizedVolShort!).toBeGreaterThan(0);
  });

  it('ignores Polygon minute-aggregate Bar events (no double counting)', async () => {
    const withAgg = await run([
      E.trade('SPY', T0 + 100, 570, 100),
      { type: 'Bar', ts: T0 + 500, symbol: 'SPY', interval: '1m', start: T0 - 59_500, open: 1, high: 1, low: 1, close: 1, volume: 1e9, transactions: 1 },
      E.heartbeat(T0 + 1000),
    ]);
    expect(withAgg).toHaveLength(1);
    expect(withAgg[0]!.vwap).toBe(570);
  });

  function chainEvents(spot: number): MarketEvent[] {
    const ts = T0 + 1000;
    const events: MarketEvent[] = [E.index('I:SPX', T0 + 10, spot)];
    for (const [expiry, vol] of [['2025-03-10', 0.2], ['2025-03-11', 0.15]] as const) {
      const t = yearFraction(ts, expiry, 'PM');
      for (const strike of [5680, 5690, 5700, 5710, 5720]) {
        for (const right of ['C', 'P'] as const) {
          const px = bsPrice({ right, spot, strike, t, vol, rate: 0.045, q: 0.013 });
          events.push(E.optionQuote(formatPolygon({ root: 'SPXW', expiry, right, strike }), T0 + 500, px - 0.05, px + 0.05));
        }
      }
    }
    events.push(E.heartbeat(T0 + 1000));
    return events;
  }

  it('option quotes outside strikeWindowPct never reach the surface', async () => {
    const out = await run(chainEvents(5700), cfg({ underlyings: ['SPX'], options: { strikeWindowPct: 0.001 } }));
    expect(out[0]!.atmIv0dte).toBeNull(); // only the 5700 strike is within 0.1%: fewer than minStrikes
    expect(out[0]!.expectedMoveToClose).toBeNull();
  });

  it('option fields from the vol surface: 0DTE and next ATM IV, term slope, expected move', async () => {
    const spot = 5700;
    const ts = T0 + 1000;
    const out = await run(chainEvents(spot), cfg({ underlyings: ['SPX'] }));
    expect(out).toHaveLength(1);
    const f = out[0]!;
    expect(f.atmIv0dte).toBeCloseTo(0.2, 6);
    expect(f.atmIvNext).toBeCloseTo(0.15, 6);
    expect(f.termSlope).toBeCloseTo(0.05, 6);
    expect(f.skew25d).toBeCloseTo(0, 4); // flat smile
    expect(f.expectedMoveToClose).toBeCloseTo(spot * f.atmIv0dte! * Math.sqrt(yearFraction(ts, '2025-03-10', 'PM')), 9);
  });

  it('is deterministic and keeps state per subscription', async () => {
    const events = [E.trade('SPY', T0 + 1, 570, 1), E.quote('SPY', T0 + 2, 569.99, 570.01), E.heartbeat(T0 + 1000)];
    const op = features(spyOnly);
    const a = await lastValueFrom(from(events).pipe(op, toArray()));
    const b = await lastValueFrom(from(events).pipe(op, toArray()));
    expect(a).toEqual(b);
    expect(a).toHaveLength(1);
  });
});
