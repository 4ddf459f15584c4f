import { describe, expect, it } from 'vitest';
import { impliedVol } from './volSurface.js';

const DAY = 1 / 365;

describe('impliedVol', () => {
  it('is skewed: downside strikes richer than equidistant upside strikes', () => {
    for (const t of [0.1 * DAY, DAY, 7 * DAY]) {
      const f = 5800;
      const d = 0.01 * f * Math.sqrt(t * 365);
      expect(impliedVol('SPX', f, f - d, t, 1)).toBeGreaterThan(impliedVol('SPX', f, f + d, t, 1));
      expect(impliedVol('SPX', f, f - d, t, 1)).toBeGreaterThan(impliedVol('SPX', f, f, t, 1));
    }
  });

  it('has a term structure (0DTE richer than a week out) and scales with the VIX ratio', () => {
    expect(impliedVol('SPY', 575, 575, 0.2 * DAY, 1)).toBeGreaterThan(impliedVol('SPY', 575, 575, 7 * DAY, 1));
    expect(impliedVol('QQQ', 490, 490, DAY, 1.2)).toBeCloseTo(1.2 * impliedVol('QQQ', 490, 490, DAY, 1), 10);
  });

  it('stays finite and bounded at extreme strikes and tiny times', () => {
    for (const k of [1, 1000, 5800, 20000, 1e6]) {
      const v = impliedVol('SPX', 5800, k, 1e-9, 1);
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(0.05);
      expect(v).toBeLessThan(1.5);
    }
  });
});
