/**
 * planDay: the event-time boundaries risk needs for one New York trading date, computed once per date so the
 * per-event checks are plain comparisons (no Intl calls on the hot path).
 *
 * - Session from the NYSE calendar (`sessionFor`: holidays, 13:00 early closes, DST via nyTimeToMs).
 * - Entries allowed in [open + noEntryMinutesAfterOpen, close − noEntryMinutesBeforeClose).
 * - 0DTE flatten at close − flattenMinutesBeforeClose (15:50 ET; 12:50 on early-close days).
 * - Halt windows [release − before, release + after) for each release on the date the calendar lists.
 * - `calendarMissing` says why the economic calendar cannot vouch for the date (no calendar loaded, or the date is
 *   outside its coverage); entries are then refused.
 */
import { sessionFor, type Session } from '../../domain/calendar.js';
import { addDays, nyTimeToMs } from '../../domain/time.js';
import type { EconomicCalendar } from './economicCalendar.js';
import type { EconomicEventType, RiskConfig } from './riskConfig.js';

export interface HaltWindow {
  readonly type: EconomicEventType;
  readonly label: string;
  readonly start: number;
  readonly end: number;
  readonly release: number;
  readonly uncertain: boolean;
}

export interface DayPlan {
  readonly date: string;
  /** NY midnight starting the date, and the next one (epoch ms). */
  readonly dayStart: number;
  readonly dayEnd: number;
  readonly session: Session | null;
  /** NaN when there is no session. */
  readonly entryOpen: number;
  readonly entryCutoff: number;
  readonly flattenAt: number;
  readonly calendarMissing: string | null;
  readonly windows: readonly HaltWindow[];
}

const MIN = 60_000;

export function planDay(date: string, config: RiskConfig, calendar: EconomicCalendar | null): DayPlan {
  const dayStart = nyTimeToMs(date, 0, 0);
  const dayEnd = nyTimeToMs(addDays(date, 1), 0, 0);
  const session = sessionFor(date);
  const s = config.session;
  const entryOpen = session ? session.open + s.noEntryMinutesAfterOpen * MIN : Number.NaN;
  const entryCutoff = session ? session.close - s.noEntryMinutesBeforeClose * MIN : Number.NaN;
  const flattenAt = session ? session.close - s.flattenMinutesBeforeClose * MIN : Number.NaN;
  const calendarMissing =
    calendar === null ? 'no economic calendar loaded: entries are refused until one is (see risk.calendarFile)' : calendar.missingReason(date);
  const windows: HaltWindow[] = [];
  if (calendar !== null && calendarMissing === null) {
    for (const r of calendar.releasesOn(date)) {
      if (r.uncertain && !config.haltWindows.includeUncertain) continue;
      const w = config.haltWindows.windows[r.type];
      if (w.beforeMin === 0 && w.afterMin === 0) continue;
      windows.push({
        type: r.type,
        label: `${r.title} ${r.time} ET${r.uncertain ? ' (date unconfirmed)' : ''}`,
        start: r.at - w.beforeMin * MIN,
        end: r.at + w.afterMin * MIN,
        release: r.at,
        uncertain: r.uncertain,
      });
    }
  }
  return { date, dayStart, dayEnd, session, entryOpen, entryCutoff, flattenAt, calendarMissing, windows };
}

/** The halt window containing `now`, or null. */
export function activeHaltWindow(plan: DayPlan, now: number): HaltWindow | null {
  for (const w of plan.windows) if (now >= w.start && now < w.end) return w;
  return null;
}
