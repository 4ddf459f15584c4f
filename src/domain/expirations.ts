/**
 * Option expiration dates per root, derived by rule and era from the NYSE calendar (no listing tables).
 *
 * Standard monthlies (SPX and NDX AM-settled; SPY and QQQ also list them, PM-settled): the 3rd Friday of the
 * month; when that Friday is an exchange holiday, the preceding trading day (2025-04-18 Good Friday → Thursday
 * 2025-04-17).
 *
 * Weekly and daily (PM-settled) series, by expiry date: each era constant is the first expiry date where the
 * source gives it, otherwise the listing/launch date (so the first week of an era may be off by one). Dates
 * marked ~ are approximate (best public information, not a listing record):
 *   SPXW  Fridays from ~2005-10-28 (Cboe "Weeklys" launched Oct 2005). Before 2017-05-01 the PM-settled series
 *         that expired on 3rd Fridays traded as SPXPM, not SPXW (Cboe converted them on that date), so SPXW has
 *         no 3rd-Friday expiry before it.
 *         End of month (last trading day of the month) from ~2006-01-01.
 *         Wednesdays from 2016-03-02 (listed 2016-02-23; Cboe's first Wednesday expiry), Mondays from 2016-08-22
 *         (listed 2016-08-15; first expiry per Cboe), Tuesdays from 2022-04-18 and Thursdays from 2022-05-11
 *         (launch dates): every trading day since.
 *   NDXP  Fridays from ~2019-01-01; Monday–Thursday dailies from ~2023-05-01 (uncertain: Nasdaq's NDXP daily
 *         roll-out is poorly documented; check against chain data before trusting 2019–2023 replays).
 *   SPY   Fridays from 2010-06-11 (Cboe ETF Weeklys listed 2010-06-04, expiring the following Friday);
 *         Wednesdays from 2016-09-07 (MIAX listing alert); Mondays from 2018-02-16 (Cboe announcement, listing
 *         date); Tuesdays and Thursdays from 2022-11-14.
 *   QQQ   Fridays from 2010-06-11 (then QQQQ); Mondays and Wednesdays from ~2018-01-01; Tuesdays and Thursdays
 *         from 2022-11-16.
 *
 * Holidays: Friday weeklies and monthlies move to the preceding trading day. Wednesday weeklies also move back
 * (MIAX SPY Wednesday alert) and Monday weeklies move forward to the next trading day (Cboe SPXW Monday launch
 * notes: Labor Day 2016 gave a Tuesday 2016-09-06 expiry); both only matter in the eras before Tuesday/Thursday
 * dailies, after which those days already expire. Tuesday and Thursday dailies on a holiday simply do not exist.
 *
 * Not modelled: quarterly (end-of-quarter) series, the SPXPM 3rd-Friday series before 2017-05-01, root renames
 * (QQQQ → QQQ in 2011), and pre-2015 OCC symbols of monthlies that carry the Saturday after the 3rd Friday as
 * their date (lastTradeTime accepts those Saturday dates).
 *
 * Last trade: AM-settled roots (SPX, NDX) stop trading at the close of the trading day before expiry and settle on
 * the expiry morning's opening prints; PM-settled roots trade until the expiry day's close (13:00 ET on early-close
 * days). Non-expiring SPX/SPY/QQQ series keep trading until 16:15 ET, but an expiring series stops at the
 * closing bell, which is what this returns.
 */
import { isTradingDay, nextTradingDay, previousTradingDay, sessionFor } from './calendar.js';
import { ROOT_INFO, UNDERLYING_INFO, type OptionRoot, type Underlying } from './instruments.js';
import { addDays, parseIsoDate, weekdayOf } from './time.js';
import { memoize } from './memo.js';

/** Start dates (inclusive, by nominal expiry weekday) of each weekday's weekly/daily series; absent = never. */
interface WeeklyEras {
  readonly mon?: string;
  readonly tue?: string;
  readonly wed?: string;
  readonly thu?: string;
  readonly fri?: string;
  /** End-of-month (last trading day) series. */
  readonly eom?: string;
  /** Friday weeklies skip the monthly date before this (the PM series traded under another root); absent = never skip. */
  readonly monthlyFridayFrom?: string;
}

interface RootRules {
  /** Lists the standard 3rd-Friday monthly under this root. */
  readonly monthly: boolean;
  readonly weekly: WeeklyEras;
}

const RULES: Readonly<Record<OptionRoot, RootRules>> = {
  SPX: { monthly: true, weekly: {} },
  NDX: { monthly: true, weekly: {} },
  SPXW: {
    monthly: false,
    weekly: {
      fri: '2005-10-28',
      monthlyFridayFrom: '2017-05-01',
      eom: '2006-01-01',
      wed: '2016-03-02',
      mon: '2016-08-22',
      tue: '2022-04-18',
      thu: '2022-05-11',
    },
  },
  NDXP: {
    monthly: false,
    weekly: { fri: '2019-01-01', mon: '2023-05-01', tue: '2023-05-01', wed: '2023-05-01', thu: '2023-05-01' },
  },
  SPY: {
    monthly: true,
    weekly: { fri: '2010-06-11', wed: '2016-09-07', mon: '2018-02-16', tue: '2022-11-14', thu: '2022-11-14' },
  },
  QQQ: {
    monthly: true,
    weekly: { fri: '2010-06-11', mon: '2018-01-01', wed: '2018-01-01', tue: '2022-11-16', thu: '2022-11-16' },
  },
};

/** Search horizon for nextExpiry; every root expires at least monthly once its era starts. */
const MAX_SEARCH_DAYS = 366 * 40;

/** Monthly expiry of the month containing `date`: 3rd Friday, or the trading day before it if that is a holiday. */
function monthlyExpiry(date: string): string {
  const [y, m] = parseIsoDate(date);
  const firstDow = new Date(Date.UTC(y, m - 1, 1)).getUTCDay();
  const thirdFriday = `${date.slice(0, 8)}${String(1 + ((5 - firstDow + 7) % 7) + 14).padStart(2, '0')}`;
  return rollBack(thirdFriday);
}

function rollBack(date: string): string {
  return isTradingDay(date) ? date : previousTradingDay(date);
}

function rollForward(date: string): string {
  return isTradingDay(date) ? date : nextTradingDay(date);
}

/** First date on or after `date` falling on `weekday`. */
function onOrAfter(date: string, weekday: number): string {
  return addDays(date, (weekday - weekdayOf(date) + 7) % 7);
}

/** Last date on or before `date` falling on `weekday`. */
function onOrBefore(date: string, weekday: number): string {
  return addDays(date, -((weekdayOf(date) - weekday + 7) % 7));
}

function eraStarts(w: WeeklyEras): string[] {
  return [w.mon, w.tue, w.wed, w.thu, w.fri, w.eom].filter((d): d is string => d !== undefined).sort();
}

function inEra(nominal: string, from: string | undefined): boolean {
  return from !== undefined && nominal >= from;
}

// hasExpiry is pure in (root, date) and runs for every signal's gate check and every order's risk check (a dozen
// date computations each): memoised per root.
const expiryMemo = new Map<OptionRoot, (date: string) => boolean>();

/** True when a `root` series expires (settles) on `date`. */
export function hasExpiry(root: OptionRoot, date: string): boolean {
  let memo = expiryMemo.get(root);
  if (memo === undefined) expiryMemo.set(root, (memo = memoize((d: string) => computeHasExpiry(root, d))));
  return memo(date);
}

function computeHasExpiry(root: OptionRoot, date: string): boolean {
  if (!isTradingDay(date)) return false;
  const rules = RULES[root];
  const monthly = monthlyExpiry(date);
  if (rules.monthly && date === monthly) return true;
  const w = rules.weekly;
  const dow = weekdayOf(date);

  if (dow === 2 && inEra(date, w.tue)) return true;
  if (dow === 4 && inEra(date, w.thu)) return true;

  // Friday weekly of this week, moved back over a holiday Friday (and Thursday, should both be closed).
  const friday = onOrAfter(date, 5);
  if (inEra(friday, w.fri) && rollBack(friday) === date) {
    const excluded = monthly === date && w.monthlyFridayFrom !== undefined && friday < w.monthlyFridayFrom;
    if (!excluded) return true;
  }

  const wednesday = onOrAfter(date, 3);
  if (inEra(wednesday, w.wed) && rollBack(wednesday) === date) return true;

  const monday = onOrBefore(date, 1);
  if (inEra(monday, w.mon) && rollForward(monday) === date) return true;

  if (inEra(date, w.eom) && date.slice(5, 7) !== nextTradingDay(date).slice(5, 7)) return true;
  return false;
}

/** Expiry dates of `root` from `fromDate` to `toDate`, both inclusive, ascending. */
export function expiriesBetween(root: OptionRoot, fromDate: string, toDate: string): string[] {
  parseIsoDate(toDate);
  const out: string[] = [];
  for (let d = fromDate; d <= toDate; d = addDays(d, 1)) if (hasExpiry(root, d)) out.push(d);
  return out;
}

/** First expiry of `root` on or after `onOrAfter` (which may itself be one). */
export function nextExpiry(root: OptionRoot, onOrAfterDate: string): string {
  parseIsoDate(onOrAfterDate);
  // Roots without monthlies have nothing before their first era: skip the empty years instead of walking them.
  const rules = RULES[root];
  const firstEra = rules.monthly ? undefined : eraStarts(rules.weekly)[0];
  let d = firstEra !== undefined && firstEra > onOrAfterDate ? firstEra : onOrAfterDate;
  for (let i = 0; i < MAX_SEARCH_DAYS; i++, d = addDays(d, 1)) if (hasExpiry(root, d)) return d;
  throw new Error(`no ${root} expiry within ${MAX_SEARCH_DAYS} days of ${onOrAfterDate}`);
}

/** The PM-settled root of `underlying` expiring on `date` (the 0DTE contract), or null when none expires. */
export function zeroDteRoot(underlying: Underlying, date: string): OptionRoot | null {
  for (const root of UNDERLYING_INFO[underlying].roots) {
    if (ROOT_INFO[root].settlement === 'PM' && hasExpiry(root, date)) return root;
  }
  return null;
}

/**
 * Moment (epoch ms) the series of `root` expiring on `expiry` stops trading. Does not require `hasExpiry` (the era
 * dates are approximate and real contracts must still resolve), but the expiry must be a trading day or, for
 * pre-2015 OCC monthlies, the Saturday after the 3rd Friday; anything else throws.
 */
export function lastTradeTime(root: OptionRoot, expiry: string): number {
  let settlementDay = expiry;
  if (!isTradingDay(expiry)) {
    const day = parseIsoDate(expiry)[2];
    if (weekdayOf(expiry) !== 6 || day < 16 || day > 22) {
      throw new Error(`${root} expiry ${expiry} is neither a trading day nor a legacy monthly Saturday`);
    }
    settlementDay = previousTradingDay(expiry);
  }
  const tradeDay = ROOT_INFO[root].settlement === 'AM' ? previousTradingDay(settlementDay) : settlementDay;
  const session = sessionFor(tradeDay);
  if (!session) throw new Error(`no session on ${tradeDay} for ${root} expiry ${expiry}`);
  return session.close;
}
