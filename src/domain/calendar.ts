/**
 * NYSE trading calendar, derived by rule for any year (replays reach back to 2003 and forward past 2030), not
 * from a table of a few published years.
 *
 * Full-day holidays (NYSE Rule 7.2 and the published holiday schedules at nyse.com/markets/hours-calendars):
 *   - New Year's Day, Jan 1.
 *   - Martin Luther King Jr. Day, 3rd Monday of January (NYSE closes for it from 1998).
 *   - Washington's Birthday, 3rd Monday of February.
 *   - Good Friday, two days before Gregorian Easter Sunday (anonymous Gregorian computus, Meeus/Jones/Butcher).
 *   - Memorial Day, last Monday of May.
 *   - Juneteenth National Independence Day, June 19 (first observed by NYSE in 2022; 2021-06-18 was a trading day).
 *   - Independence Day, July 4.
 *   - Labor Day, 1st Monday of September.
 *   - Thanksgiving Day, 4th Thursday of November.
 *   - Christmas Day, Dec 25.
 * Weekend observance (Rule 7.2): a holiday on Sunday closes the following Monday; a holiday on Saturday closes
 * the preceding Friday *unless that Friday ends a monthly or yearly accounting period*. Of the holidays above only
 * New Year's Day can hit that exception, so a Saturday Jan 1 is simply not observed (2010-12-31 and 2021-12-31
 * were full trading days). Observed dates never leave their calendar year, so each year is computed alone.
 *
 * Special (unscheduled) closures, from NYSE's closings history: Sept 11 attacks (2001-09-11..14), national days
 * of mourning for Presidents Reagan (2004-06-11), Ford (2007-01-02), G.H.W. Bush (2018-12-05) and Carter
 * (2025-01-09), and Hurricane Sandy (2012-10-29, 2012-10-30). New one-off closures must be added to
 * SPECIAL_CLOSURES by hand; rules cannot predict them.
 *
 * Early closes (13:00 ET, the NYSE "partial holidays"): July 3 when it is Mon–Thu (when July 3 is a Friday it is
 * itself the observed Independence Day), the day after Thanksgiving, and Dec 24 when it is Mon–Thu (a Friday
 * Dec 24 is the observed Christmas).
 *
 * Scope: the rules are the modern ones and are right from 1998 on. Earlier years get the same rules minus MLK Day,
 * which ignores older one-offs (e.g. 1994-04-27 Nixon mourning, pre-1971 fixed-date holidays); do not rely on
 * the calendar before 1998.
 *
 * Sessions are 09:30–16:00 ET (13:00 ET on early-close days), converted with `nyTimeToMs` so each date gets the
 * UTC offset actually in force that day (DST change weekends included).
 */
import { addDays, nyTimeToMs, parseIsoDate, weekdayOf } from './time.js';
import { memoize } from './memo.js';

export interface Session {
  /** YYYY-MM-DD (New York). */
  readonly date: string;
  /** Opening bell, epoch ms UTC. */
  readonly open: number;
  /** Closing bell, epoch ms UTC (13:00 ET on early-close days). */
  readonly close: number;
  readonly earlyClose: boolean;
}

const SPECIAL_CLOSURES: ReadonlyMap<string, string> = new Map([
  ['2001-09-11', 'September 11 attacks'],
  ['2001-09-12', 'September 11 attacks'],
  ['2001-09-13', 'September 11 attacks'],
  ['2001-09-14', 'September 11 attacks'],
  ['2004-06-11', 'National day of mourning for President Ronald Reagan'],
  ['2007-01-02', 'National day of mourning for President Gerald Ford'],
  ['2012-10-29', 'Hurricane Sandy'],
  ['2012-10-30', 'Hurricane Sandy'],
  ['2018-12-05', 'National day of mourning for President George H.W. Bush'],
  ['2025-01-09', 'National day of mourning for President Jimmy Carter'],
]);

const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

/** Longest run of consecutive closed days we accept before declaring the calendar broken (Sept 2001 was 6). */
const MAX_CLOSED_RUN = 14;

function iso(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The n-th (1-based) given weekday of a month. */
function nthWeekday(y: number, m: number, weekday: number, n: number): string {
  const first = new Date(Date.UTC(y, m - 1, 1)).getUTCDay();
  return iso(y, m, 1 + ((weekday - first + 7) % 7) + (n - 1) * 7);
}

/** The last given weekday of a month. */
function lastWeekday(y: number, m: number, weekday: number): string {
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const lastDow = new Date(Date.UTC(y, m - 1, lastDay)).getUTCDay();
  return iso(y, m, lastDay - ((lastDow - weekday + 7) % 7));
}

/** Gregorian Easter Sunday (anonymous Gregorian algorithm). */
function easterSunday(y: number): string {
  const a = y % 19;
  const b = Math.floor(y / 100);
  const c = y % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return iso(y, month, day);
}

/**
 * Rule 7.2 observance of a fixed-date holiday: Sunday → Monday; Saturday → Friday unless that Friday is a month
 * end (accounting period), in which case there is no closure at all.
 */
function observe(date: string): { date: string; observed: boolean } | null {
  const dow = weekdayOf(date);
  if (dow === 0) return { date: addDays(date, 1), observed: true };
  if (dow === 6) {
    const friday = addDays(date, -1);
    if (addDays(friday, 1).slice(5, 7) !== friday.slice(5, 7)) return null;
    return { date: friday, observed: true };
  }
  return { date, observed: false };
}

// Pure memo of per-year rule output (same input, same answer), so the hot isTradingDay check is a map lookup.
const holidayCache = new Map<number, ReadonlyMap<string, string>>();

function holidaysOfYear(y: number): ReadonlyMap<string, string> {
  const cached = holidayCache.get(y);
  if (cached) return cached;
  const out = new Map<string, string>();
  const fixed = (m: number, d: number, name: string): void => {
    const o = observe(iso(y, m, d));
    if (o) out.set(o.date, o.observed ? `${name} (observed)` : name);
  };
  fixed(1, 1, "New Year's Day");
  if (y >= 1998) out.set(nthWeekday(y, 1, 1, 3), 'Martin Luther King Jr. Day');
  out.set(nthWeekday(y, 2, 1, 3), "Washington's Birthday");
  out.set(addDays(easterSunday(y), -2), 'Good Friday');
  out.set(lastWeekday(y, 5, 1), 'Memorial Day');
  if (y >= 2022) fixed(6, 19, 'Juneteenth National Independence Day');
  fixed(7, 4, 'Independence Day');
  out.set(nthWeekday(y, 9, 1, 1), 'Labor Day');
  out.set(nthWeekday(y, 11, 4, 4), 'Thanksgiving Day');
  fixed(12, 25, 'Christmas Day');
  holidayCache.set(y, out);
  return out;
}

/** Name of the NYSE holiday (or its observed day) on `date`; null otherwise, including plain weekends. */
export function holidayName(date: string): string | null {
  const [y] = parseIsoDate(date);
  return holidaysOfYear(y).get(date) ?? null;
}

/** Why the exchange is closed on `date` ("weekend (Saturday)", a holiday or special-closure name), or null. */
export function closureReason(date: string): string | null {
  const dow = weekdayOf(date);
  if (dow === 0 || dow === 6) return `weekend (${WEEKDAY_NAMES[dow]})`;
  return holidayName(date) ?? SPECIAL_CLOSURES.get(date) ?? null;
}

/**
 * Whether the exchange holds a session on `date`. Pure in the date and asked for on the signal/risk path (expiry
 * rules walk several dates per check): memoised.
 */
export const isTradingDay: (date: string) => boolean = memoize((date) => closureReason(date) === null);

/** Why `date` closes at 13:00 ET, or null when it is a full session or no session at all. */
export function earlyCloseReason(date: string): string | null {
  if (!isTradingDay(date)) return null;
  const [y, m, d] = parseIsoDate(date);
  // isTradingDay already excluded weekends and the observed-holiday Fridays, leaving exactly the Mon–Thu cases.
  if (m === 7 && d === 3) return 'Day before Independence Day';
  if (m === 12 && d === 24) return 'Christmas Eve';
  if (date === addDays(nthWeekday(y, 11, 4, 4), 1)) return 'Day after Thanksgiving';
  return null;
}

/**
 * Regular (or early-close) session on `date`; null when the exchange is closed. Pure in the date and asked for on
 * hot paths (time to expiry of every priced option): memoised, and the sessions are frozen.
 */
export const sessionFor: (date: string) => Session | null = memoize((date) => computeSession(date));

function computeSession(date: string): Session | null {
  if (!isTradingDay(date)) return null;
  const earlyClose = earlyCloseReason(date) !== null;
  return Object.freeze({
    date,
    open: nyTimeToMs(date, 9, 30),
    close: nyTimeToMs(date, earlyClose ? 13 : 16, 0),
    earlyClose,
  });
}

/** First trading day strictly after `date`. */
export function nextTradingDay(date: string): string {
  return stepToTradingDay(date, 1);
}

/** Last trading day strictly before `date`. */
export function previousTradingDay(date: string): string {
  return stepToTradingDay(date, -1);
}

function stepToTradingDay(date: string, dir: 1 | -1): string {
  let d = date;
  for (let i = 0; i < MAX_CLOSED_RUN; i++) {
    d = addDays(d, dir);
    if (isTradingDay(d)) return d;
  }
  throw new Error(`no trading day within ${MAX_CLOSED_RUN} days ${dir > 0 ? 'after' : 'before'} ${date}: calendar broken`);
}

/** NYSE trading days from `from` to `to` inclusive (YYYY-MM-DD; closed days skipped). */
export function tradingDaysBetween(from: string, to: string): string[] {
  parseIsoDate(from);
  parseIsoDate(to);
  if (to < from) throw new Error(`--from ${from} is after --to ${to}`);
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) if (isTradingDay(d)) out.push(d);
  return out;
}
