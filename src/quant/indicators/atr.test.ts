import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ATR } from 'technicalindicators';
import { Atr } from './atr.js';

interface Fixture {
  bars: { high: number; low: number; close: number }[];
  expected: { function: string; period: number | null; barIndex: number; value: number }[];
}
const fx = JSON.parse(
  readFileSync(new URL('../../../fixtures/reference/indicators/talibRegtestAdxAtr.json', import.meta.url), 'utf8'),
) as Fixture;

function run(period: number): (number | null)[] {
  const a = new Atr(period);
  return fx.bars.map((b) => a.update(b));
}

describe('Atr (Wilder, TA-Lib seeding)', () => {
  it('is null for the first N bars, then the mean of TR[1..N]', () => {
    const a = new Atr(3);
    const bars = [
      { high: 10, low: 9, close: 9.5 },
      { high: 11, low: 10, close: 10.5 }, // TR 1.5
      { high: 10.5, low: 10, close: 10 }, // TR 0.5
      { high: 12, low: 10, close: 11 }, // TR 2
      { high: 11, low: 11, close: 11 }, // TR 0
    ];
    expect(bars.slice(0, 3).map((b) => a.update(b))).toEqual([null, null, null]);
    expect(a.update(bars[3]!)).toBeCloseTo(4 / 3, 12);
    expect(a.update(bars[4]!)).toBeCloseTo(((4 / 3) * 2 + 0) / 3, 12);
    expect(a.trueRange).toBe(0);
    a.reset();
    expect(a.value).toBeNull();
    expect(a.update(bars[0]!)).toBeNull();
  });

  it('rejects a bad period', () => {
    expect(() => new Atr(0)).toThrow();
  });

  it('parity: TA-Lib regression values (ATR 1 and 14, TRANGE) within 0.01', () => {
    const series = { 1: run(1), 14: run(14) } as Record<number, (number | null)[]>;
    let maxDiff = 0;
    let n = 0;
    for (const e of fx.expected) {
      if (e.function !== 'ATR' && e.function !== 'TRANGE') continue;
      const got = series[e.period ?? 1]![e.barIndex];
      expect(got).not.toBeNull();
      maxDiff = Math.max(maxDiff, Math.abs(got! - e.value));
      n++;
    }
    expect(n).toBe(15);
    // 0.00994 is TA-Lib's own loosely written 3.55 at bar 16 (exact 3.55994); every other value is within 0.001.
    expect(maxDiff).toBeLessThan(0.01);
  });

  it('streaming equals technicalindicators ATR.calculate from the first value (same seeding)', () => {
    const streamed = run(14);
    const batch = ATR.calculate({
      high: fx.bars.map((b) => b.high),
      low: fx.bars.map((b) => b.low),
      close: fx.bars.map((b) => b.close),
      period: 14,
    });
    const offset = fx.bars.length - batch.length;
    expect(offset).toBe(14);
    expect(streamed.slice(0, offset).every((v) => v === null)).toBe(true);
    batch.forEach((v, k) => expect(Math.abs(streamed[k + offset]! - v)).toBeLessThan(1e-9));
  });

  it('parity: Stock.Indicators atr.standard.json (502 daily SPY bars) over the whole series', () => {
    const si = JSON.parse(
      readFileSync(new URL('../../../fixtures/reference/indicators/stockIndicatorsDailyAdxAtr.json', import.meta.url), 'utf8'),
    ) as { bars: [number, number, number][]; atr: (number | null)[] };
    const a = new Atr(14);
    let maxDiff = 0;
    si.bars.forEach(([high, low, close], i) => {
      const got = a.update({ high, low, close });
      const want = si.atr[i] ?? null;
      if (want === null) expect(got).toBeNull();
      else maxDiff = Math.max(maxDiff, Math.abs(got! - want));
    });
    expect(maxDiff).toBeLessThan(1e-9);
  });
});
