import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nyTimeToMs } from '../../domain/time.js';
import { SessionVwap } from './vwap.js';

interface Fixture {
  bars: { start: string; high: number; low: number; close: number; volume: number }[];
  expected: { case: string; barIndex: number; vwap: number | null }[];
}
const fx = JSON.parse(
  readFileSync(new URL('../../../fixtures/reference/indicators/stockIndicatorsVwapIntraday.json', import.meta.url), 'utf8'),
) as Fixture;
const startMs = (s: string): number => {
  const [d, hm] = s.split(' ') as [string, string];
  const [h, m] = hm.split(':').map(Number) as [number, number];
  return nyTimeToMs(d, h, m);
};

describe('SessionVwap', () => {
  it('is null before volume, then VWAP with volume-weighted σ bands', () => {
    const v = new SessionVwap();
    const t = nyTimeToMs('2025-03-10', 9, 30);
    expect(v.value).toBeNull();
    expect(v.bands).toBeNull();
    v.update({ ts: t, price: 100, volume: 1 });
    v.update({ ts: t + 1000, price: 102, volume: 3 });
    // vwap = (100 + 306)/4 = 101.5; σ² = (1·2.25 + 3·0.25)/4 = 0.75
    expect(v.value).toBeCloseTo(101.5, 12);
    const b = v.bands!;
    expect(b.sigma).toBeCloseTo(Math.sqrt(0.75), 12);
    expect(b.upper2).toBeCloseTo(101.5 + 2 * Math.sqrt(0.75), 12);
    expect(b.lower3).toBeCloseTo(101.5 - 3 * Math.sqrt(0.75), 12);
  });

  it('ignores pre-market and post-close inputs and resets on a new day', () => {
    const v = new SessionVwap();
    v.update({ ts: nyTimeToMs('2025-03-10', 9, 29, 59), price: 1, volume: 1000 });
    expect(v.value).toBeNull();
    v.update({ ts: nyTimeToMs('2025-03-10', 9, 30), price: 10, volume: 1 });
    v.update({ ts: nyTimeToMs('2025-03-10', 16, 0), price: 50, volume: 1000 });
    expect(v.value).toBe(10);
    v.update({ ts: nyTimeToMs('2025-03-11', 8, 0), price: 20, volume: 1 });
    expect(v.value).toBeNull(); // yesterday's VWAP does not leak into today's pre-market
    v.update({ ts: nyTimeToMs('2025-03-11', 9, 30), price: 20, volume: 1 });
    expect(v.value).toBe(20);
    v.reset();
    expect(v.value).toBeNull();
  });

  it('parity: Stock.Indicators intraday VWAP (typical price, 2020-12-15) within 0.00005', () => {
    const v = new SessionVwap();
    const byIndex = new Map<number, number | null>();
    fx.bars.forEach((b, i) => {
      v.update({ ts: startMs(b.start), price: (b.high + b.low + b.close) / 3, volume: b.volume });
      byIndex.set(i, v.value);
    });
    let checked = 0;
    for (const e of fx.expected) {
      // The 16:00 closing-auction bar starts at the close: outside the regular session, so only the anchored form has it.
      if (e.case !== 'anchored_at_first_bar' || e.barIndex >= 390 || e.vwap === null) continue;
      expect(Math.abs(byIndex.get(e.barIndex)! - e.vwap)).toBeLessThan(0.00005);
      checked++;
    }
    expect(checked).toBe(3);
  });
});
