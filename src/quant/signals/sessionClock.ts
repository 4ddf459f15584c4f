/**
 * SessionClock: event time → the NYSE session of that New York day (null on a closed day), cached per day so the
 * Intl conversion runs once per day, not per event. Early closes come from `sessionFor` (13:00 ET).
 */
import { sessionFor, type Session } from '../../domain/calendar.js';
import { addDays, nyTimeToMs, toNy } from '../../domain/time.js';

export class SessionClock {
  private dayStart = Number.POSITIVE_INFINITY;
  private dayEnd = Number.NEGATIVE_INFINITY;
  private session: Session | null = null;

  /** The session of the New York day containing `ts`, or null when the exchange is closed that day. */
  at(ts: number): Session | null {
    if (ts < this.dayStart || ts >= this.dayEnd) {
      const date = toNy(ts).date;
      this.dayStart = nyTimeToMs(date, 0);
      this.dayEnd = nyTimeToMs(addDays(date, 1), 0);
      this.session = sessionFor(date);
    }
    return this.session;
  }

  reset(): void {
    this.dayStart = Number.POSITIVE_INFINITY;
    this.dayEnd = Number.NEGATIVE_INFINITY;
    this.session = null;
  }
}
