/**
 * Time to expiry in years, for pricing and implied vol.
 *
 * Convention: calendar time, ACT/365 measured in milliseconds, `(expiryInstant − ts) / (365·24·3600·1000)`,
 * floored at 0. Calendar (not trading) time keeps weekends in the clock, which matches how listed vols are quoted
 * and keeps Friday→Monday decay in theta; the cost is that intraday 0DTE vols read low relative to a trading-time
 * clock, consistently for every consumer of the surface.
 *
 * Expiry instant, on the expiry date's NYSE session (`sessionFor`, so DST and early closes are handled there):
 *   - PM-settled (SPXW, NDXP, SPY, QQQ): the close, 16:00 ET, or 13:00 ET on early-close days.
 *   - AM-settled monthlies (SPX, NDX): the open, 09:30 ET. The settlement value (SOQ) is built from the opening
 *     prints, so 09:30 is the instant the payoff is fixed; trading in the contract stops the previous afternoon,
 *     which is the caller's concern, not the clock's.
 * If the expiry date has no session (an OCC date on a holiday should not happen; bad data might), the nominal
 * wall-clock time on that date is used rather than failing: the date is still the best estimate of expiry.
 *
 * Pass the root's settlement, e.g. `ROOT_INFO[parseOcc(sym).root].settlement`.
 */
import { sessionFor } from '../../domain/calendar.js';
import type { Settlement } from '../../domain/instruments.js';
import { nyTimeToMs } from '../../domain/time.js';

const MS_PER_YEAR = 365 * 24 * 3600 * 1000;

/** Epoch ms at which an option expiring on `expiry` (YYYY-MM-DD) stops accruing time value. */
export function expiryInstantMs(expiry: string, settlement: Settlement): number {
  const session = sessionFor(expiry);
  if (settlement === 'AM') return session ? session.open : nyTimeToMs(expiry, 9, 30);
  return session ? session.close : nyTimeToMs(expiry, 16, 0);
}

/** Years from event time `ts` (epoch ms) to the expiry instant; 0 once it has passed. */
export function yearFraction(ts: number, expiry: string, settlement: Settlement = 'PM'): number {
  return Math.max(0, (expiryInstantMs(expiry, settlement) - ts) / MS_PER_YEAR);
}
