import { describe, expect, it } from 'vitest';
import { riskConfigSchema } from './riskConfig.js';

describe('riskConfigSchema', () => {
  it('has a documented default for every limit', () => {
    const c = riskConfigSchema.parse(undefined);
    expect(c.order).toEqual({ maxContracts: 10, maxPremium: 2_500, collarPct: 0.1, collarMinAbs: 0.1 });
    expect(c.positions).toEqual({ maxPerUnderlying: 1, maxTotal: 2, maxPremiumAtRisk: 5_000 });
    expect(c.session).toEqual({ flattenMinutesBeforeClose: 10, noEntryMinutesBeforeClose: 15, noEntryMinutesAfterOpen: 0 });
    expect(c.haltWindows.policy).toBe('hold');
    expect(c.haltWindows.windows.FOMC_STATEMENT).toEqual({ beforeMin: 10, afterMin: 20 });
    expect(c.haltWindows.windows.CPI).toEqual({ beforeMin: 5, afterMin: 15 });
    expect(c.killSwitch).toEqual({ retryMs: 5_000, verifyWithBrokerPositions: true });
    expect(c.expiryDays).toEqual({ min: 0, max: 4 });
    expect(c.calendarFile).toBe('fixtures/calendars/economic-events.json');
  });

  it('fills nested defaults around a partial section (prefault)', () => {
    const c = riskConfigSchema.parse({ haltWindows: { windows: { CPI: { afterMin: 75 } } }, storm: { windowMs: 30_000 } });
    expect(c.haltWindows.windows.CPI).toEqual({ beforeMin: 5, afterMin: 75 });
    expect(c.haltWindows.windows.NFP).toEqual({ beforeMin: 5, afterMin: 15 });
    expect(c.storm).toEqual({ windowMs: 30_000, throttleCount: 5, haltCount: 10, cooldownMs: 300_000 });
  });

  it('rejects unknown keys and out-of-range values, all at once', () => {
    const r = riskConfigSchema.safeParse({
      maxContracts: 5,
      order: { maxContracts: 0 },
      allowedRoots: ['AAPL'],
      haltWindows: { policy: 'panic', windows: { EARNINGS: {} } },
    });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['', 'order.maxContracts', 'allowedRoots.0', 'haltWindows.policy', 'haltWindows.windows']));
  });

  it('cross-field rules: storm throttle < halt, no entries after the flatten, expiry min ≤ max', () => {
    expect(riskConfigSchema.safeParse({ storm: { throttleCount: 10, haltCount: 10 } }).success).toBe(false);
    expect(riskConfigSchema.safeParse({ session: { flattenMinutesBeforeClose: 20, noEntryMinutesBeforeClose: 15 } }).success).toBe(false);
    expect(riskConfigSchema.safeParse({ expiryDays: { min: 3, max: 1 } }).success).toBe(false);
  });
});
