import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sessionFor } from '../../domain/calendar.js';
import type { MarketEvent, OptionQuote } from '../../domain/events.js';
import type { ExecutionReport, OrderIntent } from '../../domain/orders.js';
import type { SubmitResult } from './BrokerPort.js';
import { omsConfigSchema, type OmsConfigInput } from './omsConfig.js';
import { SimBroker } from './simBroker.js';

const DATE = '2025-03-10';
const SESSION = sessionFor(DATE)!;
const T = SESSION.open + 3_600_000;
const CALL = 'O:SPXW250310C05700000';
const PUT = 'O:SPXW250310P05700000';

function sim(over: NonNullable<OmsConfigInput>['sim'] = {}) {
  const broker = new SimBroker(omsConfigSchema.parse({ sim: over }).sim);
  const reports: ExecutionReport[] = [];
  broker.reports$.subscribe((r) => reports.push(r));
  let seq = 0;
  const quote = (ts: number, bid: number, ask: number, bidSize = 10, askSize = 10, symbol = CALL): OptionQuote => {
    const q: OptionQuote = { type: 'OptionQuote', ts, symbol, bid, ask, bidSize, askSize, bidExchange: 0, askExchange: 0, seq: ++seq };
    broker.onMarket(q);
    return q;
  };
  const market = (ev: MarketEvent) => broker.onMarket(ev);
  const of = (tag: string, leg: ExecutionReport['leg']) => reports.filter((r) => r.orderId === tag && r.leg === leg);
  return { broker, reports, quote, market, of };
}

function intent(over: Partial<OrderIntent> & { id: string }): OrderIntent {
  return {
    type: 'OrderIntent',
    ts: T,
    signalId: 's',
    underlying: 'SPX',
    root: 'SPXW',
    optionSymbol: CALL,
    right: 'C',
    expiry: DATE,
    strike: 5700,
    quantity: 1,
    side: 'buy_to_open',
    limitPrice: 4.5,
    takeProfit: 6,
    stopPrice: 3,
    underlyingStop: 5690,
    underlyingTarget: 5720,
    timeStop: T + 3_600_000,
    playbook: 'test',
    bidAtDecision: 4,
    askAtDecision: 4.2,
    ...over,
  };
}

function ok(r: SubmitResult) {
  if (r.kind !== 'accepted') throw new Error(`expected accepted, got ${JSON.stringify(r)}`);
  return r;
}

describe('SimBroker fill model', () => {
  it('fills a buy limit at the ask, never at the limit or better than the touch', () => {
    const s = sim({ latencyMs: 0 });
    s.quote(T, 4, 4.2);
    ok(s.broker.submitBracketSync(intent({ id: 'a', limitPrice: 4.5 })));
    s.quote(T + 1, 4.05, 4.25);
    const [fill] = s.of('a', 'entry');
    expect(fill).toMatchObject({ status: 'filled', fillPrice: 4.25, fillQuantity: 1, ts: T + 1 });
  });

  it('fills a sell limit (take-profit) at the bid', () => {
    const s = sim({ latencyMs: 0 });
    s.quote(T, 4, 4.2);
    ok(s.broker.submitBracketSync(intent({ id: 'a', takeProfit: 5 })));
    s.quote(T + 1, 4, 4.2);
    s.quote(T + 2, 4.5, 4.7);
    s.quote(T + 3, 5.1, 5.3);
    expect(s.of('a', 'target').at(-1)).toMatchObject({ status: 'filled', fillPrice: 5.1 });
  });

  it('never fills on the quote that triggered the order, nor before the latency has passed', () => {
    const s = sim({ latencyMs: 250 });
    s.quote(T, 4, 4.2);
    ok(s.broker.submitBracketSync(intent({ id: 'a' })));
    s.quote(T + 100, 4, 4.2);
    s.quote(T + 249.9, 4, 4.2);
    expect(s.of('a', 'entry')).toEqual([]);
    s.quote(T + 250, 4, 4.2);
    expect(s.of('a', 'entry')).toHaveLength(1);
  });

  it('with zero latency still needs a later quote (same timestamp, later in the stream is fine)', () => {
    const s = sim({ latencyMs: 0 });
    s.quote(T, 4, 4.2);
    ok(s.broker.submitBracketSync(intent({ id: 'a' })));
    expect(s.reports).toEqual([]);
    s.quote(T, 4, 4.2);
    expect(s.of('a', 'entry')).toHaveLength(1);
  });

  it('fills partially up to the displayed size; the rest keeps working', () => {
    const s = sim({ latencyMs: 0 });
    s.quote(T, 4, 4.2);
    ok(s.broker.submitBracketSync(intent({ id: 'a', quantity: 5, limitPrice: 4.2 })));
    s.quote(T + 1, 4, 4.2, 10, 2);
    expect(s.of('a', 'entry').at(-1)).toMatchObject({ status: 'partially_filled', fillQuantity: 2, cumulativeQuantity: 2 });
    s.quote(T + 2, 4, 4.3, 10, 10); // ask above the limit: nothing
    expect(s.of('a', 'entry')).toHaveLength(1);
    s.quote(T + 3, 4, 4.2, 10, 10);
    expect(s.of('a', 'entry').at(-1)).toMatchObject({ status: 'filled', fillQuantity: 3, cumulativeQuantity: 5 });
  });

  it('shares one quote\'s displayed size between our orders', () => {
    const s = sim({ latencyMs: 0 });
    s.quote(T, 4, 4.2);
    ok(s.broker.submitBracketSync(intent({ id: 'a', quantity: 2 })));
    ok(s.broker.submitBracketSync(intent({ id: 'b', quantity: 2 })));
    s.quote(T + 1, 4, 4.2, 10, 3);
    const filled = s.reports.filter((r) => r.leg === 'entry').reduce((n, r) => n + r.fillQuantity, 0);
    expect(filled).toBe(3);
  });

  it('does not fill on crossed, one-sided, zero or stale quotes', () => {
    const s = sim({ latencyMs: 0, staleQuoteMs: 5_000 });
    s.quote(T, 4, 4.2);
    ok(s.broker.submitBracketSync(intent({ id: 'a', limitPrice: 4.5 })));
    s.quote(T + 1, 4.4, 4.2); // crossed
    s.quote(T + 2, 0, 4.2); // no bid
    s.quote(T + 3, 4, 0); // no offer
    s.market({ type: 'Heartbeat', ts: T + 20_000 });
    s.quote(T + 10_000, 4, 4.2); // arrives late: 10 s older than event time
    expect(s.of('a', 'entry')).toEqual([]);
    s.quote(T + 20_001, 4, 4.2);
    expect(s.of('a', 'entry')).toHaveLength(1);
  });

  it('triggers a sell stop on the bid and fills it at the bid after the broker-held latency', () => {
    const s = sim({ latencyMs: 100 });
    s.quote(T, 4, 4.2);
    ok(s.broker.submitBracketSync(intent({ id: 'a', quantity: 3, stopPrice: 3.5 })));
    s.quote(T + 100, 4, 4.2);
    s.quote(T + 300, 4, 4.2); // OCO live, stop armed
    s.quote(T + 400, 3.5, 3.7, 1); // triggers
    expect(s.of('a', 'stop')).toEqual([]);
    s.quote(T + 450, 3.4, 3.6, 1); // before the stop's market order arrives
    expect(s.of('a', 'stop')).toEqual([]);
    s.quote(T + 500, 3.3, 3.5, 1);
    expect(s.of('a', 'stop').at(-1)).toMatchObject({ fillPrice: 3.3, fillQuantity: 1, status: 'partially_filled' });
    s.quote(T + 600, 3.1, 3.3, 5);
    expect(s.of('a', 'stop').at(-1)).toMatchObject({ fillPrice: 3.1, fillQuantity: 2, status: 'filled', cumulativeQuantity: 3 });
    expect(s.of('a', 'target').at(-1)).toMatchObject({ status: 'cancelled', reason: 'OCO: sibling filled' });
    expect(s.broker.positionsSync()).toEqual([]);
  });

  it('exchange-held stops fill on the triggering quote', () => {
    const s = sim({ latencyMs: 0, stopHeldByBroker: false });
    s.quote(T, 4, 4.2);
    ok(s.broker.submitBracketSync(intent({ id: 'a', stopPrice: 3.5 })));
    s.quote(T + 1, 4, 4.2);
    s.quote(T + 2, 4, 4.2);
    s.quote(T + 3, 3.45, 3.6);
    expect(s.of('a', 'stop').at(-1)).toMatchObject({ status: 'filled', fillPrice: 3.45 });
  });

  it('cancels the OCO when the stop is at or above the bid as it becomes active (Tradier)', () => {
    const s = sim({ latencyMs: 0 });
    s.quote(T, 3.3, 4.2);
    ok(s.broker.submitBracketSync(intent({ id: 'a', stopPrice: 3.4 })));
    s.quote(T + 1, 3.3, 4.2);
    s.quote(T + 2, 3.3, 4.2);
    expect(s.of('a', 'stop').at(-1)?.status).toBe('cancelled');
    expect(s.of('a', 'target').at(-1)?.status).toBe('cancelled');
    expect(s.of('a', 'stop').at(-1)?.reason).toMatch(/at or above the bid/);
    expect(s.broker.positionsSync()).toEqual([{ optionSymbol: CALL, quantity: 1, costBasis: 420 }]);
  });

  it('sizes the OCO to the filled entry quantity; cancelling the entry leaves the OCO on the filled part', () => {
    const s = sim({ latencyMs: 0 });
    s.quote(T, 4, 4.2);
    const r = ok(s.broker.submitBracketSync(intent({ id: 'a', quantity: 5 })));
    s.quote(T + 1, 4, 4.2, 10, 2);
    const stopLeg = () => s.broker.findByTagSync('a')!.legs.find((l) => l.leg === 'stop')!;
    expect(stopLeg()).toMatchObject({ status: 'working', quantity: 2 });
    expect(s.broker.cancelSync(r.legIds.entry).kind).toBe('ok');
    s.quote(T + 2, 4, 4.2, 10, 10);
    expect(s.of('a', 'entry').at(-1)).toMatchObject({ status: 'cancelled', cumulativeQuantity: 2 });
    expect(stopLeg()).toMatchObject({ status: 'working', quantity: 2 });
    // A partial take-profit shrinks the stop.
    s.quote(T + 3, 6, 6.2, 1, 10);
    expect(s.of('a', 'target').at(-1)).toMatchObject({ status: 'partially_filled', cumulativeQuantity: 1 });
    expect(stopLeg().quantity - stopLeg().execQuantity).toBe(1);
    s.quote(T + 4, 6, 6.2, 5, 10);
    expect(s.of('a', 'target').at(-1)).toMatchObject({ status: 'filled', cumulativeQuantity: 2 });
    expect(s.of('a', 'stop').at(-1)?.status).toBe('cancelled');
    expect(s.broker.positionsSync()).toEqual([]);
  });

  it('cancelling the parent with nothing filled cancels every leg', () => {
    const s = sim({ latencyMs: 50 });
    s.quote(T, 4, 4.2);
    const r = ok(s.broker.submitBracketSync(intent({ id: 'a', limitPrice: 1 })));
    expect(s.broker.cancelSync(r.brokerOrderId).kind).toBe('ok');
    s.quote(T + 10, 4, 4.2);
    expect(s.reports).toEqual([]); // the cancel has not reached the market yet
    s.quote(T + 60, 4, 4.2);
    expect(s.reports.map((x) => `${x.leg}:${x.status}`)).toEqual(['entry:cancelled', 'target:cancelled', 'stop:cancelled']);
    expect(s.broker.cancelSync(r.brokerOrderId)).toEqual({ kind: 'already-final', status: 'cancelled' });
  });

  it('a fill can still happen while a cancel is in flight', () => {
    const s = sim({ latencyMs: 100 });
    s.quote(T, 4, 4.2);
    const r = ok(s.broker.submitBracketSync(intent({ id: 'a' })));
    s.quote(T + 150, 4, 4.5); // live, not marketable
    expect(s.broker.cancelSync(r.brokerOrderId).kind).toBe('ok');
    s.quote(T + 200, 4, 4.2); // fills before the cancel lands at T+250
    s.quote(T + 300, 4, 4.2);
    expect(s.of('a', 'entry').map((x) => x.status)).toEqual(['filled']);
    expect(s.of('a', 'target').at(-1)?.status).toBe('cancelled');
    expect(s.broker.positionsSync()[0]?.quantity).toBe(1);
  });

  it('validates modifications: finished legs, stops at or above the bid; applies them after the latency', () => {
    const s = sim({ latencyMs: 100 });
    s.quote(T, 4, 4.2);
    const r = ok(s.broker.submitBracketSync(intent({ id: 'a', stopPrice: 3 })));
    s.quote(T + 100, 4, 4.2);
    expect(s.broker.modifyLegSync(r.legIds.entry, { price: 4.3 }).kind).toBe('rejected');
    expect(s.broker.modifyLegSync(r.legIds.stop, { stop: 4 }).kind).toBe('rejected'); // at the bid
    expect(s.broker.modifyLegSync(r.legIds.stop, { stop: 3.52 }).kind).toBe('rejected'); // off tick
    expect(s.broker.modifyLegSync(r.legIds.stop, { price: 3.5 }).kind).toBe('rejected'); // stop legs have no limit
    expect(s.broker.modifyLegSync(r.legIds.stop, { stop: 3.5 }).kind).toBe('ok');
    const stop = () => s.broker.findByTagSync('a')!.legs.find((l) => l.leg === 'stop')!.stop;
    expect(stop()).toBe(3);
    s.quote(T + 250, 4, 4.2);
    expect(stop()).toBe(3.5);
  });

  it('rejects a closePosition beyond the free position (the OCO holds it) and fills it once free', () => {
    const s = sim({ latencyMs: 0 });
    s.quote(T, 4, 4.2);
    const r = ok(s.broker.submitBracketSync(intent({ id: 'a', quantity: 2 })));
    s.quote(T + 1, 4, 4.2);
    expect(s.broker.closePositionSync(CALL, 2, 3.9, 'a-x1').kind).toBe('rejected');
    s.broker.cancelSync(r.brokerOrderId);
    s.quote(T + 2, 4, 4.2);
    const x = s.broker.closePositionSync(CALL, 2, 3.9, 'a-x1');
    expect(x.kind).toBe('accepted');
    expect(s.broker.closePositionSync(CALL, 1, 3.9, 'a-x2').kind).toBe('rejected');
    s.quote(T + 3, 4, 4.2, 1);
    s.quote(T + 4, 3.95, 4.2, 5);
    expect(s.of('a-x1', 'exit').map((e) => [e.fillQuantity, e.fillPrice, e.status])).toEqual([
      [1, 4, 'partially_filled'],
      [1, 3.95, 'filled'],
    ]);
    expect(s.broker.positionsSync()).toEqual([]);
  });

  it('rejects malformed brackets as values', () => {
    const s = sim();
    s.quote(T, 4, 4.2);
    expect(s.broker.submitBracketSync(intent({ id: 'a', quantity: 0 })).kind).toBe('rejected');
    expect(s.broker.submitBracketSync(intent({ id: 'a_b' })).kind).toBe('rejected');
    expect(s.broker.submitBracketSync(intent({ id: 'a', limitPrice: 4.23 })).kind).toBe('rejected');
    expect(s.broker.submitBracketSync(intent({ id: 'a', stopPrice: 6, takeProfit: 5 })).kind).toBe('rejected');
    expect(s.broker.submitBracketSync(intent({ id: 'a', quantity: 1000 })).kind).toBe('rejected'); // buying power
    expect(s.broker.submitBracketSync(intent({ id: 'a', optionSymbol: 'O:SPXW250307C05700000', expiry: '2025-03-07' })).kind).toBe('rejected');
  });

  it('charges per-contract fees plus the index-option fee on SPX/SPXW/NDX/NDXP only', () => {
    const s = sim({ latencyMs: 0, fees: { perContract: 0.5, indexOptionFeePerContract: 0.7 } });
    s.quote(T, 4, 4.2);
    ok(s.broker.submitBracketSync(intent({ id: 'a', quantity: 2 })));
    s.quote(T + 1, 4, 4.2);
    expect(s.of('a', 'entry')[0]?.fees).toBe(2.4);
    const spy = 'O:SPY250310C00570000';
    s.quote(T + 2, 1, 1.02, 10, 10, spy);
    ok(s.broker.submitBracketSync(intent({ id: 'b', underlying: 'SPY', root: 'SPY', optionSymbol: spy, strike: 570, quantity: 2, limitPrice: 1.05, takeProfit: 1.5, stopPrice: 0.8 })));
    s.quote(T + 3, 1, 1.02, 10, 10, spy);
    expect(s.of('b', 'entry')[0]?.fees).toBe(1);
    expect(s.broker.balancesSync().cash).toBeCloseTo(100_000 - 840 - 2.4 - 204 - 1, 6);
  });
});

describe('SimBroker expiry and settlement', () => {
  it('cash-settles an SPXW position at intrinsic from the last index value before the close; day legs expire', () => {
    const s = sim({ latencyMs: 0 });
    s.market({ type: 'IndexValue', ts: T, symbol: 'I:SPX', value: 5700 });
    s.quote(T, 4, 4.2);
    ok(s.broker.submitBracketSync(intent({ id: 'a', quantity: 2 })));
    s.quote(T + 1, 4, 4.2);
    s.market({ type: 'IndexValue', ts: SESSION.close - 1000, symbol: 'I:SPX', value: 5712.37 });
    // The event crossing the close is itself an index value: it must not be used for settlement.
    s.market({ type: 'IndexValue', ts: SESSION.close + 1000, symbol: 'I:SPX', value: 5800 });
    const last = s.reports.slice(-3);
    expect(last.map((r) => `${r.leg}:${r.status}`)).toEqual(['target:expired', 'stop:expired', 'exit:expired']);
    expect(last[2]).toMatchObject({ orderId: 'a', fillQuantity: 2, fillPrice: 12.37, fees: 0, ts: SESSION.close + 1000 });
    expect(last[2]?.reason).toMatch(/cash-settled at intrinsic 12\.37.*I:SPX 5712\.37/);
    expect(s.broker.positionsSync()).toEqual([]);
  });

  it('an OTM index position expires worthless at the close', () => {
    const s = sim({ latencyMs: 0 });
    s.market({ type: 'IndexValue', ts: T, symbol: 'I:SPX', value: 5700 });
    s.quote(T, 4, 4.2, 10, 10, PUT);
    ok(s.broker.submitBracketSync(intent({ id: 'p', optionSymbol: PUT, right: 'P' })));
    s.quote(T + 1, 4, 4.2, 10, 10, PUT);
    s.market({ type: 'IndexValue', ts: SESSION.close - 1, symbol: 'I:SPX', value: 5720 });
    s.market({ type: 'Heartbeat', ts: SESSION.close });
    expect(s.reports.at(-1)).toMatchObject({ status: 'expired', fillPrice: 0, fillQuantity: 1 });
  });

  it('exercises an ITM SPY position at intrinsic from the last trade, at 13:00 on an early-close day', () => {
    const date = '2025-07-03';
    const sess = sessionFor(date)!;
    expect(sess.earlyClose).toBe(true);
    const spy = 'O:SPY250703C00620000';
    const s = sim({ latencyMs: 0 });
    const t = sess.open + 600_000;
    s.quote(t, 1, 1.02, 10, 10, spy);
    ok(s.broker.submitBracketSync(intent({ id: 'y', ts: t, underlying: 'SPY', root: 'SPY', optionSymbol: spy, expiry: date, strike: 620, limitPrice: 1.02, takeProfit: 9, stopPrice: 0.2 })));
    s.quote(t + 1, 1, 1.02, 10, 10, spy);
    s.market({ type: 'Trade', ts: sess.close - 500, symbol: 'SPY', price: 622.5, size: 100, exchange: 4, conditions: [], eligible: true, seq: 1 });
    s.market({ type: 'Quote', ts: sess.close - 100, symbol: 'SPY', bid: 622.4, ask: 622.6, bidSize: 1, askSize: 1, bidExchange: 1, askExchange: 1, seq: 2 });
    s.market({ type: 'Heartbeat', ts: sess.close });
    const r = s.reports.at(-1)!;
    expect(r).toMatchObject({ orderId: 'y', leg: 'exit', status: 'expired', fillPrice: 2.5, fillQuantity: 1 });
    expect(r.reason).toMatch(/^exercised at intrinsic 2\.50.*100 shares at strike 620/);
  });

  it('is deterministic: the same events and calls give identical reports', () => {
    const run = () => {
      const s = sim({ latencyMs: 100 });
      s.market({ type: 'IndexValue', ts: T, symbol: 'I:SPX', value: 5700 });
      s.quote(T, 4, 4.2);
      ok(s.broker.submitBracketSync(intent({ id: 'a', quantity: 4, stopPrice: 3.5 })));
      for (let i = 1; i < 40; i++) s.quote(T + i * 97, 3 + ((i * 7) % 13) / 10, 3.2 + ((i * 7) % 13) / 10, 1 + (i % 3), 1 + (i % 4));
      s.market({ type: 'Heartbeat', ts: SESSION.close });
      return JSON.stringify(s.reports);
    };
    expect(run()).toBe(run());
  });
});

describe('SimBroker fill-model property', () => {
  const tick = 0.05;
  const quoteArb = fc.record({
    dt: fc.integer({ min: 0, max: 400 }),
    bidTicks: fc.integer({ min: 0, max: 120 }),
    spreadTicks: fc.integer({ min: -2, max: 6 }),
    bidSize: fc.integer({ min: 0, max: 6 }),
    askSize: fc.integer({ min: 0, max: 6 }),
  });
  const orderArb = fc.record({ at: fc.integer({ min: 0, max: 30 }), qty: fc.integer({ min: 1, max: 8 }), limitTicks: fc.integer({ min: 1, max: 120 }) });

  it('buy fills are at the ask of the filling quote, ≤ limit, within displayed size, and never exceed the order', () => {
    fc.assert(
      fc.property(fc.array(quoteArb, { minLength: 1, maxLength: 60 }), fc.array(orderArb, { maxLength: 4 }), fc.integer({ min: 0, max: 300 }), (quotes, orders, latencyMs) => {
        const s = sim({ latencyMs });
        const limits = new Map<string, { limit: number; qty: number; sentTs: number }>();
        let ts = T;
        let last: OptionQuote | null = null;
        const byTs = new Map<number, OptionQuote[]>();
        quotes.forEach((qa, i) => {
          for (const [k, o] of orders.entries()) {
            if (o.at !== i) continue;
            const limit = Math.round(o.limitTicks * tick * 100) / 100;
            const res = s.broker.submitBracketSync(
              intent({ id: `o${k}`, quantity: o.qty, limitPrice: limit, takeProfit: Math.round((limit + 1) * 100) / 100, stopPrice: 0.05 }),
            );
            if (res.kind === 'accepted') limits.set(`o${k}`, { limit, qty: o.qty, sentTs: ts });
          }
          ts += qa.dt;
          const bid = Math.round(qa.bidTicks * tick * 100) / 100;
          const ask = Math.round((qa.bidTicks + qa.spreadTicks) * tick * 100) / 100;
          const before = s.reports.length;
          last = s.quote(ts, bid, ask, qa.bidSize, qa.askSize);
          const fills = s.reports.slice(before).filter((r) => r.leg === 'entry' && r.fillQuantity > 0);
          const total = fills.reduce((n, r) => n + r.fillQuantity, 0);
          expect(total).toBeLessThanOrEqual(qa.askSize);
          if (fills.length > 0) byTs.set(ts, [last]);
          for (const r of fills) {
            const o = limits.get(r.orderId)!;
            expect(r.ts).toBe(ts);
            expect(r.fillPrice).toBe(ask); // at the touch, never better
            expect(r.fillPrice).toBeLessThanOrEqual(o.limit);
            expect(bid).toBeGreaterThan(0);
            expect(bid).toBeLessThanOrEqual(ask); // never on crossed or one-sided quotes
            expect(ts).toBeGreaterThanOrEqual(o.sentTs + latencyMs);
          }
        });
        for (const [tag, o] of limits) {
          const cum = s.of(tag, 'entry').reduce((n, r) => n + r.fillQuantity, 0);
          expect(cum).toBeLessThanOrEqual(o.qty);
          const lastRep = s.of(tag, 'entry').at(-1);
          if (lastRep) expect(lastRep.cumulativeQuantity).toBe(cum);
        }
      }),
      { numRuns: 300, seed: 4242 },
    );
  });
});
