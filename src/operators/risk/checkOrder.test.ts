import { describe, expect, it } from 'vitest';
import { nyTimeToMs } from '../../domain/time.js';
import type { OrderIntent } from '../../domain/orders.js';
import { RISK_REASONS, type RiskReason } from './checkOrder.js';
import type { RiskConfigInput } from './riskConfig.js';
import type { RiskInput, RiskOutput } from './riskEvents.js';
import { testRisk as R } from './testRisk.js';

const T = R.T;
const fresh = (ts: number, symbols: readonly string[] = [R.SPXW]): RiskInput[] => [
  ...R.underlyings(ts),
  ...symbols.map((s) => (s.includes('SPXW') ? R.optionQuote(s, ts, 4.0, 4.2) : R.optionQuote(s, ts, 2.0, 2.04))),
];

interface Case {
  readonly name: string;
  readonly config?: RiskConfigInput;
  readonly calendarless?: boolean;
  /** Events before the intent under test (default: fresh data at T − 100 ms). */
  readonly before?: (t: number) => RiskInput[];
  readonly intent: (t: number) => OrderIntent;
  readonly at?: number;
  /** 'approved' or the exact denial reason. */
  readonly want: 'approved' | RiskReason;
}

function verdict(outs: RiskOutput[], intent: OrderIntent): 'approved' | string {
  const mine = outs.filter((o) => (o.type === 'OrderIntent' && o.id === intent.id) || (o.type === 'OrderDenied' && o.intentId === intent.id));
  expect(mine).toHaveLength(1);
  const o = mine[0]!;
  return o.type === 'OrderIntent' ? 'approved' : o.type === 'OrderDenied' ? o.reason : 'other';
}

/** An entry on another SPX option, approved first, so exposure limits have something to count. */
const otherEntry = (t: number): RiskInput[] => [...fresh(t, [R.SPXW, R.SPXW_PUT]), R.intent(R.SPXW_PUT, t)];

const cases: Case[] = [
  { name: 'a clean SPXW 0DTE entry', intent: (t) => R.intent(R.SPXW, t), want: 'approved' },
  { name: 'SPY entry (penny ticks)', before: (t) => fresh(t, [R.SPY]), intent: (t) => R.intent(R.SPY, t, { limitPrice: 2.03 }), want: 'approved' },
  { name: 'sell_to_open (naked short)', intent: (t) => R.intent(R.SPXW, t, { side: 'sell_to_open' as never }), want: 'side-not-allowed' },
  { name: 'buy_to_close', intent: (t) => R.intent(R.SPXW, t, { side: 'buy_to_close' as never }), want: 'side-not-allowed' },
  {
    name: 'the same intent id twice',
    before: (t) => [...fresh(t), R.intent(R.SPXW, t, { id: 'dup-1' })],
    intent: (t) => R.intent(R.SPXW_PUT, t, { id: 'dup-1' }),
    want: 'duplicate-intent',
  },
  {
    name: 'same symbol and side again inside the duplicate window',
    config: { positions: { maxPremiumAtRisk: 100_000 } },
    before: (t) => [...fresh(t), R.intent(R.SPXW, t - 50)],
    intent: (t) => R.intent(R.SPXW, t),
    want: 'duplicate-intent',
  },
  {
    name: 'same symbol and side after the duplicate window',
    config: { duplicateWindowMs: 1_000, positions: { maxPremiumAtRisk: 100_000 } },
    before: (t) => [...fresh(t - 1_500), R.intent(R.SPXW, t - 1_500), ...fresh(t)],
    intent: (t) => R.intent(R.SPXW, t),
    want: 'approved',
  },
  {
    name: 'any order while HALTED',
    before: (t) => [...fresh(t), { type: 'KillSwitch', ts: t, source: 'manual', reason: 'test' }],
    intent: (t) => R.intent(R.SPXW, t),
    want: 'halted',
  },
  {
    name: 'an entry while REDUCING',
    before: (t) => [...fresh(t), { type: 'TradingControl', ts: t, command: 'reduce', reason: 'test' }],
    intent: (t) => R.intent(R.SPXW, t),
    want: 'reducing',
  },
  {
    name: 'an exit while REDUCING',
    before: (t) => [
      ...fresh(t),
      R.report('x', R.SPXW, 'entry', t, 2, 4.1),
      { type: 'TradingControl', ts: t, command: 'reduce', reason: 'test' },
    ],
    intent: (t) => R.intent(R.SPXW, t, { side: 'sell_to_close', quantity: 2, limitPrice: 4.0 }),
    want: 'approved',
  },
  { name: 'zero quantity', intent: (t) => R.intent(R.SPXW, t, { quantity: 0 }), want: 'invalid-order' },
  { name: 'fractional quantity', intent: (t) => R.intent(R.SPXW, t, { quantity: 1.5 }), want: 'invalid-order' },
  { name: 'negative limit', intent: (t) => R.intent(R.SPXW, t, { limitPrice: -1 }), want: 'invalid-order' },
  { name: 'not an OCC symbol', intent: (t) => R.intent(R.SPXW, t, { optionSymbol: 'O:SPXW-BAD' }), want: 'instrument-not-allowed' },
  {
    name: 'root not configured',
    config: { allowedRoots: ['SPY', 'QQQ'] },
    intent: (t) => R.intent(R.SPXW, t),
    want: 'instrument-not-allowed',
  },
  {
    name: 'an equity option we do not trade',
    intent: (t) => R.intent(R.SPXW, t, { optionSymbol: 'O:AAPL250310C00200000' }),
    want: 'instrument-not-allowed',
  },
  { name: 'intent strike disagrees with its symbol', intent: (t) => R.intent(R.SPXW, t, { strike: 5705 }), want: 'instrument-mismatch' },
  { name: 'intent underlying disagrees with its symbol', intent: (t) => R.intent(R.SPXW, t, { underlying: 'NDX' }), want: 'instrument-mismatch' },
  {
    name: 'expiry beyond the allowed range',
    before: (t) => fresh(t, ['O:SPXW250321C05700000']),
    intent: (t) => R.intent('O:SPXW250321C05700000', t),
    want: 'expiry-not-allowed',
  },
  {
    name: 'an expiry that does not exist for the root (SPX AM monthlies only)',
    before: (t) => fresh(t, ['O:SPX250311C05700000']),
    intent: (t) => R.intent('O:SPX250311C05700000', t),
    want: 'expiry-not-allowed',
  },
  {
    name: 'expiry range allows tomorrow (next expiry)',
    before: (t) => fresh(t, ['O:SPXW250311C05700000']),
    intent: (t) => R.intent('O:SPXW250311C05700000', t),
    want: 'approved',
  },
  {
    name: 'sell_to_close with no position (would be a naked short)',
    intent: (t) => R.intent(R.SPXW, t, { side: 'sell_to_close', limitPrice: 4.0 }),
    want: 'exceeds-position',
  },
  {
    name: 'sell_to_close more than held',
    before: (t) => [...fresh(t), R.report('x', R.SPXW, 'entry', t, 1, 4.1)],
    intent: (t) => R.intent(R.SPXW, t, { side: 'sell_to_close', quantity: 2, limitPrice: 4.0 }),
    want: 'exceeds-position',
  },
  {
    name: 'a second exit for contracts already being sold',
    config: { duplicateWindowMs: 0 },
    before: (t) => [
      ...fresh(t),
      R.report('x', R.SPXW, 'entry', t, 1, 4.1),
      R.intent(R.SPXW, t, { side: 'sell_to_close', quantity: 1, limitPrice: 4.0 }),
    ],
    intent: (t) => R.intent(R.SPXW, t, { side: 'sell_to_close', quantity: 1, limitPrice: 4.0 }),
    want: 'exceeds-position',
  },
  { name: 'SPXW limit off the 0.10 tick above $3', intent: (t) => R.intent(R.SPXW, t, { limitPrice: 4.15 }), want: 'off-tick' },
  {
    name: 'SPY limit off the penny tick',
    before: (t) => fresh(t, [R.SPY]),
    intent: (t) => R.intent(R.SPY, t, { limitPrice: 2.035 }),
    want: 'off-tick',
  },
  {
    name: 'before the open',
    at: nyTimeToMs('2025-03-10', 9, 20),
    intent: (t) => R.intent(R.SPXW, t),
    want: 'outside-session',
  },
  {
    name: 'on a holiday (Good Friday 2025)',
    at: nyTimeToMs('2025-04-18', 11, 0),
    before: (t) => fresh(t, ['O:SPXW250418C05700000']),
    intent: (t) => R.intent('O:SPXW250418C05700000', t),
    want: 'outside-session',
  },
  { name: 'no economic calendar loaded', calendarless: true, intent: (t) => R.intent(R.SPXW, t), want: 'calendar-missing' },
  {
    name: 'a date outside the calendar coverage',
    at: nyTimeToMs('2024-12-16', 11, 0),
    before: (t) => fresh(t, ['O:SPXW241216C05700000']),
    intent: (t) => R.intent('O:SPXW241216C05700000', t),
    want: 'calendar-missing',
  },
  { name: '15:46 ET, inside the last 15 minutes', at: nyTimeToMs('2025-03-10', 15, 46), intent: (t) => R.intent(R.SPXW, t), want: 'entry-cutoff' },
  { name: '15:44 ET, just before the cutoff', at: nyTimeToMs('2025-03-10', 15, 44), intent: (t) => R.intent(R.SPXW, t), want: 'approved' },
  {
    name: 'inside the JOLTS 10:00 window (2025-03-11)',
    at: nyTimeToMs('2025-03-11', 10, 5),
    before: (t) => fresh(t, ['O:SPXW250311C05700000']),
    intent: (t) => R.intent('O:SPXW250311C05700000', t),
    want: 'halt-window',
  },
  {
    name: 'an order whose state is unknown',
    before: (t) => [...fresh(t), R.report('lost', 'O:SPXW250310C05800000', 'entry', t, 0, 0, 'unknown')],
    intent: (t) => R.intent(R.SPXW, t),
    want: 'order-state-unknown',
  },
  {
    name: 'unknown order resolved by a later report',
    before: (t) => [
      ...fresh(t),
      R.report('lost', 'O:SPXW250310C05800000', 'entry', t, 0, 0, 'unknown'),
      R.report('lost', 'O:SPXW250310C05800000', 'entry', t, 0, 0, 'cancelled'),
    ],
    intent: (t) => R.intent(R.SPXW, t),
    want: 'approved',
  },
  {
    name: 'option quote older than 3 s',
    before: (t) => [...R.underlyings(t), R.optionQuote(R.SPXW, t - 3_500, 4, 4.2)],
    intent: (t) => R.intent(R.SPXW, t),
    want: 'stale-data',
  },
  {
    name: 'underlying price older than 3 s',
    before: (t) => [R.index('I:SPX', t - 3_500, 5700), R.optionQuote(R.SPXW, t, 4, 4.2)],
    intent: (t) => R.intent(R.SPXW, t),
    want: 'stale-data',
  },
  {
    name: 'options feed STALE',
    before: (t) => [...fresh(t), { type: 'FeedState', ts: t, cluster: 'options', state: 'STALE' }],
    intent: (t) => R.intent(R.SPXW, t),
    want: 'stale-data',
  },
  {
    name: 'indices feed RECOVERING (SPX underlying)',
    before: (t) => [...fresh(t), { type: 'FeedState', ts: t, cluster: 'indices', state: 'RECOVERING' }],
    intent: (t) => R.intent(R.SPXW, t),
    want: 'stale-data',
  },
  {
    name: 'an exit with stale data still works',
    before: (t) => [
      ...fresh(t - 60_000),
      R.report('x', R.SPXW, 'entry', t - 60_000, 1, 4.1),
      { type: 'FeedState', ts: t, cluster: 'options', state: 'STALE' },
    ],
    intent: (t) => R.intent(R.SPXW, t, { side: 'sell_to_close', limitPrice: 3.0 }),
    want: 'approved',
  },
  {
    name: 'a contract never quoted',
    intent: (t) => R.intent('O:SPXW250310C05900000', t),
    want: 'not-on-chain',
  },
  {
    name: 'a one-sided quote (no bid)',
    before: (t) => [...R.underlyings(t), R.optionQuote(R.SPXW, t, 0, 4.2)],
    intent: (t) => R.intent(R.SPXW, t),
    want: 'no-market',
  },
  { name: 'buy limit far above the ask', intent: (t) => R.intent(R.SPXW, t, { limitPrice: 5.0 }), want: 'price-collar' },
  { name: 'buy limit at ask + tolerance (4.20 + 0.41)', intent: (t) => R.intent(R.SPXW, t, { limitPrice: 4.6 }), want: 'approved' },
  { name: 'buy limit far below the bid', intent: (t) => R.intent(R.SPXW, t, { limitPrice: 3.0 }), want: 'price-collar' },
  {
    name: 'exit limit far below a fresh bid',
    before: (t) => [...fresh(t), R.report('x', R.SPXW, 'entry', t, 1, 4.1)],
    intent: (t) => R.intent(R.SPXW, t, { side: 'sell_to_close', limitPrice: 2.0 }),
    want: 'price-collar',
  },
  { name: '11 contracts (max 10)', intent: (t) => R.intent(R.SPXW, t, { quantity: 11 }), want: 'max-contracts' },
  { name: '$2,760 premium (max $2,500)', intent: (t) => R.intent(R.SPXW, t, { quantity: 6, limitPrice: 4.6 }), want: 'max-premium' },
  { name: 'second SPX position (max 1 per underlying)', before: otherEntry, intent: (t) => R.intent(R.SPXW, t), want: 'max-positions-underlying' },
  {
    name: 'adding to the same SPX contract is not a new position',
    config: { duplicateWindowMs: 0 },
    before: (t) => [...fresh(t), R.report('x', R.SPXW, 'entry', t, 1, 4.1)],
    intent: (t) => R.intent(R.SPXW, t),
    want: 'approved',
  },
  {
    name: 'third position in total (max 2)',
    config: { positions: { maxPerUnderlying: 5, maxTotal: 2, maxPremiumAtRisk: 100_000 } },
    before: (t) => [...fresh(t, [R.SPXW, R.SPY, R.QQQ]), R.intent(R.SPY, t, { limitPrice: 2.04 }), R.report('q', R.QQQ, 'entry', t, 1, 2.02)],
    intent: (t) => R.intent(R.SPXW, t),
    want: 'max-positions-total',
  },
  {
    name: 'premium at risk over the limit',
    config: { positions: { maxPremiumAtRisk: 800 } },
    intent: (t) => R.intent(R.SPXW, t, { quantity: 2 }),
    want: 'max-premium-at-risk',
  },
  {
    name: 'trades per day exhausted',
    config: { maxTradesPerDay: 1, duplicateWindowMs: 0, positions: { maxPremiumAtRisk: 100_000 } },
    before: (t) => [...fresh(t), R.intent(R.SPXW, t, { id: 'first' })],
    intent: (t) => R.intent(R.SPXW, t),
    want: 'max-trades-per-day',
  },
  {
    name: 'order rate exhausted',
    config: { orderRate: { max: 1 }, duplicateWindowMs: 0, positions: { maxPremiumAtRisk: 100_000 } },
    before: (t) => [...fresh(t), R.intent(R.SPXW, t)],
    intent: (t) => R.intent(R.SPXW, t),
    want: 'order-rate',
  },
  {
    name: 'order rate frees up after its window',
    config: { orderRate: { max: 1, windowMs: 1_000 }, duplicateWindowMs: 0, positions: { maxPremiumAtRisk: 100_000 } },
    before: (t) => [...fresh(t - 1_000), R.intent(R.SPXW, t - 1_000), ...fresh(t)],
    intent: (t) => R.intent(R.SPXW, t),
    want: 'approved',
  },
  {
    name: 'entry cancels over the cancel/replace rate',
    config: { cancelRate: { max: 1 } },
    before: (t) => [...fresh(t), R.report('c1', 'O:SPXW250310C05800000', 'entry', t, 0, 0, 'cancelled')],
    intent: (t) => R.intent(R.SPXW, t),
    want: 'cancel-rate',
  },
];

describe('checkOrder: one row per check (through the RiskEngine)', () => {
  it.each(cases)('$name → $want', (c) => {
    const h = R.harness(R.cfg(c.config ?? {}), c.calendarless ? null : undefined);
    const t = c.at ?? T;
    h.feed(...(c.before ? c.before(t) : fresh(t - 100)));
    const intent = c.intent(t);
    const outs = h.feed(intent);
    expect(verdict(outs, intent)).toBe(c.want);
  });

  it('every reason code has a row', () => {
    const covered = new Set(cases.map((c) => c.want));
    expect(RISK_REASONS.filter((r) => !covered.has(r))).toEqual([]);
  });

  it('a denial carries the intent id, underlying, event time and a detail', () => {
    const h = R.harness();
    h.feed(...fresh(T));
    const intent = R.intent(R.SPXW, T + 10, { limitPrice: 9.9 });
    expect(h.feed(intent)).toEqual([
      { type: 'OrderDenied', ts: T + 10, intentId: intent.id, underlying: 'SPX', reason: 'price-collar', detail: 'limit 9.9 outside [3.59, 4.61] (NBBO 4/4.2)' },
    ]);
  });

  it('calendar-missing names the coverage and what to do', () => {
    const h = R.harness();
    const t = nyTimeToMs('2027-03-10', 11, 0);
    h.feed(...fresh(t, ['O:SPXW270310C05700000']));
    const [d] = h.feed(R.intent('O:SPXW270310C05700000', t));
    expect(d).toMatchObject({ type: 'OrderDenied', reason: 'calendar-missing' });
    expect(d?.type === 'OrderDenied' && d.detail).toMatch(/covers 2025-01-01\.\.2026-12-31, not 2027-03-10: update the calendar file/);
    const h2 = R.harness(R.cfg(), null);
    h2.feed(...fresh(T));
    const [d2] = h2.feed(R.intent(R.SPXW, T));
    expect(d2?.type === 'OrderDenied' && d2.detail).toMatch(/no economic calendar loaded/);
  });
});
