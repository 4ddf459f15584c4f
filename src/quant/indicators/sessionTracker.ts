/**
 * SessionTracker: which regular session (if any) an event time belongs to, in America/New_York.
 *
 * The lookup is injectable so the NYSE calendar (holidays, 13:00 early closes) can be plugged in; the default,
 * `weekdaySession`, knows only weekdays 09:30–16:00 ET. The answer is cached for the whole NY calendar day of the
 * last query, so the Intl conversion runs once per day, not once per event (hot path).
 *
 * Time: event time only (the `ts` passed in).
 */
import { addDays, nyTimeToMs, toNy, weekdayOf } from '../../domain/time.js';

export interface SessionBounds {
  /** NY trading date, YYYY-MM-DD. */
  readonly date: string;
  /** Regular-session open and close, epoch ms. */
  readonly open: number;
  readonly close: number;
}

/** Session of a NY date, or null when the market is closed that day. */
export type SessionLookup = (date: string) => SessionBounds | null;

/** Weekdays 09:30–16:00 ET, no holidays: the fallback when no calendar is supplied. */
export const weekdaySession: SessionLookup = (date) => {
  const wd = weekdayOf(date);
  if (wd === 0 || wd === 6) return null;
  return { date, open: nyTimeToMs(date, 9, 30), close: nyTimeToMs(date, 16, 0) };
};

export class SessionTracker {
  private readonly lookup: SessionLookup;
  private dayStart = Number.POSITIVE_INFINITY;
  private dayEnd = Number.NEGATIVE_INFINITY;
  private session: SessionBounds | null = null;

  constructor(lookup: SessionLookup = weekdaySession) {
    this.lookup = lookup;
  }

  /** Session of the NY day containing `ts` (whether or not `ts` is inside its regular hours). */
  sessionOf(ts: number): SessionBounds | null {
    if (ts < this.dayStart || ts >= this.dayEnd) {
      const date = toNy(ts).date;
      this.dayStart = nyTimeToMs(date, 0, 0);
      this.dayEnd = nyTimeToMs(addDays(date, 1), 0, 0);
      this.session = this.lookup(date);
    }
    return this.session;
  }

  /** The session when `ts` is within its regular hours [open, close), else null. */
  regularAt(ts: number): SessionBounds | null {
    const s = this.sessionOf(ts);
    return s !== null && ts >= s.open && ts < s.close ? s : null;
  }
}
