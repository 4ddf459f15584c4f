import { describe, expect, it } from 'vitest';
import { RiskBook } from './riskBook.js';
import { testRisk as R } from './testRisk.js';

const T = R.T;

describe('RiskBook', () => {
  it('positions and realised P&L from fills (average cost, partial exits, fees)', () => {
    const b = new RiskBook(R.cfg());
    b.onReport(R.report('a', R.SPXW, 'entry', T, 1, 4.0, 'partially_filled', 0.5), T);
    b.onReport(R.report('a', R.SPXW, 'entry', T, 1, 4.4, 'filled', 0.5), T);
    expect(b.positions.get(R.SPXW)).toMatchObject({ qty: 2, avgPrice: 4.2, underlying: 'SPX', expiry: '2025-03-10' });
    expect(b.premiumAtRisk()).toBeCloseTo(840, 9);
    const e1 = b.onReport(R.report('a', R.SPXW, 'target', T, 1, 5.2, 'partially_filled', 0.5), T);
    expect(e1.closedRoundTrip).toBeNull();
    expect(b.realisedToday).toBeCloseTo(100 - 1.5, 9);
    const e2 = b.onReport(R.report('a', R.SPXW, 'target', T, 1, 3.2, 'filled', 0.5), T);
    expect(e2.closedRoundTrip).toBeCloseTo(100 - 100 - 2, 9);
    expect(b.consecutiveLosses).toBe(1);
    expect(b.positions.size).toBe(0);
  });

  it('unrealised from a conservative mark: mid when two-sided, bid when one-sided, cost when unquoted', () => {
    const b = new RiskBook(R.cfg());
    b.onReport(R.report('a', R.SPXW, 'entry', T, 2, 4.0), T);
    expect(b.unrealised()).toBe(0);
    b.onMarket(R.optionQuote(R.SPXW, T, 4.4, 4.6));
    expect(b.unrealised()).toBeCloseTo(100, 9);
    b.onMarket(R.optionQuote(R.SPXW, T, 3.5, 0));
    expect(b.unrealised()).toBeCloseTo(-100, 9);
    b.onMarket(R.optionQuote(R.SPXW, T, 0, 0.1));
    expect(b.unrealised()).toBeCloseTo(-800, 9);
  });

  it('working orders: entries count as exposure until final; exits reduce what can still be sold', () => {
    const b = new RiskBook(R.cfg());
    const e = R.intent(R.SPXW, T, { quantity: 3 });
    b.onApproved(e, T);
    expect([...b.exposureSymbols('SPX')]).toEqual([R.SPXW]);
    b.onReport(R.report(e.id, R.SPXW, 'entry', T, 2, 4.2, 'partially_filled'), T);
    expect(b.working.get(e.id)?.remaining).toBe(1);
    b.onReport(R.report(e.id, R.SPXW, 'entry', T, 0, 0, 'cancelled'), T);
    expect(b.working.size).toBe(0);
    expect(b.entryCancels.count(T)).toBe(1);
    const x = R.intent(R.SPXW, T, { side: 'sell_to_close', quantity: 1 });
    b.onApproved(x, T);
    expect(b.sellableQty(R.SPXW)).toBe(1);
    expect(b.tradesToday).toBe(1); // exits are not trades
  });

  it('underlying freshness ignores ineligible prints and one-sided quotes; feed clusters default to LIVE', () => {
    const b = new RiskBook(R.cfg());
    b.onMarket({ type: 'Trade', ts: T, symbol: 'SPY', price: 570, size: 1, exchange: 4, conditions: [], eligible: false, seq: 1 });
    b.onMarket(R.quote('SPY', T, 0, 570.02));
    expect(b.underlyingTs.get('SPY')).toBeUndefined();
    b.onMarket(R.index('I:SPX', T, 5700));
    expect(b.underlyingTs.get('SPX')).toBe(T);
    expect(b.feedLive('options')).toBe(true);
    b.onFeedState({ type: 'FeedState', ts: T, cluster: 'options', state: 'STALE' });
    b.onFeedState({ type: 'FeedState', ts: T + 5, cluster: 'options', state: 'RECOVERING' });
    expect(b.feed.get('options')).toEqual({ state: 'RECOVERING', since: T });
  });
});
