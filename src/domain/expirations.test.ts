import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTradingDay } from './calendar.js';
import { expiriesBetween, hasExpiry, lastTradeTime, nextExpiry, zeroDteRoot } from './expirations.js';
import { OPTION_ROOTS, type OptionRoot } from './instruments.js';
import { nyTimeToMs, weekdayOf } from './time.js';

const expiringOn = (date: string): OptionRoot[] => OPTION_ROOTS.filter((r) => hasExpiry(r, date));

describe('hasExpiry', () => {
  it.each<[string, string, OptionRoot[]]>([
    ['2025-03-10', 'Monday, daily era', ['SPXW', 'NDXP', 'SPY', 'QQQ']],
    ['2025-03-21', '3rd Friday: AM monthlies and PM weeklies', ['SPX', 'SPXW', 'NDX', 'NDXP', 'SPY', 'QQQ']],
    ['2025-04-17', 'Thursday before Good Friday: monthlies move here', ['SPX', 'SPXW', 'NDX', 'NDXP', 'SPY', 'QQQ']],
    ['2025-04-18', 'Good Friday', []],
    ['2025-03-08', 'Saturday', []],
    ['2021-03-09', 'Tuesday before Tuesday dailies', []],
    ['2021-03-10', 'Wednesday 2021', ['SPXW', 'SPY', 'QQQ']],
    ['2021-03-08', 'Monday 2021', ['SPXW', 'SPY', 'QQQ']],
    ['2021-03-12', 'Friday 2021', ['SPXW', 'NDXP', 'SPY', 'QQQ']],
    ['2021-03-31', 'Wednesday month end 2021', ['SPXW', 'SPY', 'QQQ']],
    ['2021-03-30', 'Tuesday 2021', []],
    ['2021-08-31', 'Tuesday month end 2021: SPXW EOM only', ['SPXW']],
    ['2022-04-19', 'first SPXW Tuesday', ['SPXW']],
    ['2022-05-12', 'first SPXW Thursday', ['SPXW']],
    ['2022-11-15', 'SPY Tuesdays begin', ['SPXW', 'SPY']],
    ['2022-11-17', 'QQQ Thursdays begin', ['SPXW', 'SPY', 'QQQ']],
    ['2023-04-25', 'Tuesday before NDXP dailies', ['SPXW', 'SPY', 'QQQ']],
    ['2016-09-06', 'Tuesday after Labor Day 2016 (Monday weekly moved forward)', ['SPXW']],
    ['2016-09-07', 'SPY Wednesday era (listing date, approximate)', ['SPXW', 'SPY']],
    ['2016-03-02', 'first SPXW Wednesday', ['SPXW']],
    ['2016-02-24', 'Wednesday after listing, before the first SPXW Wednesday expiry', []],
    ['2016-08-15', 'Monday SPXW listing day, first expiry a week later', []],
    ['2016-08-22', 'first SPXW Monday', ['SPXW']],
    ['2010-06-04', 'SPY/QQQ Weeklys listing Friday (not an expiry)', ['SPXW']],
    ['2010-06-11', 'first SPY/QQQ Friday weekly', ['SPXW', 'SPY', 'QQQ']],
    ['2015-03-20', '3rd Friday before SPXPM → SPXW', ['SPX', 'NDX', 'SPY', 'QQQ']],
    ['2017-05-19', '3rd Friday after SPXPM → SPXW', ['SPX', 'SPXW', 'NDX', 'SPY', 'QQQ']],
    ['2008-10-17', '3rd Friday 2008', ['SPX', 'NDX', 'SPY', 'QQQ']],
    ['2008-10-24', 'plain Friday 2008: only SPX weeklies', ['SPXW']],
    ['2004-10-22', 'plain Friday before Weeklys existed', []],
  ])('%s (%s)', (date, _label, roots) => {
    expect(expiringOn(date)).toEqual(roots);
  });

  it('moves Friday weeklies back over a Friday holiday and drops Mon–Thu dailies on holidays', () => {
    // 2026-07-03 (Fri) is Independence Day observed: the Friday weekly expires Thursday 07-02.
    expect(hasExpiry('SPXW', '2026-07-02')).toBe(true);
    expect(hasExpiry('SPXW', '2026-07-03')).toBe(false);
    // Thanksgiving Thursday 2025: no Thursday daily, Wednesday and Friday still expire.
    expect(hasExpiry('SPXW', '2025-11-27')).toBe(false);
    expect(expiriesBetween('SPXW', '2025-11-24', '2025-11-28')).toEqual([
      '2025-11-24',
      '2025-11-25',
      '2025-11-26',
      '2025-11-28',
    ]);
    // Pre-daily era: Wednesday 2018-07-04 holiday → Tuesday 07-03 expiry.
    expect(hasExpiry('SPXW', '2018-07-03')).toBe(true);
    expect(hasExpiry('SPXW', '2018-07-02')).toBe(true); // Monday weekly
  });

  it('rejects malformed dates', () => {
    expect(() => hasExpiry('SPX', '2025-13-01')).toThrow('2025-13-01');
  });
});

describe('expiriesBetween and nextExpiry', () => {
  it('lists SPX monthlies for 2025', () => {
    expect(expiriesBetween('SPX', '2025-01-01', '2025-12-31')).toEqual([
      '2025-01-17',
      '2025-02-21',
      '2025-03-21',
      '2025-04-17',
      '2025-05-16',
      '2025-06-20',
      '2025-07-18',
      '2025-08-15',
      '2025-09-19',
      '2025-10-17',
      '2025-11-21',
      '2025-12-19',
    ]);
  });

  it('is inclusive at both ends and empty for reversed ranges', () => {
    expect(expiriesBetween('SPY', '2025-03-10', '2025-03-10')).toEqual(['2025-03-10']);
    expect(expiriesBetween('SPY', '2025-03-11', '2025-03-10')).toEqual([]);
  });

  it('every trading day expires SPXW since the daily era', () => {
    const days = expiriesBetween('SPXW', '2024-01-01', '2024-12-31');
    expect(days).toHaveLength(252);
    expect(days.every(isTradingDay)).toBe(true);
  });

  it.each<[OptionRoot, string, string]>([
    ['SPX', '2025-03-10', '2025-03-21'],
    ['SPX', '2025-03-21', '2025-03-21'],
    ['SPX', '2025-04-01', '2025-04-17'],
    ['SPXW', '2025-03-08', '2025-03-10'],
    ['SPXW', '2021-03-09', '2021-03-10'],
    ['NDXP', '2021-03-08', '2021-03-12'],
    ['NDXP', '2010-01-01', '2019-01-04'],
    ['SPY', '2025-12-25', '2025-12-26'],
  ])('nextExpiry(%s, %s) = %s', (root, from, expected) => {
    expect(nextExpiry(root, from)).toBe(expected);
  });
});

describe('zeroDteRoot', () => {
  it.each([
    ['SPX', '2025-03-10', 'SPXW'],
    ['SPX', '2025-03-21', 'SPXW'],
    ['NDX', '2025-03-10', 'NDXP'],
    ['NDX', '2021-03-10', null],
    ['SPY', '2021-03-09', null],
    ['QQQ', '2025-03-11', 'QQQ'],
    ['SPX', '2025-04-18', null],
  ] as const)('%s on %s → %s', (underlying, date, root) => {
    expect(zeroDteRoot(underlying, date)).toBe(root);
  });
});

describe('lastTradeTime', () => {
  it.each<[OptionRoot, string, number]>([
    ['SPX', '2025-03-21', nyTimeToMs('2025-03-20', 16)],
    ['NDX', '2025-04-17', nyTimeToMs('2025-04-16', 16)],
    ['SPXW', '2025-03-21', nyTimeToMs('2025-03-21', 16)],
    ['SPXW', '2025-11-28', nyTimeToMs('2025-11-28', 13)],
    ['SPY', '2025-12-24', nyTimeToMs('2025-12-24', 13)],
    // AM monthly after an early close: the day before's 13:00 close.
    ['SPX', '2025-12-26', nyTimeToMs('2025-12-24', 13)],
    // Pre-2015 OCC monthly dated the Saturday after the 3rd Friday.
    ['SPX', '2013-03-16', nyTimeToMs('2013-03-14', 16)],
    ['SPY', '2013-03-16', nyTimeToMs('2013-03-15', 16)],
  ])('%s %s', (root, expiry, expected) => {
    expect(lastTradeTime(root, expiry)).toBe(expected);
  });

  it('matches 2025-03-20 16:00 ET = 20:00 UTC for the March 2025 SPX monthly', () => {
    expect(new Date(lastTradeTime('SPX', '2025-03-21')).toISOString()).toBe('2025-03-20T20:00:00.000Z');
  });

  it('throws for an expiry on a holiday, a Sunday or a non-monthly Saturday', () => {
    expect(() => lastTradeTime('SPXW', '2025-04-18')).toThrow('2025-04-18');
    expect(() => lastTradeTime('SPXW', '2025-03-09')).toThrow('2025-03-09');
    expect(() => lastTradeTime('SPX', '2013-03-09')).toThrow('2013-03-09'); // a Saturday, but not after a 3rd Friday
  });
});

describe('properties', () => {
  const day = fc
    .integer({ min: Date.UTC(2003, 0, 1) / 86_400_000, max: Date.UTC(2040, 11, 31) / 86_400_000 })
    .map((n) => new Date(n * 86_400_000).toISOString().slice(0, 10));
  const root = fc.constantFrom(...OPTION_ROOTS);

  it('expiries fall on trading days, nextExpiry finds one within a month (a week for SPY/QQQ weeklies), last trade is before the close', () => {
    fc.assert(
      fc.property(root, day, (r, d) => {
        if (hasExpiry(r, d)) expect(isTradingDay(d)).toBe(true);
        const next = nextExpiry(r, d);
        expect(next >= d && hasExpiry(r, next)).toBe(true);
        // Monthlies are at most ~5 weeks apart; weeklies at most a week.
        const gap = (Date.parse(next) - Date.parse(d)) / 86_400_000;
        if (r === 'SPX' || r === 'NDX') expect(gap).toBeLessThanOrEqual(35);
        if ((r === 'SPY' || r === 'QQQ') && d >= '2011-01-01') expect(gap).toBeLessThanOrEqual(7);
        if (hasExpiry(r, d) && (r === 'SPX' || r === 'NDX')) expect([4, 5]).toContain(weekdayOf(d));
        if (hasExpiry(r, d)) expect(lastTradeTime(r, d)).toBeLessThanOrEqual(nyTimeToMs(d, 16));
      }),
      { numRuns: 1500 },
    );
  });
});
