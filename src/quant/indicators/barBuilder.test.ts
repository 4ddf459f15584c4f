import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BarBuilder } from './barBuilder.js';

const T0 = Date.UTC(2025, 2, 10, 14, 30, 0); // 09:30 ET (EDT)

describe('BarBuilder', () => {
  it('builds OHLCV from eligible prints and emits at the window end, ts = end', () => {
    const b = new BarBuilder('SPY', '1s');
    expect(b.update({ ts: T0 + 100, price: 10, size: 5, eligible: true })).toBeNull();
    expect(b.update({ ts: T0 + 200, price: 12, size: 1, eligible: true })).toBeNull();
    expect(b.update({ ts: T0 + 300, price: 99, size: 7, eligible: false })).toBeNull(); // odd lot: volume only
    expect(b.update({ ts: T0 + 999.5, price: 9, size: 2, eligible: true })).toBeNull();
    expect(b.value).toBeNull();
    const bar = b.advance(T0 + 1000); // any event at the window end closes it
    expect(bar).toEqual({
      type: 'Bar', ts: T0 + 1000, symbol: 'SPY', interval: '1s', start: T0,
      open: 10, high: 12, low: 9, close: 9, volume: 15, transactions: 4,
    });
    expect(b.value).toBe(bar);
    expect(b.advance(T0 + 5000)).toBeNull();
  });

  it('a print exactly at the window end belongs to the next window', () => {
    const b = new BarBuilder('SPY', '1m');
    b.update({ ts: T0 + 1, price: 1, size: 1, eligible: true });
    const closed = b.update({ ts: T0 + 60_000, price: 2, size: 1, eligible: true });
    expect(closed?.close).toBe(1);
    expect(closed?.ts).toBe(T0 + 60_000);
    expect(b.advance(T0 + 120_000)?.open).toBe(2);
  });

  it('emits no bar for windows without eligible prints', () => {
    const b = new BarBuilder('SPY', '1s');
    b.update({ ts: T0 + 10, price: 1, size: 100, eligible: false });
    expect(b.advance(T0 + 1000)).toBeNull();
    b.update({ ts: T0 + 3500, price: 2, size: 1, eligible: true });
    const bar = b.advance(T0 + 10_000);
    expect(bar?.start).toBe(T0 + 3000);
    expect(bar?.ts).toBe(T0 + 4000);
  });

  it('drops late prints whose window was already closed', () => {
    const b = new BarBuilder('SPY', '1s');
    b.update({ ts: T0 + 10, price: 1, size: 1, eligible: true });
    expect(b.advance(T0 + 1500)).not.toBeNull();
    b.update({ ts: T0 + 900, price: 5, size: 1, eligible: true });
    expect(b.lateDropped).toBe(1);
    b.update({ ts: T0 + 1600, price: 2, size: 1, eligible: true });
    b.update({ ts: T0 + 1200, price: 3, size: 1, eligible: true }); // same open window, out of order: kept
    expect(b.advance(T0 + 2000)?.low).toBe(2);
  });

  it('index values: volume 0, transactions = updates', () => {
    const b = new BarBuilder('I:SPX', '1s');
    b.update({ ts: T0 + 1, price: 5700.1, size: 0, eligible: true });
    b.update({ ts: T0 + 500, price: 5700.3, size: 0, eligible: true });
    const bar = b.advance(T0 + 1000);
    expect(bar?.volume).toBe(0);
    expect(bar?.transactions).toBe(2);
  });

  it('throws on a non-finite price (broken invariant)', () => {
    expect(() => new BarBuilder('SPY', '1s').update({ ts: T0, price: Number.NaN, size: 1, eligible: true })).toThrow(/non-finite/);
  });

  it('reset() clears the open window and the last bar', () => {
    const b = new BarBuilder('SPY', '1s');
    b.update({ ts: T0 + 10, price: 1, size: 1, eligible: true });
    b.advance(T0 + 1000);
    b.update({ ts: T0 + 1010, price: 1, size: 1, eligible: true });
    b.reset();
    expect(b.value).toBeNull();
    expect(b.advance(T0 + 9000)).toBeNull();
  });

  it('property: bar volumes sum to the volume of prints in closed windows; OHLC bounds hold', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ dt: fc.integer({ min: 0, max: 1500 }), price: fc.double({ min: 1, max: 100, noNaN: true }), size: fc.integer({ min: 0, max: 100 }) }), { maxLength: 60 }),
        (steps) => {
          const b = new BarBuilder('X', '1s');
          let ts = T0;
          let vol = 0;
          let barVol = 0;
          for (const s of steps) {
            ts += s.dt;
            vol += s.size;
            const bar = b.update({ ts, price: s.price, size: s.size, eligible: true });
            if (bar) {
              barVol += bar.volume;
              expect(bar.high).toBeGreaterThanOrEqual(Math.max(bar.open, bar.close));
              expect(bar.low).toBeLessThanOrEqual(Math.min(bar.open, bar.close));
              expect(bar.ts - bar.start).toBe(1000);
            }
          }
          const last = b.advance(ts + 1000);
          if (last) barVol += last.volume;
          expect(barVol).toBe(vol);
        },
      ),
    );
  });
});

describe('BarBuilder with an event-time watermark', () => {
  it('drops a print from a window event time has already left, even if that window never had a bar', () => {
    const b = new BarBuilder('SPY', '1s');
    expect(b.update({ ts: T0 + 500, price: 1, size: 1, eligible: true }, T0 + 2500)).toBeNull();
    expect(b.lateDropped).toBe(1);
    expect(b.pendingEnd).toBeNaN();
    b.update({ ts: T0 + 2400, price: 2, size: 1, eligible: true }, T0 + 2600); // same window as now: kept
    expect(b.advance(T0 + 3000)?.close).toBe(2);
  });
});
