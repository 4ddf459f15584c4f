/**
 * Instruments: underlyings, option roots and OCC option symbols in Polygon (`O:SPXW250314C05700000`) and Tradier
 * (`SPXW250314C05700000`) forms.
 *
 * OCC body = ROOT (1–6 chars, not space-padded) + YYMMDD + C|P + strike×1000 as 8 digits. The root is everything
 * before the 6-digit date, so adjusted roots with digits (`AAPL1`) parse too.
 *
 * Settlement facts (Cboe / Nasdaq product specs): SPX and NDX monthlies are AM-settled (last trade the day before
 * expiry, settled on the opening print); SPXW and NDXP are PM-settled (trade until the close on expiry day); all
 * four are European and cash-settled. SPY and QQQ are American and physically settled.
 */
import { memoize } from './memo.js';

export type Underlying = 'SPX' | 'NDX' | 'SPY' | 'QQQ';
export type OptionRoot = 'SPX' | 'SPXW' | 'NDX' | 'NDXP' | 'SPY' | 'QQQ';
export type OptionRight = 'C' | 'P';

export const UNDERLYINGS: readonly Underlying[] = ['SPX', 'NDX', 'SPY', 'QQQ'];
export const OPTION_ROOTS: readonly OptionRoot[] = ['SPX', 'SPXW', 'NDX', 'NDXP', 'SPY', 'QQQ'];

/** Contract multiplier for every supported root. */
export const MULTIPLIER = 100;

export interface UnderlyingInfo {
  readonly underlying: Underlying;
  /** Polygon ticker for price data: `I:SPX` for indices, the plain ticker for ETFs. */
  readonly ticker: string;
  readonly isIndex: boolean;
  /** ETF whose trades and NBBO stand in for the index's microstructure (indices have no quotes or trades). */
  readonly proxy: 'SPY' | 'QQQ' | null;
  readonly roots: readonly OptionRoot[];
  /** Listed strike spacing near the money, used by the synthetic generator and strike windows. */
  readonly strikeStep: number;
}

export const UNDERLYING_INFO: Readonly<Record<Underlying, UnderlyingInfo>> = {
  SPX: { underlying: 'SPX', ticker: 'I:SPX', isIndex: true, proxy: 'SPY', roots: ['SPX', 'SPXW'], strikeStep: 5 },
  NDX: { underlying: 'NDX', ticker: 'I:NDX', isIndex: true, proxy: 'QQQ', roots: ['NDX', 'NDXP'], strikeStep: 10 },
  SPY: { underlying: 'SPY', ticker: 'SPY', isIndex: false, proxy: null, roots: ['SPY'], strikeStep: 1 },
  QQQ: { underlying: 'QQQ', ticker: 'QQQ', isIndex: false, proxy: null, roots: ['QQQ'], strikeStep: 1 },
};

export type Settlement = 'AM' | 'PM';
export type ExerciseStyle = 'european' | 'american';

export interface RootInfo {
  readonly root: OptionRoot;
  readonly underlying: Underlying;
  readonly settlement: Settlement;
  readonly style: ExerciseStyle;
  readonly cashSettled: boolean;
}

export const ROOT_INFO: Readonly<Record<OptionRoot, RootInfo>> = {
  SPX: { root: 'SPX', underlying: 'SPX', settlement: 'AM', style: 'european', cashSettled: true },
  SPXW: { root: 'SPXW', underlying: 'SPX', settlement: 'PM', style: 'european', cashSettled: true },
  NDX: { root: 'NDX', underlying: 'NDX', settlement: 'AM', style: 'european', cashSettled: true },
  NDXP: { root: 'NDXP', underlying: 'NDX', settlement: 'PM', style: 'european', cashSettled: true },
  SPY: { root: 'SPY', underlying: 'SPY', settlement: 'PM', style: 'american', cashSettled: false },
  QQQ: { root: 'QQQ', underlying: 'QQQ', settlement: 'PM', style: 'american', cashSettled: false },
};

export function isUnderlying(s: string): s is Underlying {
  return (UNDERLYINGS as readonly string[]).includes(s);
}

export function isOptionRoot(s: string): s is OptionRoot {
  return (OPTION_ROOTS as readonly string[]).includes(s);
}

/** Parsed OCC option contract. `root` is any OCC root; use `isOptionRoot` to check it is one we trade. */
export interface OptionContract {
  readonly root: string;
  /** Expiry date YYYY-MM-DD. */
  readonly expiry: string;
  readonly right: OptionRight;
  readonly strike: number;
}

const OCC_BODY = /^([A-Z][A-Z0-9]{0,5})(\d{2})(\d{2})(\d{2})([CP])(\d{8})$/;

/**
 * Parse an option symbol in Polygon (`O:` prefix) or Tradier form, or an OSI symbol with a space-padded root.
 * Throws with the offending symbol when it is not a valid OCC symbol. Memoised per symbol: a symbol always parses
 * to the same contract, and the same few hundred symbols are parsed on every quote path (chain, surface, risk,
 * broker); results are frozen, so sharing them is safe.
 */
export const parseOcc: (symbol: string) => OptionContract = memoize((symbol) => Object.freeze(parseOccUncached(symbol)), 100_000);

function parseOccUncached(symbol: string): OptionContract {
  const body = (symbol.startsWith('O:') ? symbol.slice(2) : symbol).replace(/ /g, '');
  const m = OCC_BODY.exec(body);
  if (!m) throw new Error(`not an OCC option symbol: ${JSON.stringify(symbol)}`);
  const [, root, yy, mm, dd, right, strike8] = m as unknown as [string, string, string, string, string, OptionRight, string];
  const month = Number(mm);
  const day = Number(dd);
  if (month < 1 || month > 12 || day < 1 || day > 31) throw new Error(`bad expiry date in option symbol ${symbol}`);
  const expiry = `20${yy}-${mm}-${dd}`;
  const check = new Date(`${expiry}T00:00:00Z`);
  if (Number.isNaN(check.getTime()) || check.getUTCDate() !== day) {
    throw new Error(`bad expiry date in option symbol ${symbol}`);
  }
  return { root, expiry, right, strike: Number(strike8) / 1000 };
}

/** Non-throwing variant for filters. */
export function tryParseOcc(symbol: string): OptionContract | null {
  try {
    return parseOcc(symbol);
  } catch {
    return null;
  }
}

/** OCC body without prefix, as Tradier wants it: `SPXW250314C05700000`. */
export function formatTradier(c: OptionContract): string {
  const milli = Math.round(c.strike * 1000);
  if (!Number.isFinite(milli) || milli < 0 || milli > 99_999_999) {
    throw new Error(`strike out of OCC range: ${c.strike}`);
  }
  if (!/^[A-Z][A-Z0-9]{0,5}$/.test(c.root)) throw new Error(`bad OCC root: ${JSON.stringify(c.root)}`);
  const m = /^20(\d{2})-(\d{2})-(\d{2})$/.exec(c.expiry);
  if (!m) throw new Error(`bad expiry (want 20YY-MM-DD): ${c.expiry}`);
  return `${c.root}${m[1]}${m[2]}${m[3]}${c.right}${String(milli).padStart(8, '0')}`;
}

/** Polygon form: `O:` + OCC body. */
export function formatPolygon(c: OptionContract): string {
  return `O:${formatTradier(c)}`;
}

/** Polygon option ticker → Tradier option symbol, and back. */
export function polygonToTradier(symbol: string): string {
  return formatTradier(parseOcc(symbol));
}

export function tradierToPolygon(symbol: string): string {
  return formatPolygon(parseOcc(symbol));
}

/** Underlying of a root we trade. */
export function underlyingOfRoot(root: OptionRoot): Underlying {
  return ROOT_INFO[root].underlying;
}

/**
 * Minimum price increment for an option premium. SPX/SPXW/NDX/NDXP: 0.05 below $3.00, 0.10 at or above;
 * SPY and QQQ are in the penny program: 0.01 at every price.
 */
export function tickSize(root: OptionRoot, price: number): number {
  switch (root) {
    case 'SPX':
    case 'SPXW':
    case 'NDX':
    case 'NDXP':
      return price < 3 ? 0.05 : 0.1;
    case 'SPY':
    case 'QQQ':
      return 0.01;
  }
}

/** Round a premium to its tick: 'down' for buys' limits that must not overpay, 'up' for sells, 'nearest' otherwise. */
export function roundToTick(root: OptionRoot, price: number, mode: 'down' | 'up' | 'nearest' = 'nearest'): number {
  let tick = tickSize(root, price);
  const f = mode === 'down' ? Math.floor : mode === 'up' ? Math.ceil : Math.round;
  // Work in integer cents so 0.1 + 0.2 style float error cannot put a price off tick.
  let cents = f(Math.round(price * 1e6) / 1e4 / (tick * 100)) * Math.round(tick * 100);
  // Crossing the $3 boundary changes the tick; re-snap on the new grid.
  tick = tickSize(root, cents / 100);
  const t = Math.round(tick * 100);
  if (cents % t !== 0) cents = f(cents / t) * t;
  return cents / 100;
}

/** True when the price sits on its tick grid (within float noise). */
export function isOnTick(root: OptionRoot, price: number): boolean {
  const cents = Math.round(price * 100);
  if (Math.abs(cents - price * 100) > 1e-6) return false;
  return cents % Math.round(tickSize(root, price) * 100) === 0;
}
