import { describe, expect, it } from 'vitest';
import { nyTimeToMs } from '../../domain/time.js';
import { activeHaltWindow, planDay } from './dayPlan.js';
import type { RiskConfigInput } from './riskConfig.js';
import type { RiskInput, RiskOutput } from './riskEvents.js';
import { CALENDAR, testRisk as R } from './testRisk.js';

const utc = (y: number, mo: number, d: number, h: number, mi: number) => Date.UTC(y, mo - 1, d, h, mi);

/** Entry verdict for a 0DTE SPXW call at `ts` on `date` (YYMMDD in the symbol), with fresh data. */
function entryAt(ts: number, yymmdd: string, config: RiskConfigInput = {}): string {
  const sym = `O:SPXW${yymmdd}C05700000`;
  const h = R.harness(R.cfg(config));
  h.feed(...R.underlyings(ts), R.optionQuote(sym, ts, 4.0, 4.2));
  const [o] = h.feed(R.intent(sym, ts));
  return o?.type === 'OrderIntent' ? 'approved' : o?.type === 'OrderDenied' ? o.reason : 'none';
}

describe('planDay: session boundaries', () => {
  it('regular day: entries 09:30–15:45, flatten 15:50 ET (EDT)', () => {
    const p = planDay('2025-03-10', R.cfg(), CALENDAR);
    expect(p.entryOpen).toBe(utc(2025, 3, 10, 13, 30));
    expect(p.entryCutoff).toBe(utc(2025, 3, 10, 19, 45));
    expect(p.flattenAt).toBe(utc(2025, 3, 10, 19, 50));
    expect(p.calendarMissing).toBeNull();
  });

  it('early close (day after Thanksgiving 2025): cutoff 12:45, flatten 12:50 ET (EST)', () => {
    const p = planDay('2025-11-28', R.cfg(), CALENDAR);
    expect(p.session?.earlyClose).toBe(true);
    expect(p.entryCutoff).toBe(utc(2025, 11, 28, 17, 45));
    expect(p.flattenAt).toBe(utc(2025, 11, 28, 17, 50));
    expect(entryAt(nyTimeToMs('2025-11-28', 12, 44), '251128')).toBe('approved');
    expect(entryAt(nyTimeToMs('2025-11-28', 12, 46), '251128')).toBe('entry-cutoff');
  });

  it('a holiday has no session and no boundaries', () => {
    const p = planDay('2025-12-25', R.cfg(), CALENDAR);
    expect(p.session).toBeNull();
    expect(Number.isNaN(p.flattenAt)).toBe(true);
  });

  it('noEntryMinutesAfterOpen delays the first entry', () => {
    expect(entryAt(nyTimeToMs('2025-03-10', 9, 35), '250310', { session: { noEntryMinutesAfterOpen: 10 } })).toBe('outside-session');
    expect(entryAt(nyTimeToMs('2025-03-10', 9, 40), '250310', { session: { noEntryMinutesAfterOpen: 10 } })).toBe('approved');
  });
});

describe('economic halt windows', () => {
  // CPI at 08:30 ET falls before the open; a user who sits out the open on CPI days widens the window to 75 min.
  const cpiOpen: RiskConfigInput = { haltWindows: { windows: { CPI: { beforeMin: 5, afterMin: 75 } } } };

  it('CPI 2025-03-12 (first week of EDT): window 08:25–09:45 EDT = 12:25–13:45 UTC', () => {
    const p = planDay('2025-03-12', R.cfg(cpiOpen), CALENDAR);
    const cpi = p.windows.find((w) => w.type === 'CPI');
    expect(cpi).toMatchObject({ start: utc(2025, 3, 12, 12, 25), end: utc(2025, 3, 12, 13, 45), release: utc(2025, 3, 12, 12, 30) });
    expect(cpi?.label).toBe('CPI 08:30 ET');
    expect(entryAt(nyTimeToMs('2025-03-12', 9, 44), '250312', cpiOpen)).toBe('halt-window');
    expect(entryAt(nyTimeToMs('2025-03-12', 9, 45), '250312', cpiOpen)).toBe('approved');
    // Default window (−5/+15) ends at 08:45: the session itself is untouched.
    expect(entryAt(nyTimeToMs('2025-03-12', 9, 31), '250312')).toBe('approved');
  });

  it('CPI 2025-02-12 (winter, EST): the same wall-clock window is 13:25–14:45 UTC', () => {
    const cpi = planDay('2025-02-12', R.cfg(cpiOpen), CALENDAR).windows.find((w) => w.type === 'CPI');
    expect(cpi).toMatchObject({ start: utc(2025, 2, 12, 13, 25), end: utc(2025, 2, 12, 14, 45) });
    expect(entryAt(utc(2025, 2, 12, 14, 44), '250212', cpiOpen)).toBe('halt-window');
    expect(entryAt(utc(2025, 2, 12, 14, 45), '250212', cpiOpen)).toBe('approved');
  });

  it('FOMC 2025-03-19 (the week after the DST change): statement 13:50–14:20, press conference 14:25–15:00 EDT', () => {
    const p = planDay('2025-03-19', R.cfg(), CALENDAR);
    expect(p.windows.map((w) => [w.type, w.start, w.end])).toEqual([
      ['FOMC_STATEMENT', utc(2025, 3, 19, 17, 50), utc(2025, 3, 19, 18, 20)],
      ['FOMC_PRESS_CONFERENCE', utc(2025, 3, 19, 18, 25), utc(2025, 3, 19, 19, 0)],
    ]);
    expect(entryAt(utc(2025, 3, 19, 17, 49), '250319')).toBe('approved'); // 13:49 EDT
    expect(entryAt(utc(2025, 3, 19, 18, 5), '250319')).toBe('halt-window'); // 14:05 EDT
    expect(entryAt(utc(2025, 3, 19, 18, 22), '250319')).toBe('approved'); // 14:22 EDT, between the windows
    expect(entryAt(utc(2025, 3, 19, 18, 30), '250319')).toBe('halt-window'); // 14:30 EDT press conference
    expect(entryAt(utc(2025, 3, 19, 19, 5), '250319')).toBe('approved'); // 15:05 EDT
  });

  it('FOMC 2025-01-29 (winter): 14:00 EST is 19:00 UTC, so 18:05 UTC is still tradable', () => {
    expect(entryAt(utc(2025, 1, 29, 18, 5), '250129')).toBe('approved'); // 13:05 EST
    expect(entryAt(utc(2025, 1, 29, 19, 5), '250129')).toBe('halt-window'); // 14:05 EST
    expect(activeHaltWindow(planDay('2025-01-29', R.cfg(), CALENDAR), utc(2025, 1, 29, 19, 5))?.label).toBe('FOMC statement 14:00 ET');
  });

  it('a type with a 0/0 window is off; uncertain rows can be excluded', () => {
    const off = planDay('2025-03-19', R.cfg({ haltWindows: { windows: { FOMC_STATEMENT: { beforeMin: 0, afterMin: 0 } } } }), CALENDAR);
    expect(off.windows.map((w) => w.type)).toEqual(['FOMC_PRESS_CONFERENCE']);
    const unc = CALENDAR.releasesOn('2026-03-11').filter((r) => r.uncertain);
    expect(unc.length).toBeGreaterThan(0);
    expect(planDay('2026-03-11', R.cfg({ haltWindows: { includeUncertain: false } }), CALENDAR).windows.filter((w) => w.uncertain)).toEqual([]);
  });

  it("policy 'hold' leaves open positions alone; 'flatten' asks once per window for the positions open", () => {
    const sym = 'O:SPXW250319C05700000';
    const run = (policy: 'hold' | 'flatten'): RiskOutput[] => {
      const h = R.harness(R.cfg({ haltWindows: { policy } }));
      const t0 = utc(2025, 3, 19, 17, 0);
      const evs: RiskInput[] = [
        R.optionQuote(sym, t0, 4, 4.2),
        R.report('a', sym, 'entry', t0, 1, 4.1),
        { type: 'Heartbeat', ts: utc(2025, 3, 19, 17, 49) },
        { type: 'Heartbeat', ts: utc(2025, 3, 19, 17, 50) },
        { type: 'Heartbeat', ts: utc(2025, 3, 19, 17, 51) },
      ];
      return h.feed(...evs);
    };
    expect(run('hold')).toEqual([]);
    expect(run('flatten')).toEqual([
      { type: 'FlattenAll', ts: utc(2025, 3, 19, 17, 50), reason: 'halt-window: FOMC statement 14:00 ET', optionSymbols: [sym] },
    ]);
  });
});

describe('session flatten of 0DTE positions', () => {
  it('at 15:50 ET only the 0DTE positions are flattened, once', () => {
    const h = R.harness(R.cfg({ positions: { maxPerUnderlying: 5, maxTotal: 5 } }));
    const zero = R.SPXW;
    const next = 'O:SPXW250311C05700000';
    h.feed(R.report('a', zero, 'entry', R.T, 1, 4.1), R.report('b', next, 'entry', R.T, 1, 4.1));
    expect(h.feed({ type: 'Heartbeat', ts: nyTimeToMs('2025-03-10', 15, 49, 59) })).toEqual([]);
    const at = nyTimeToMs('2025-03-10', 15, 50);
    expect(h.feed({ type: 'Heartbeat', ts: at }, { type: 'Heartbeat', ts: at + 1_000 })).toEqual([
      { type: 'FlattenAll', ts: at, reason: 'session-flatten: 0DTE positions 10 min before the close', optionSymbols: [zero] },
    ]);
  });

  it('on an early-close day the flatten is at 12:50 ET', () => {
    const h = R.harness();
    const sym = 'O:SPXW251128C06800000';
    h.feed(R.report('a', sym, 'entry', nyTimeToMs('2025-11-28', 11, 0), 1, 4.1));
    expect(h.feed({ type: 'Heartbeat', ts: nyTimeToMs('2025-11-28', 12, 49) })).toEqual([]);
    expect(h.feed({ type: 'Heartbeat', ts: nyTimeToMs('2025-11-28', 12, 50) })).toMatchObject([{ type: 'FlattenAll', optionSymbols: [sym] }]);
  });
});
