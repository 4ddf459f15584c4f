import { describe, expect, it } from 'vitest';
import { nyTimeToMs } from '../../domain/time.js';
import { expiryInstantMs, yearFraction } from './yearFraction.js';

const MS_PER_YEAR = 365 * 24 * 3600 * 1000;

describe('yearFraction', () => {
  it('PM expiry: to 16:00 ET on a regular day, ACT/365 in ms', () => {
    const ts = nyTimeToMs('2025-03-14', 15, 0);
    expect(yearFraction(ts, '2025-03-14')).toBeCloseTo(3_600_000 / MS_PER_YEAR, 15);
    expect(yearFraction(ts, '2025-03-14', 'PM')).toBe((nyTimeToMs('2025-03-14', 16, 0) - ts) / MS_PER_YEAR);
  });

  it('keeps sub-millisecond event time', () => {
    const close = nyTimeToMs('2025-03-14', 16, 0);
    expect(yearFraction(close - 0.5, '2025-03-14')).toBeCloseTo(0.5 / MS_PER_YEAR, 20);
  });

  it('early-close day: to 13:00 ET (day after Thanksgiving 2024)', () => {
    expect(expiryInstantMs('2024-11-29', 'PM')).toBe(nyTimeToMs('2024-11-29', 13, 0));
    const ts = nyTimeToMs('2024-11-29', 12, 0);
    expect(yearFraction(ts, '2024-11-29') * MS_PER_YEAR).toBeCloseTo(3_600_000, 3);
  });

  it('AM-settled monthly: to 09:30 ET on expiry day', () => {
    expect(expiryInstantMs('2025-03-21', 'AM')).toBe(nyTimeToMs('2025-03-21', 9, 30));
    const ts = nyTimeToMs('2025-03-20', 16, 0);
    expect(yearFraction(ts, '2025-03-21', 'AM') * MS_PER_YEAR).toBeCloseTo(17.5 * 3_600_000, 3);
  });

  it('counts calendar time across a weekend and the spring DST change (23-hour Sunday)', () => {
    // Fri 2025-03-07 16:00 EST → Mon 2025-03-10 16:00 EDT is 71 hours.
    const ts = nyTimeToMs('2025-03-07', 16, 0);
    expect(yearFraction(ts, '2025-03-10') * MS_PER_YEAR).toBeCloseTo(71 * 3_600_000, 3);
  });

  it('floors at 0 after expiry', () => {
    expect(yearFraction(nyTimeToMs('2025-03-14', 16, 0, 1), '2025-03-14')).toBe(0);
    expect(yearFraction(nyTimeToMs('2025-03-20', 9, 31), '2025-03-20', 'AM')).toBe(0);
  });

  it('falls back to the nominal time on a date without a session', () => {
    // 2025-12-25 is Christmas.
    expect(expiryInstantMs('2025-12-25', 'PM')).toBe(nyTimeToMs('2025-12-25', 16, 0));
    expect(expiryInstantMs('2025-12-25', 'AM')).toBe(nyTimeToMs('2025-12-25', 9, 30));
  });
});
