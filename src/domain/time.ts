/**
 * Time at the edges: nanosecond stamps → epoch-ms floats, and America/New_York wall clock ↔ UTC via Intl.
 *
 * Flat files and REST stamp nanoseconds (≈1.7e18, beyond 2^53); a double cannot hold them exactly, so the
 * conversion splits into whole milliseconds and the nanosecond remainder in BigInt before going to float. The
 * result keeps sub-microsecond precision (a double near 1.7e12 ms resolves ≈0.24 µs).
 */
import { memoize } from './memo.js';

const NS_PER_MS = 1_000_000n;

/** Nanoseconds since the epoch (BigInt, or its decimal string) → epoch milliseconds as a float. */
export function nsToMs(ns: bigint | string): number {
  const v = typeof ns === 'bigint' ? ns : parseNs(ns);
  const whole = v / NS_PER_MS;
  const rem = v % NS_PER_MS;
  return Number(whole) + Number(rem) / 1e6;
}

function parseNs(s: string): bigint {
  if (!/^-?\d+$/.test(s)) throw new Error(`not a nanosecond timestamp: ${JSON.stringify(s)}`);
  return BigInt(s);
}

/** Epoch ms → nanoseconds (BigInt), rounded to the nearest nanosecond. */
export function msToNs(ms: number): bigint {
  const whole = Math.floor(ms);
  const frac = Math.round((ms - whole) * 1e6);
  return BigInt(whole) * NS_PER_MS + BigInt(frac);
}

export const NY_TZ = 'America/New_York';

const nyParts = new Intl.DateTimeFormat('en-US', {
  timeZone: NY_TZ,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  weekday: 'short',
});

export interface NyWallClock {
  /** YYYY-MM-DD in New York. */
  readonly date: string;
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekday: number;
  /** Minutes since New York midnight, fractional. */
  readonly minuteOfDay: number;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

function wallClock(ms: number, year: number, month: number, day: number, hour: number, minute: number, second: number, weekday: number): NyWallClock {
  const subSecond = ms / 1000 - Math.floor(ms / 1000);
  return {
    date: `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`,
    year,
    month,
    day,
    hour,
    minute,
    second,
    weekday,
    minuteOfDay: hour * 60 + minute + (second + subSecond) / 60,
  };
}

/** Epoch ms → New York wall clock, straight from Intl (the reference `toNy` is checked against). */
export function toNyIntl(ms: number): NyWallClock {
  const p: Record<string, string> = {};
  for (const part of nyParts.formatToParts(new Date(Math.floor(ms)))) p[part.type] = part.value;
  return wallClock(ms, Number(p.year), Number(p.month), Number(p.day), Number(p.hour), Number(p.minute), Number(p.second), WEEKDAYS[p.weekday ?? ''] ?? -1);
}

function intlOffsetMinutes(ms: number): number {
  const w = toNyIntl(ms);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

/*
 * Intl is slow (microseconds and several objects per call) and toNy runs on hot paths (pricing, sessions, the
 * recorder). New York's offset only changes on a whole UTC hour (DST switches at 02:00 local), so it is looked up
 * once per UTC hour and cached; an hour whose two ends disagree (no such hour since the 1880s) is never cached
 * and goes to Intl every time. The result equals toNyIntl for every instant (property-tested).
 */
const HOUR_MS = 3_600_000;
const offsetOfHour = memoize((h: number): number | null => {
  const a = intlOffsetMinutes(h * HOUR_MS);
  const b = intlOffsetMinutes(h * HOUR_MS + HOUR_MS - 1);
  return a === b ? a * 60_000 : null;
}, 50_000);

function cachedOffsetMs(ms: number): number | null {
  return offsetOfHour(Math.floor(ms / HOUR_MS));
}

/** Epoch ms → New York wall clock. */
export function toNy(ms: number): NyWallClock {
  const off = cachedOffsetMs(ms);
  if (off === null) return toNyIntl(ms);
  const d = new Date(Math.floor(ms) + off);
  return wallClock(ms, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCDay());
}

/** New York offset from UTC in minutes at a UTC instant (−300 in winter, −240 in summer). */
export function nyOffsetMinutes(ms: number): number {
  const off = cachedOffsetMs(ms);
  return off === null ? intlOffsetMinutes(ms) : off / 60_000;
}

/**
 * New York wall-clock time on a date → epoch ms. Uses the offset in force at that wall time, so 09:30 on the
 * Monday after the spring DST change is 13:30 UTC and on the Friday before it 14:30 UTC.
 */
export function nyTimeToMs(date: string, hour: number, minute = 0, second = 0): number {
  const [y, m, d] = parseIsoDate(date);
  const naive = Date.UTC(y, m - 1, d, hour, minute, second);
  // Two passes settle the offset even when the first guess lands on the other side of a DST change.
  let guess = naive + 5 * 3_600_000;
  for (let i = 0; i < 2; i++) guess = naive - nyOffsetMinutes(guess) * 60_000;
  return guess;
}

/** Strict YYYY-MM-DD → [year, month, day]; throws naming the bad input. */
export function parseIsoDate(date: string): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`not a date (want YYYY-MM-DD): ${JSON.stringify(date)}`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) {
    throw new Error(`not a calendar date: ${date}`);
  }
  return [y, mo, d];
}

/** Day of week (0 = Sunday) of a YYYY-MM-DD date. */
export function weekdayOf(date: string): number {
  const [y, m, d] = parseIsoDate(date);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** YYYY-MM-DD plus n calendar days. */
export function addDays(date: string, n: number): string {
  const [y, m, d] = parseIsoDate(date);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}
