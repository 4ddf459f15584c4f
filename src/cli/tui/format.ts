/**
 * Text formatting for the panels: fixed-width cells, New York times, null/NaN shown as "—" (null means "not known
 * yet", never 0).
 */
import { NY_TZ } from '../../domain/time.js';

const nyTime = new Intl.DateTimeFormat('en-US', { timeZone: NY_TZ, hourCycle: 'h23', hour: '2-digit', minute: '2-digit', second: '2-digit' });

export const DASH = '—';

/** toFixed with thousands separators (toLocaleString is an ICU call: too slow for ten frames a second). */
function grouped(x: number, digits: number): string {
  const s = Math.abs(x).toFixed(digits);
  const dot = s.indexOf('.');
  const int = dot < 0 ? s : s.slice(0, dot);
  const g = int.length > 3 ? int.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : int;
  return (x < 0 && /[1-9]/.test(s) ? '-' : '') + g + (dot < 0 ? '' : s.slice(dot));
}

const timeCache = new Map<number, string>();

export const fmt = {
  /** HH:MM:SS New York time. */
  time(ts: number | null): string {
    if (ts === null || !Number.isFinite(ts)) return DASH;
    const sec = Math.floor(ts / 1000);
    let t = timeCache.get(sec);
    if (t === undefined) {
      if (timeCache.size > 1000) timeCache.clear();
      t = nyTime.format(new Date(sec * 1000));
      timeCache.set(sec, t);
    }
    return t;
  },
  num(x: number | null | undefined, digits = 2): string {
    if (x === null || x === undefined || !Number.isFinite(x)) return DASH;
    return grouped(x, digits);
  },
  int(x: number | null | undefined): string {
    return x === null || x === undefined || !Number.isFinite(x) ? DASH : grouped(Math.round(x), 0);
  },
  /** Annual decimal vol → percent. */
  pct(x: number | null | undefined, digits = 1): string {
    return x === null || x === undefined || !Number.isFinite(x) ? DASH : `${(x * 100).toFixed(digits)}%`;
  },
  /** Signed dollars. */
  money(x: number | null | undefined): string {
    if (x === null || x === undefined || !Number.isFinite(x)) return DASH;
    const s = grouped(Math.abs(x), 2);
    return `${x < 0 ? '-' : '+'}$${s}`;
  },
  /** Duration in ms → "12s", "4m05s", "1h02m". */
  age(ms: number | null): string {
    if (ms === null || !Number.isFinite(ms)) return DASH;
    const s = Math.max(0, Math.floor(ms / 1000));
    if (s < 60) return `${s}s`;
    if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
    return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  },
};

/** Fixed-width cell: right-aligned by default, truncated with … when too long. */
export function cell(text: string, width: number, align: 'left' | 'right' = 'right'): string {
  const t = text.length > width ? text.slice(0, Math.max(0, width - 1)) + '…' : text;
  return align === 'left' ? t.padEnd(width) : t.padStart(width);
}

/** `O:SPY250310C00570000` → `SPY 250310 C570`. */
export function shortOption(symbol: string): string {
  const m = /^O:([A-Z]+)(\d{6})([CP])(\d{8})$/.exec(symbol);
  if (!m) return symbol || DASH;
  const strike = Number(m[4]) / 1000;
  return `${m[1]} ${m[2]} ${m[3]}${strike % 1 === 0 ? strike.toFixed(0) : strike}`;
}

/** Bracket id `vwapReversion-SPY-1741624851000-1` → `SPY vwapReversion #1` (other ids unchanged). */
export function shortOrderId(id: string): string {
  const m = /^(.+)-([A-Z]+)-\d{10,}-(\d+)$/.exec(id);
  return m ? `${m[2]} ${m[1]} #${m[3]}` : id;
}
