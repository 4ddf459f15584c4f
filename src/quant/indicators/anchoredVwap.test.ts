import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nyTimeToMs } from '../../domain/time.js';
import { AnchoredVwap } from './anchoredVwap.js';

interface Fixture {
  bars: { start: string; high: number; low: number; close: number; volume: number }[];
  expected: { case: string; anchorBarStart: string; barIndex: number; vwap: number | null }[];
}
const fx = JSON.parse(
  readFileSync(new URL('../../../fixtures/reference/indicators/stockIndicatorsVwapIntraday.json', import.meta.url), 'utf8'),
) as Fixture;
const startMs = (s: string): number => {
  const [d, hm] = s.split(' ') as [string, string];
  const [h, m] = hm.split(':').map(Number) as [number, number];
  return nyTimeToMs(d, h, m);
};
const T = (h: number, m: number, s = 0): number => nyTimeToMs('2025-03-10', h, m, s);

describe('AnchoredVwap', () => {
  it('parity: Stock.Indicators Vwap(startDate) at 09:30 and 10:00 within 0.00005, null before the anchor', () => {
    let checked = 0;
    for (const anchorStart of ['2020-12-15 09:30', '2020-12-15 10:00']) {
      const v = new AnchoredVwap({ kind: 'timestamp', ts: startMs(anchorStart) });
      const vals: (number | null)[] = [];
      for (const b of fx.bars) {
        v.update({ ts: startMs(b.start), price: (b.high + b.low + b.close) / 3, volume: b.volume, high: b.high, low: b.low });
        vals.push(v.value);
      }
      for (const e of fx.expected.filter((x) => x.anchorBarStart === anchorStart)) {
        if (e.vwap === null) expect(vals[e.barIndex]).toBeNull();
        else expect(Math.abs(vals[e.barIndex]! - e.vwap)).toBeLessThan(0.00005);
        checked++;
      }
    }
    expect(checked).toBe(8);
  });

  it('highOfDay re-anchors at each new session high, including the bar that made it', () => {
    const v = new AnchoredVwap({ kind: 'highOfDay' });
    v.update({ ts: T(9, 29), price: 500, volume: 1, high: 500 }); // pre-market: ignored
    expect(v.value).toBeNull();
    v.update({ ts: T(9, 30), price: 10, volume: 1, high: 11 });
    expect(v.value).toBe(10);
    v.update({ ts: T(9, 31), price: 8, volume: 1, high: 9 });
    expect(v.value).toBe(9);
    v.update({ ts: T(9, 32), price: 12, volume: 2, high: 13 }); // new high → anchor here
    expect(v.value).toBe(12);
    expect(v.anchorTs).toBe(T(9, 32));
    expect(v.anchorLevel).toBe(13);
    v.update({ ts: T(9, 33), price: 11, volume: 2, high: 13 }); // equal high: no re-anchor
    expect(v.value).toBe(11.5);
  });

  it('lowOfDay re-anchors at each new session low and resets on a new day', () => {
    const v = new AnchoredVwap({ kind: 'lowOfDay' });
    v.update({ ts: T(9, 30), price: 10, volume: 1 });
    v.update({ ts: T(9, 31), price: 9, volume: 1 });
    v.update({ ts: T(9, 32), price: 11, volume: 1 });
    expect(v.value).toBe(10);
    v.update({ ts: nyTimeToMs('2025-03-11', 9, 0), price: 1, volume: 1 });
    expect(v.value).toBeNull();
    expect(v.anchorLevel).toBeNull();
  });

  it('sessionOpen anchors at the open; reset() clears', () => {
    const v = new AnchoredVwap({ kind: 'sessionOpen' });
    v.update({ ts: T(9, 30, 5), price: 4, volume: 1 });
    v.update({ ts: T(9, 31), price: 6, volume: 1 });
    expect(v.value).toBe(5);
    expect(v.anchorTs).toBe(T(9, 30));
    v.reset();
    expect(v.value).toBeNull();
    expect(v.anchorTs).toBeNull();
  });
});
