import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nyOffsetMinutes, nyTimeToMs, toNy, toNyIntl } from './time.js';

const Y2000 = Date.UTC(2000, 0, 1);
const Y2045 = Date.UTC(2045, 0, 1);

describe('toNy (cached per-hour offset) equals the Intl reference', () => {
  it('for any instant 2000–2045, with sub-millisecond parts', () => {
    fc.assert(
      fc.property(fc.double({ min: Y2000, max: Y2045, noNaN: true }), (ms) => {
        expect(toNy(ms)).toEqual(toNyIntl(ms));
      }),
      { numRuns: 5000 },
    );
  });

  it('around every DST switch of 2003–2040 (±3 h, minute steps)', () => {
    for (let y = 2003; y <= 2040; y++) {
      for (const [mo, d0] of [[2, 1], [9, 25], [3, 1], [10, 25]] as const) {
        // Scan a window of days covering the switch (2nd Sunday of March, 1st Sunday of November; older rules too).
        for (let day = 0; day < 14; day++) {
          const base = Date.UTC(y, mo, d0 + day, 5, 0);
          for (let m = -180; m <= 180; m += 30) {
            const ms = base + m * 60_000 + 0.25;
            expect(toNy(ms)).toEqual(toNyIntl(ms));
          }
        }
      }
    }
  });

  it('known offsets and wall clocks', () => {
    expect(nyOffsetMinutes(Date.UTC(2025, 0, 15, 12))).toBe(-300);
    expect(nyOffsetMinutes(Date.UTC(2025, 6, 15, 12))).toBe(-240);
    // 2025-03-09 02:00 EST → 03:00 EDT (07:00 UTC).
    expect(toNy(Date.UTC(2025, 2, 9, 6, 59, 59)).hour).toBe(1);
    expect(toNy(Date.UTC(2025, 2, 9, 7, 0, 0)).hour).toBe(3);
    expect(nyTimeToMs('2025-03-10', 9, 30)).toBe(Date.UTC(2025, 2, 10, 13, 30));
    expect(nyTimeToMs('2025-03-07', 9, 30)).toBe(Date.UTC(2025, 2, 7, 14, 30));
    expect(toNy(Date.UTC(2025, 2, 10, 13, 30, 15, 500))).toMatchObject({ date: '2025-03-10', hour: 9, minute: 30, second: 15, weekday: 1, minuteOfDay: 570.2583333333333 });
  });
});
