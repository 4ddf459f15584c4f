import { describe, expect, it } from 'vitest';
import { FillTracker, type LegKey } from './fillTracker.js';

const key: LegKey = { legId: '7', orderId: 'scalp-1', brokerOrderId: '6', leg: 'entry', optionSymbol: 'O:SPY251219C00650000', quantity: 3 };
const brief = (t: FillTracker, s: Parameters<FillTracker['observe']>[1]) =>
  t.observe('7', s, 1).map((r) => `${r.status}${r.fillQuantity > 0 ? ` ${r.fillQuantity}@${r.fillPrice} cum ${r.cumulativeQuantity}` : ''}`);

describe('FillTracker', () => {
  it('derives fills from cumulative quantity and average price, each reported once', () => {
    const t = new FillTracker(0.5);
    t.register(key);
    expect(brief(t, { status: 'working', execQuantity: 0, avgFillPrice: 0 })).toEqual(['working']);
    expect(brief(t, { status: 'partially_filled', execQuantity: 1, avgFillPrice: 2 })).toEqual(['partially_filled 1@2 cum 1']);
    expect(brief(t, { status: 'partially_filled', execQuantity: 1, avgFillPrice: 2 })).toEqual([]); // same fill again (stream + poll)
    expect(brief(t, { status: 'filled', execQuantity: 3, avgFillPrice: 2.1 })).toEqual(['filled 2@2.15 cum 3']);
    expect(brief(t, { status: 'partially_filled', execQuantity: 1, avgFillPrice: 2 })).toEqual([]); // stale poll
    expect(brief(t, { status: 'filled', execQuantity: 3, avgFillPrice: 2.1 })).toEqual([]);
    const t2 = new FillTracker(0.5);
    t2.register(key);
    expect(t2.observe('7', { status: 'filled', execQuantity: 3, avgFillPrice: 2 }, 5)[0]).toMatchObject({ fees: 1.5, ts: 5, orderId: 'scalp-1', leg: 'entry' });
  });

  it('holds back a filled status whose fill data lags, and a fill without a price', () => {
    const t = new FillTracker();
    t.register(key);
    expect(brief(t, { status: 'filled', execQuantity: 0, avgFillPrice: 0 })).toEqual([]);
    expect(brief(t, { status: 'filled', execQuantity: 3, avgFillPrice: 0 })).toEqual([]);
    expect(brief(t, { status: 'filled', execQuantity: 3, avgFillPrice: 1.5 })).toEqual(['filled 3@1.5 cum 3']);
  });

  it('reports final statuses once, never moves backwards, and still reports a fill that races a cancel', () => {
    const t = new FillTracker();
    t.register(key);
    expect(brief(t, { status: 'cancelled', execQuantity: 0, avgFillPrice: 0, reason: 'user' })).toEqual(['cancelled']);
    expect(brief(t, { status: 'working', execQuantity: 0, avgFillPrice: 0 })).toEqual([]);
    expect(brief(t, { status: 'cancelled', execQuantity: 1, avgFillPrice: 2 })).toEqual(['partially_filled 1@2 cum 1']);
    expect(brief(t, { status: 'expired', execQuantity: 1, avgFillPrice: 2 })).toEqual([]);
  });

  it('a baseline registration reports nothing for the past, only what comes after', () => {
    const t = new FillTracker();
    t.register(key, { status: 'partially_filled', execQuantity: 2, avgFillPrice: 3 });
    expect(brief(t, { status: 'partially_filled', execQuantity: 2, avgFillPrice: 3 })).toEqual([]);
    expect(brief(t, { status: 'filled', execQuantity: 3, avgFillPrice: 3.1 })).toEqual(['filled 1@3.3 cum 3']);
    expect(t.observe('unknown', { status: 'filled', execQuantity: 1, avgFillPrice: 1 }, 0)).toEqual([]);
  });

  it('carries the reject reason', () => {
    const t = new FillTracker();
    t.register(key);
    expect(t.observe('7', { status: 'rejected', execQuantity: 0, avgFillPrice: 0, reason: 'InitialMargin' }, 0)[0]?.reason).toBe('InitialMargin');
  });
});
