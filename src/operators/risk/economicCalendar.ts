/**
 * EconomicCalendar: scheduled US macro releases (FOMC, CPI, NFP, …) for the halt windows, validated once with zod
 * when loaded (see `loadEconomicCalendar`).
 *
 * The file states its `coverage` (first and last date it claims to be complete for). A trading date outside the
 * coverage has no trustworthy list of releases, so risk allows no entries on it ('calendar-missing'): a stale
 * calendar fails closed instead of silently trading through an FOMC afternoon. Rows marked `uncertain` are dates
 * the source could not confirm (or where public schedules disagreed; both candidates are then listed).
 *
 * Times are America/New_York wall clock; `releasesOn` converts them with the offset in force that day (DST).
 */
import { z } from 'zod';
import { nyTimeToMs, parseIsoDate } from '../../domain/time.js';
import { ECONOMIC_EVENT_TYPES, type EconomicEventType } from './riskConfig.js';

const isoDate = z.string().refine(
  (s) => {
    try {
      parseIsoDate(s);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'want a calendar date YYYY-MM-DD' },
);

const nyTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'want HH:MM (New York time, 24 h)');

export const economicCalendarFileSchema = z
  .strictObject({
    /** Where the dates come from (agency schedules), for the user to re-check. */
    source: z.string().min(1),
    /** Inclusive range of dates the file is complete for. */
    coverage: z.strictObject({ from: isoDate, to: isoDate }),
    timezone: z.literal('America/New_York'),
    notes: z.array(z.string()).optional(),
    events: z.array(
      z.strictObject({
        date: isoDate,
        time: nyTime,
        type: z.enum(ECONOMIC_EVENT_TYPES),
        title: z.string().min(1),
        uncertain: z.boolean().optional(),
        note: z.string().optional(),
      }),
    ),
  })
  .superRefine((f, ctx) => {
    if (f.coverage.from > f.coverage.to) ctx.addIssue({ code: 'custom', message: 'coverage.from is after coverage.to', path: ['coverage'] });
    f.events.forEach((e, i) => {
      if (e.date < f.coverage.from || e.date > f.coverage.to) {
        ctx.addIssue({ code: 'custom', message: `event ${e.date} ${e.type} lies outside the coverage`, path: ['events', i, 'date'] });
      }
    });
  });

export type EconomicCalendarFile = z.output<typeof economicCalendarFileSchema>;

export interface Release {
  readonly date: string;
  readonly type: EconomicEventType;
  readonly title: string;
  /** HH:MM New York. */
  readonly time: string;
  /** Release instant, epoch ms. */
  readonly at: number;
  readonly uncertain: boolean;
}

export class EconomicCalendar {
  readonly source: string;
  readonly coverage: { readonly from: string; readonly to: string };
  private readonly byDate = new Map<string, Release[]>();
  readonly size: number;

  private constructor(file: EconomicCalendarFile) {
    this.source = file.source;
    this.coverage = { from: file.coverage.from, to: file.coverage.to };
    for (const e of file.events) {
      const [h, m] = e.time.split(':').map(Number) as [number, number];
      const r: Release = { date: e.date, type: e.type, title: e.title, time: e.time, at: nyTimeToMs(e.date, h, m), uncertain: e.uncertain === true };
      const list = this.byDate.get(e.date);
      if (list) list.push(r);
      else this.byDate.set(e.date, [r]);
    }
    for (const list of this.byDate.values()) list.sort((a, b) => a.at - b.at || a.type.localeCompare(b.type));
    this.size = file.events.length;
  }

  /** Validate parsed JSON; throws one error listing every problem. */
  static fromJson(json: unknown, origin = 'economic calendar'): EconomicCalendar {
    const r = economicCalendarFileSchema.safeParse(json);
    if (!r.success) {
      const problems = r.error.issues.map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
      throw new Error(`invalid ${origin}:\n${problems}`);
    }
    return new EconomicCalendar(r.data);
  }

  covers(date: string): boolean {
    return date >= this.coverage.from && date <= this.coverage.to;
  }

  /** Why `date` has no trustworthy release list, or null when it is covered. */
  missingReason(date: string): string | null {
    if (this.covers(date)) return null;
    return `economic calendar covers ${this.coverage.from}..${this.coverage.to}, not ${date}: update the calendar file (source: ${this.source})`;
  }

  releasesOn(date: string): readonly Release[] {
    return this.byDate.get(date) ?? [];
  }
}
