import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  closureReason,
  earlyCloseReason,
  holidayName,
  isTradingDay,
  nextTradingDay,
  previousTradingDay,
  sessionFor,
} from './calendar.js';
import { addDays, weekdayOf } from './time.js';

const HOUR = 3_600_000;

/** Every weekday of a year the exchange is closed, and every early-close day. */
function scheduleOf(year: number): { closed: string[]; early: string[] } {
  const closed: string[] = [];
  const early: string[] = [];
  for (let d = `${year}-01-01`; d.startsWith(String(year)); d = addDays(d, 1)) {
    const dow = weekdayOf(d);
    if (dow === 0 || dow === 6) continue;
    if (!isTradingDay(d)) closed.push(d);
    else if (earlyCloseReason(d) !== null) early.push(d);
  }
  return { closed, early };
}

describe('NYSE published schedules', () => {
  // Full-year schedules as published by NYSE (nyse.com/markets/hours-calendars), Carter mourning day included.
  it.each([
    {
      year: 2024,
      closed: ['01-01', '01-15', '02-19', '03-29', '05-27', '06-19', '07-04', '09-02', '11-28', '12-25'],
      early: ['07-03', '11-29', '12-24'],
    },
    {
      year: 2025,
      closed: ['01-01', '01-09', '01-20', '02-17', '04-18', '05-26', '06-19', '07-04', '09-01', '11-27', '12-25'],
      early: ['07-03', '11-28', '12-24'],
    },
    {
      year: 2026,
      closed: ['01-01', '01-19', '02-16', '04-03', '05-25', '06-19', '07-03', '09-07', '11-26', '12-25'],
      early: ['11-27', '12-24'],
    },
    {
      year: 2027,
      closed: ['01-01', '01-18', '02-15', '03-26', '05-31', '06-18', '07-05', '09-06', '11-25', '12-24'],
      early: ['11-26'],
    },
    // Older years from the NYSE schedules of the time: 2011 (no New Year observance for Sat Jan 1, Christmas Mon),
    // 2015 (Independence Day Fri July 3, no July 3 early close).
    {
      year: 2011,
      closed: ['01-17', '02-21', '04-22', '05-30', '07-04', '09-05', '11-24', '12-26'],
      early: ['11-25'],
    },
    {
      year: 2015,
      closed: ['01-01', '01-19', '02-16', '04-03', '05-25', '07-03', '09-07', '11-26', '12-25'],
      early: ['11-27', '12-24'],
    },
  ])('$year', ({ year, closed, early }) => {
    const got = scheduleOf(year);
    expect(got.closed).toEqual(closed.map((d) => `${year}-${d}`));
    expect(got.early).toEqual(early.map((d) => `${year}-${d}`));
  });
});

describe('holiday names and closure reasons', () => {
  it.each([
    ['2025-12-25', 'Christmas Day', 'Christmas Day'],
    ['2026-07-03', 'Independence Day (observed)', 'Independence Day (observed)'],
    ['2026-07-04', null, 'weekend (Saturday)'],
    ['2027-06-18', 'Juneteenth National Independence Day (observed)', 'Juneteenth National Independence Day (observed)'],
    ['2022-06-20', 'Juneteenth National Independence Day (observed)', 'Juneteenth National Independence Day (observed)'],
    ['2021-06-18', null, null], // Juneteenth not yet an NYSE holiday
    ['2023-01-02', "New Year's Day (observed)", "New Year's Day (observed)"],
    ['2025-04-18', 'Good Friday', 'Good Friday'],
    ['2025-01-09', null, 'National day of mourning for President Jimmy Carter'],
    ['2004-06-11', null, 'National day of mourning for President Ronald Reagan'],
    ['2007-01-02', null, 'National day of mourning for President Gerald Ford'],
    ['2012-10-29', null, 'Hurricane Sandy'],
    ['2012-10-30', null, 'Hurricane Sandy'],
    ['2018-12-05', null, 'National day of mourning for President George H.W. Bush'],
    ['2001-09-13', null, 'September 11 attacks'],
    ['2010-12-31', null, null], // New Year 2011 on a Saturday: not observed (month/year end)
    ['2021-12-31', null, null], // likewise for 2022
    ['2025-03-09', null, 'weekend (Sunday)'],
    ['2025-03-10', null, null],
  ])('%s', (date, holiday, reason) => {
    expect(holidayName(date)).toBe(holiday);
    expect(closureReason(date)).toBe(reason);
    expect(isTradingDay(date)).toBe(reason === null);
  });

  it('finds Good Friday by computus across decades', () => {
    // Easter Sundays: 2003-04-20, 2008-03-23 (early), 2011-04-24 (late), 2038-04-25 (latest possible).
    for (const d of ['2003-04-18', '2008-03-21', '2011-04-22', '2038-04-23']) expect(holidayName(d)).toBe('Good Friday');
  });

  it('rejects malformed dates', () => {
    expect(() => isTradingDay('2025-02-30')).toThrow('2025-02-30');
    expect(() => holidayName('20250310')).toThrow('20250310');
  });
});

describe('sessions', () => {
  it.each([
    // Monday after the spring DST change: EDT, 09:30 ET = 13:30 UTC.
    ['2025-03-10', '2025-03-10T13:30:00.000Z', '2025-03-10T20:00:00.000Z', false],
    // Friday before it: EST, 09:30 ET = 14:30 UTC.
    ['2025-03-07', '2025-03-07T14:30:00.000Z', '2025-03-07T21:00:00.000Z', false],
    // Monday after the autumn change back to EST.
    ['2025-11-03', '2025-11-03T14:30:00.000Z', '2025-11-03T21:00:00.000Z', false],
    ['2025-10-31', '2025-10-31T13:30:00.000Z', '2025-10-31T20:00:00.000Z', false],
    // Day after Thanksgiving: 13:00 ET close.
    ['2025-11-28', '2025-11-28T14:30:00.000Z', '2025-11-28T18:00:00.000Z', true],
    ['2025-07-03', '2025-07-03T13:30:00.000Z', '2025-07-03T17:00:00.000Z', true],
  ])('%s', (date, open, close, early) => {
    const s = sessionFor(date);
    expect(s).not.toBeNull();
    expect(new Date(s!.open).toISOString()).toBe(open);
    expect(new Date(s!.close).toISOString()).toBe(close);
    expect(s!.earlyClose).toBe(early);
    expect(s!.date).toBe(date);
  });

  it('has no session on holidays and weekends', () => {
    expect(sessionFor('2025-12-25')).toBeNull();
    expect(sessionFor('2025-03-08')).toBeNull();
    expect(earlyCloseReason('2025-12-25')).toBeNull();
  });

  it('names early closes', () => {
    expect(earlyCloseReason('2025-11-28')).toBe('Day after Thanksgiving');
    expect(earlyCloseReason('2025-12-24')).toBe('Christmas Eve');
    expect(earlyCloseReason('2024-07-03')).toBe('Day before Independence Day');
    expect(earlyCloseReason('2025-03-10')).toBeNull();
    expect(earlyCloseReason('2021-12-24')).toBeNull(); // observed Christmas, closed
  });
});

describe('stepping', () => {
  it.each([
    ['2025-03-07', '2025-03-10', '2025-03-06'],
    ['2025-04-17', '2025-04-21', '2025-04-16'], // over Good Friday
    ['2025-01-08', '2025-01-10', '2025-01-07'], // over the Carter closure
    ['2001-09-10', '2001-09-17', '2001-09-07'], // over the Sept 11 closure
    ['2012-10-26', '2012-10-31', '2012-10-25'], // over Sandy
    ['2025-12-24', '2025-12-26', '2025-12-23'],
  ])('%s → next %s, previous %s', (date, next, prev) => {
    expect(nextTradingDay(date)).toBe(next);
    expect(previousTradingDay(date)).toBe(prev);
  });

  it('steps from a closed day too', () => {
    expect(nextTradingDay('2025-12-25')).toBe('2025-12-26');
    expect(previousTradingDay('2025-12-25')).toBe('2025-12-24');
    expect(previousTradingDay('2012-10-30')).toBe('2012-10-26');
  });
});

describe('properties', () => {
  const day = fc
    .integer({ min: Date.UTC(2003, 0, 1) / 86_400_000, max: Date.UTC(2040, 11, 31) / 86_400_000 })
    .map((n) => new Date(n * 86_400_000).toISOString().slice(0, 10));

  it('every date is exactly one of weekend, holiday/special closure, trading day', () => {
    fc.assert(
      fc.property(day, (d) => {
        const dow = weekdayOf(d);
        const weekend = dow === 0 || dow === 6;
        const reason = closureReason(d);
        const closedWeekday = !weekend && reason !== null;
        const trading = isTradingDay(d);
        expect([weekend, closedWeekday, trading].filter(Boolean)).toHaveLength(1);
        if (weekend) expect(holidayName(d)).toBeNull();
        if (trading) expect(reason).toBeNull();
      }),
      { numRuns: 2000 },
    );
  });

  it('trading sessions last 6.5 h (3.5 h when early) and stepping lands on trading days', () => {
    fc.assert(
      fc.property(day, (d) => {
        const s = sessionFor(d);
        if (s) {
          expect(s.close).toBeGreaterThan(s.open);
          expect(s.close - s.open).toBe(s.earlyClose ? 3.5 * HOUR : 6.5 * HOUR);
        }
        const next = nextTradingDay(d);
        const prev = previousTradingDay(d);
        expect(isTradingDay(next) && next > d).toBe(true);
        expect(isTradingDay(prev) && prev < d).toBe(true);
        // Nothing between prev and next trades except d itself.
        for (let x = addDays(prev, 1); x < next; x = addDays(x, 1)) if (x !== d) expect(isTradingDay(x)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('every year 2003–2040 has all its rule holidays (less an unobserved Saturday New Year) and a sane day count', () => {
    for (let y = 2003; y <= 2040; y++) {
      let holidays = 0;
      let trading = 0;
      for (let d = `${y}-01-01`; d.startsWith(String(y)); d = addDays(d, 1)) {
        if (holidayName(d) !== null) holidays++;
        if (isTradingDay(d)) trading++;
      }
      const expected = y >= 2022 ? [9, 10] : [8, 9];
      expect(expected, `${y}: ${holidays}`).toContain(holidays);
      expect(trading, String(y)).toBeGreaterThanOrEqual(246);
      expect(trading, String(y)).toBeLessThanOrEqual(254);
    }
  });
});
