/**
 * Option universe roller: which option contracts the options socket should carry — `strikesEachSide` strikes on
 * each side of the money (plus the ATM strike), calls and puts, for the 0DTE expiry (PM root: SPXW, NDXP, SPY,
 * QQQ) and the next expiry — as the underlying moves. Polygon has no wildcard for option quotes and allows 1,000
 * contracts per connection, so the window must roll.
 *
 * `onPrice(underlying, price, date)` returns the change to apply (null when nothing changes): contracts to
 * unsubscribe FIRST and contracts to subscribe after, so the connection never holds old + new together. The
 * window re-centres only when the price has moved `recenterStrikes` strikes from the current centre (hysteresis:
 * a price oscillating around a strike boundary does not churn subscriptions). Strikes are on the listed grid
 * (`UNDERLYING_INFO.strikeStep`, or `strikeStep` per underlying); `listed` (from a chain snapshot) restricts the
 * grid to strikes that exist.
 *
 * For replay parity the window must lie inside the replay catalog's (`replay.strikeWindowPct` around the day's
 * range, `replay.expiries` ≥ 2): keep strikesEachSide × step well under that percentage of the price.
 */
import { UNDERLYING_INFO, formatPolygon, type OptionRoot, type Underlying } from '../../domain/instruments.js';
import { addDays, nyTimeToMs } from '../../domain/time.js';
import { hasExpiry, nextExpiry, zeroDteRoot } from '../../domain/expirations.js';
import { ROOT_INFO } from '../../domain/instruments.js';

export interface RollerOptions {
  readonly strikesEachSide?: number;
  readonly recenterStrikes?: number;
  readonly strikeStep?: Partial<Record<Underlying, number>>;
  /** Channels per contract (default quotes and trades). */
  readonly channels?: readonly ('Q' | 'T')[];
}

export interface UniverseChange {
  readonly underlying: Underlying;
  readonly unsubscribe: readonly string[];
  readonly subscribe: readonly string[];
  readonly center: number;
  readonly expiries: readonly string[];
}

interface State {
  center: number;
  date: string;
  /** Epoch ms of the New York midnight ending `date`: from then on the window must roll to the new expiries. */
  dayEnd: number;
  topics: Set<string>;
}

/** The PM-settled root trading each expiry: 0DTE root today, else the weekly root. */
function pmRoot(u: Underlying): OptionRoot {
  const roots = UNDERLYING_INFO[u].roots.filter((r) => ROOT_INFO[r].settlement === 'PM');
  return roots[0] ?? UNDERLYING_INFO[u].roots[0]!;
}

/** [0DTE (or the first expiry on/after `date`), next] for the PM root. */
export function rollerExpiries(u: Underlying, date: string): { root: OptionRoot; expiries: string[] } {
  const root = zeroDteRoot(u, date) ?? pmRoot(u);
  const first = hasExpiry(root, date) ? date : nextExpiry(root, date);
  const second = nextExpiry(root, addDays(first, 1));
  return { root, expiries: [first, second] };
}

export class OptionUniverseRoller {
  private readonly state = new Map<Underlying, State>();
  private readonly listed = new Map<Underlying, readonly number[]>();
  readonly strikesEachSide: number;
  readonly recenterStrikes: number;
  private readonly channels: readonly ('Q' | 'T')[];

  constructor(private readonly opts: RollerOptions = {}) {
    this.strikesEachSide = opts.strikesEachSide ?? 10;
    this.recenterStrikes = opts.recenterStrikes ?? 2;
    this.channels = opts.channels ?? ['Q', 'T'];
  }

  step(u: Underlying): number {
    return this.opts.strikeStep?.[u] ?? UNDERLYING_INFO[u].strikeStep;
  }

  /** Listed strikes (e.g. from a chain snapshot); the window then uses only these. */
  setListedStrikes(u: Underlying, strikes: readonly number[]): void {
    this.listed.set(u, [...new Set(strikes)].sort((a, b) => a - b));
  }

  /**
   * Cheap check for the hot path (no date formatting): would a price at event time `ts` move the window — a new
   * underlying, a move beyond the hysteresis band, or a new New York day (new expiries)? The same rule as onPrice.
   */
  wouldMove(u: Underlying, price: number, ts: number): boolean {
    const s = this.state.get(u);
    return s === undefined || ts >= s.dayEnd || Math.abs(price - s.center) >= this.recenterStrikes * this.step(u);
  }

  /** `force`: rebuild the window even inside the hysteresis band (after new listed strikes). */
  onPrice(u: Underlying, price: number, date: string, force = false): UniverseChange | null {
    if (!(price > 0)) return null;
    const s = this.state.get(u);
    const step = this.step(u);
    if (!force && s !== undefined && s.date === date && Math.abs(price - s.center) < this.recenterStrikes * step) return null;
    const atm = Math.round(price / step) * step;
    const { root, expiries } = rollerExpiries(u, date);
    const strikes = this.window(u, atm, step);
    const topics = new Set<string>();
    for (const expiry of expiries) {
      for (const strike of strikes) {
        for (const right of ['C', 'P'] as const) {
          const sym = formatPolygon({ root, expiry, right, strike });
          for (const ch of this.channels) topics.add(`${ch}.${sym}`);
        }
      }
    }
    const old = s?.topics ?? new Set<string>();
    const unsubscribe = [...old].filter((t) => !topics.has(t));
    const subscribe = [...topics].filter((t) => !old.has(t));
    this.state.set(u, { center: atm, date, dayEnd: s?.date === date ? s.dayEnd : nyTimeToMs(addDays(date, 1), 0), topics });
    if (unsubscribe.length === 0 && subscribe.length === 0) return null;
    return { underlying: u, unsubscribe, subscribe, center: atm, expiries };
  }

  private window(u: Underlying, atm: number, step: number): number[] {
    const n = this.strikesEachSide;
    const listed = this.listed.get(u);
    if (listed && listed.length) {
      let i = 0;
      let best = Infinity;
      listed.forEach((k, j) => {
        if (Math.abs(k - atm) < best) {
          best = Math.abs(k - atm);
          i = j;
        }
      });
      return listed.slice(Math.max(0, i - n), i + n + 1);
    }
    const out: number[] = [];
    for (let k = -n; k <= n; k++) {
      const strike = Math.round((atm + k * step) * 1000) / 1000;
      if (strike > 0) out.push(strike);
    }
    return out;
  }
}
