/**
 * checkOrder: the pre-trade checks (SEC 15c3-5 style, scaled to one account) for one OrderIntent against the
 * RiskBook, in a fixed order; the first failure is the verdict, with a stable reason code (`RISK_REASONS`) and a
 * human detail.
 *
 * Sides: only `buy_to_open` entries and `sell_to_close` exits exist; a sell larger than the long contracts not
 * already committed to working exits is refused, so the system can never go naked short.
 *
 * Entries pass every check. Exits (reducing risk) are allowed in REDUCING, ignore session, calendar, halt-window,
 * exposure, size and rate limits, and are never blocked by stale data ("exits always work"); they are still
 * refused in HALTED (the kill switch's FlattenAll is then the exit path), must be on tick, and must sit inside the
 * collar whenever a fresh two-sided quote exists.
 *
 * Pure: reads its arguments only; `now` is event time.
 */
import { hasExpiry, lastTradeTime } from '../../domain/expirations.js';
import { isOnTick, isOptionRoot, MULTIPLIER, ROOT_INFO, tryParseOcc } from '../../domain/instruments.js';
import type { OrderIntent, TradingStateName } from '../../domain/orders.js';
import { parseIsoDate } from '../../domain/time.js';
import { activeHaltWindow, type DayPlan } from './dayPlan.js';
import { clusterOfUnderlying, type RiskBook } from './riskBook.js';
import type { RiskConfig } from './riskConfig.js';

export const RISK_REASONS = [
  'side-not-allowed',
  'duplicate-intent',
  'halted',
  'reducing',
  'invalid-order',
  'instrument-not-allowed',
  'instrument-mismatch',
  'expiry-not-allowed',
  'exceeds-position',
  'off-tick',
  'outside-session',
  'calendar-missing',
  'entry-cutoff',
  'halt-window',
  'order-state-unknown',
  'stale-data',
  'not-on-chain',
  'no-market',
  'price-collar',
  'max-contracts',
  'max-premium',
  'max-positions-underlying',
  'max-positions-total',
  'max-premium-at-risk',
  'max-trades-per-day',
  'order-rate',
  'cancel-rate',
] as const;
export type RiskReason = (typeof RISK_REASONS)[number];

/** Denials that mean a malformed order (a bug upstream), not policy working as intended: they feed the storm detector. */
export const STORM_REASONS: ReadonlySet<RiskReason> = new Set<RiskReason>([
  'side-not-allowed',
  'duplicate-intent',
  'invalid-order',
  'instrument-not-allowed',
  'instrument-mismatch',
  'expiry-not-allowed',
  'exceeds-position',
  'off-tick',
  'price-collar',
  'max-contracts',
  'max-premium',
]);

export type Verdict = { readonly ok: true } | { readonly ok: false; readonly reason: RiskReason; readonly detail?: string };

export interface CheckContext {
  readonly now: number;
  readonly state: TradingStateName;
  readonly day: DayPlan;
}

const OK: Verdict = { ok: true };
const DAY_MS = 86_400_000;

function deny(reason: RiskReason, detail?: string): Verdict {
  return detail === undefined ? { ok: false, reason } : { ok: false, reason, detail };
}

function daysBetween(from: string, to: string): number {
  const [y1, m1, d1] = parseIsoDate(from);
  const [y2, m2, d2] = parseIsoDate(to);
  return Math.round((Date.UTC(y2, m2 - 1, d2) - Date.UTC(y1, m1 - 1, d1)) / DAY_MS);
}

/** Collar tolerance around the NBBO, per share. */
export function collarTolerance(bid: number, ask: number, config: RiskConfig): number {
  return Math.max(config.order.collarMinAbs, config.order.collarPct * ((bid + ask) / 2));
}

export function checkOrder(intent: OrderIntent, book: RiskBook, config: RiskConfig, ctx: CheckContext): Verdict {
  const { now, day } = ctx;
  const side: string = intent.side;
  if (side !== 'buy_to_open' && side !== 'sell_to_close') {
    return deny('side-not-allowed', `side ${JSON.stringify(side)}: only buy_to_open and sell_to_close are allowed`);
  }
  const entry = side === 'buy_to_open';
  if (book.seenIntentIds.has(intent.id)) return deny('duplicate-intent', `intent id ${intent.id} already seen`);
  if (ctx.state === 'HALTED') return deny('halted', 'trading is HALTED: no orders');
  if (ctx.state === 'REDUCING' && entry) return deny('reducing', 'trading is REDUCING: exits only');

  if (!Number.isInteger(intent.quantity) || intent.quantity < 1) return deny('invalid-order', `quantity ${intent.quantity}`);
  if (!Number.isFinite(intent.limitPrice) || intent.limitPrice <= 0) return deny('invalid-order', `limit price ${intent.limitPrice}`);

  const c = tryParseOcc(intent.optionSymbol);
  if (c === null) return deny('instrument-not-allowed', `${intent.optionSymbol} is not an OCC option symbol`);
  if (!isOptionRoot(c.root) || !config.allowedRoots.includes(c.root)) {
    return deny('instrument-not-allowed', `root ${c.root} is not in risk.allowedRoots`);
  }
  const root = c.root;
  if (
    intent.root !== root ||
    ROOT_INFO[root].underlying !== intent.underlying ||
    intent.expiry !== c.expiry ||
    intent.right !== c.right ||
    Math.abs(intent.strike - c.strike) > 1e-9
  ) {
    return deny('instrument-mismatch', `intent fields (${intent.underlying} ${intent.root} ${intent.expiry} ${intent.right} ${intent.strike}) disagree with ${intent.optionSymbol}`);
  }

  if (entry) {
    if (day.session === null || now < day.entryOpen || now >= day.session.close) {
      return deny('outside-session', day.session === null ? `${day.date} is not a trading day` : 'outside the entry hours of the session');
    }
    if (day.calendarMissing !== null) return deny('calendar-missing', day.calendarMissing);
    if (now >= day.entryCutoff) {
      return deny('entry-cutoff', `no entries in the last ${config.session.noEntryMinutesBeforeClose} minutes before the close`);
    }
    const w = activeHaltWindow(day, now);
    if (w !== null) return deny('halt-window', w.label);
    if (book.unknownOrders.size > 0) {
      return deny('order-state-unknown', `order state unknown for ${[...book.unknownOrders].join(', ')}: no entries until reconciled`);
    }
  }

  if (!entry) {
    const sellable = book.sellableQty(intent.optionSymbol);
    if (intent.quantity > sellable) {
      return deny('exceeds-position', `sell ${intent.quantity} > ${Math.max(0, sellable)} long contracts not already being sold (no naked shorts)`);
    }
  } else {
    const dte = daysBetween(day.date, c.expiry);
    if (dte < config.expiryDays.min || dte > config.expiryDays.max) {
      return deny('expiry-not-allowed', `expiry ${c.expiry} is ${dte} days out; allowed ${config.expiryDays.min}..${config.expiryDays.max}`);
    }
    if (!hasExpiry(root, c.expiry)) return deny('expiry-not-allowed', `${root} has no series expiring ${c.expiry}`);
    if (lastTradeTime(root, c.expiry) <= now) return deny('expiry-not-allowed', `${root} ${c.expiry} has stopped trading`);
  }

  if (!isOnTick(root, intent.limitPrice)) return deny('off-tick', `limit ${intent.limitPrice} is off the ${root} tick grid`);

  // Fresh-data gate (entries) and price collar.
  const q = book.optionQuotes.get(intent.optionSymbol);
  const optionFresh = q !== undefined && now - q.ts <= config.freshness.optionMaxAgeMs && book.feedLive('options');
  if (entry) {
    if (!book.feedLive('options')) return deny('stale-data', 'options feed is not LIVE');
    const uc = clusterOfUnderlying(intent.underlying);
    if (!book.feedLive(uc)) return deny('stale-data', `${uc} feed is not LIVE`);
    if (q === undefined) return deny('not-on-chain', `no quote ever seen for ${intent.optionSymbol}`);
    if (!optionFresh) return deny('stale-data', `option quote is ${Math.round(now - q.ts)} ms old (max ${config.freshness.optionMaxAgeMs})`);
    const uts = book.underlyingTs.get(intent.underlying);
    if (uts === undefined) return deny('stale-data', `no ${intent.underlying} price seen`);
    if (now - uts > config.freshness.underlyingMaxAgeMs) {
      return deny('stale-data', `${intent.underlying} price is ${Math.round(now - uts)} ms old (max ${config.freshness.underlyingMaxAgeMs})`);
    }
    if (!(q.bid > 0 && q.ask > 0 && q.ask >= q.bid)) return deny('no-market', `no two-sided market (bid ${q.bid}, ask ${q.ask})`);
  }
  if (q !== undefined && optionFresh && q.bid > 0 && q.ask > 0 && q.ask >= q.bid) {
    const tol = collarTolerance(q.bid, q.ask, config);
    if (intent.limitPrice < q.bid - tol - 1e-9 || intent.limitPrice > q.ask + tol + 1e-9) {
      return deny('price-collar', `limit ${intent.limitPrice} outside [${(q.bid - tol).toFixed(2)}, ${(q.ask + tol).toFixed(2)}] (NBBO ${q.bid}/${q.ask})`);
    }
  }

  if (entry) {
    if (intent.quantity > config.order.maxContracts) return deny('max-contracts', `${intent.quantity} > ${config.order.maxContracts} contracts`);
    const premium = intent.quantity * intent.limitPrice * MULTIPLIER;
    if (premium > config.order.maxPremium + 1e-6) return deny('max-premium', `premium $${premium.toFixed(2)} > $${config.order.maxPremium}`);
  }

  const last = book.lastApproval.get(`${intent.optionSymbol}|${side}`);
  if (last !== undefined && now - last < config.duplicateWindowMs) {
    return deny('duplicate-intent', `${side} ${intent.optionSymbol} approved ${Math.round(now - last)} ms ago`);
  }

  if (!entry) return OK;

  const p = config.positions;
  const underlyingSymbols = book.exposureSymbols(intent.underlying);
  if (!underlyingSymbols.has(intent.optionSymbol)) {
    if (underlyingSymbols.size + 1 > p.maxPerUnderlying) {
      return deny('max-positions-underlying', `${underlyingSymbols.size} ${intent.underlying} positions open or working (max ${p.maxPerUnderlying})`);
    }
    const total = book.exposureSymbols().size;
    if (total + 1 > p.maxTotal) return deny('max-positions-total', `${total} positions open or working (max ${p.maxTotal})`);
  }
  const atRisk = book.premiumAtRisk() + intent.quantity * intent.limitPrice * MULTIPLIER;
  if (atRisk > p.maxPremiumAtRisk + 1e-6) return deny('max-premium-at-risk', `premium at risk would be $${atRisk.toFixed(2)} (max $${p.maxPremiumAtRisk})`);
  if (book.tradesToday >= config.maxTradesPerDay) return deny('max-trades-per-day', `${book.tradesToday} entries today (max ${config.maxTradesPerDay})`);
  if (book.orderRate.count(now) >= config.orderRate.max) {
    return deny('order-rate', `${config.orderRate.max} orders in the last ${config.orderRate.windowMs} ms`);
  }
  if (book.entryCancels.count(now) >= config.cancelRate.max) {
    return deny('cancel-rate', `${config.cancelRate.max} entry cancels in the last ${config.cancelRate.windowMs} ms`);
  }
  return OK;
}
