/**
 * The broker lifecycle contract: one suite every BrokerPort implementation must pass (SimBroker now; TradierBroker
 * against the local fake Tradier server). Call `runBrokerContract(name, makeHarness)` inside a vitest test file.
 *
 * The harness gives a fresh broker per scenario plus a way to drive "the market" the broker fills against:
 *   - `quote(symbol, bid, ask, sizes, ts)`: the option NBBO at event time ts (Polygon symbol `O:SPXW…`);
 *   - `underlying(price, ts)`: the underlying of every contract used here (I:SPX; the suite trades SPXW only);
 *   - `advanceTo(ts)`: event time passes with no quote (lets latency elapse, cancels take effect);
 *   - `closeSession(closeTs)`: the session of `CONTRACT_DATE` closes at `closeTs` (16:00 ET): day orders expire and
 *     0DTE positions settle.
 * A scripted fake server decides its fills from these calls; it must follow the SimBroker fill model closely
 * enough for the assertions below (they are deliberately loose about exact prices where brokers legitimately
 * differ: e.g. a stop fills at or below its stop, a take-profit at or above its limit).
 * Timing contract: steps are 1 s of event time apart, so the harness's order latency must be < 1 s. Orders are
 * sent after the quote that prompted them and may only fill on later quotes.
 * Async brokers: assertions on reports, orders and positions are retried until `timeoutMs` (default 2 s); a harness
 * may also implement `settle()` to wait for its poller.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sessionFor } from '../../domain/calendar.js';
import type { ExecutionReport, OrderIntent } from '../../domain/orders.js';
import type { BrokerOrder, BrokerPort, SubmitResult } from './BrokerPort.js';

export interface BrokerHarness {
  readonly broker: BrokerPort;
  quote(symbol: string, bid: number, ask: number, sizes: { readonly bid: number; readonly ask: number }, ts: number): void | Promise<void>;
  underlying(price: number, ts: number): void | Promise<void>;
  advanceTo(ts: number): void | Promise<void>;
  closeSession(closeTs: number): void | Promise<void>;
  settle?(): Promise<void>;
  dispose?(): void | Promise<void>;
  /** How long to retry an assertion (async brokers); default 2000 ms. */
  readonly timeoutMs?: number;
}

/** The session the scenarios trade in (a Monday; 0DTE SPXW). */
export const CONTRACT_DATE = '2025-03-10';
export const CONTRACT_CALL = 'O:SPXW250310C05700000';
export const CONTRACT_PUT = 'O:SPXW250310P05650000';

const session = sessionFor(CONTRACT_DATE);
if (!session) throw new Error(`contract suite: ${CONTRACT_DATE} is not a trading day`);
/** 10:00 ET. */
export const T0 = session.open + 30 * 60_000;
const CLOSE = session.close;
const S = 1_000;

export function contractIntent(over: Partial<OrderIntent> & { id: string }): OrderIntent {
  const symbol = over.optionSymbol ?? CONTRACT_CALL;
  const right = symbol.includes('P0') ? 'P' : 'C';
  return {
    type: 'OrderIntent',
    ts: T0,
    signalId: `sig-${over.id}`,
    underlying: 'SPX',
    root: 'SPXW',
    optionSymbol: symbol,
    right,
    expiry: CONTRACT_DATE,
    strike: right === 'C' ? 5700 : 5650,
    quantity: 2,
    side: 'buy_to_open',
    limitPrice: 4.2,
    takeProfit: 5,
    stopPrice: 3.4,
    underlyingStop: right === 'C' ? 5690 : 5710,
    underlyingTarget: right === 'C' ? 5720 : 5680,
    timeStop: T0 + 30 * 60_000,
    playbook: 'contract',
    bidAtDecision: 4,
    askAtDecision: 4.2,
    ...over,
  };
}

const FINAL = new Set(['filled', 'cancelled', 'rejected', 'expired']);

export function runBrokerContract(name: string, makeHarness: () => BrokerHarness | Promise<BrokerHarness>): void {
  describe(`broker contract: ${name}`, () => {
    let h: BrokerHarness;
    let reports: ExecutionReport[];
    let unsub: () => void;

    beforeEach(async () => {
      h = await makeHarness();
      reports = [];
      const sub = h.broker.reports$.subscribe((r) => reports.push(r));
      unsub = () => sub.unsubscribe();
    });
    afterEach(async () => {
      unsub();
      await h.dispose?.();
    });

    const eventually = async (fn: () => void | Promise<void>): Promise<void> => {
      await h.settle?.();
      await vi.waitFor(fn, { timeout: h.timeoutMs ?? 2_000, interval: 10 });
    };
    const legReports = (tag: string, leg: ExecutionReport['leg']) => reports.filter((r) => r.orderId === tag && r.leg === leg);
    const lastLeg = (tag: string, leg: ExecutionReport['leg']) => legReports(tag, leg).at(-1);
    const order = async (tag: string): Promise<BrokerOrder> => {
      const o = await h.broker.findByTag(tag);
      expect(o, `order tagged ${tag}`).not.toBeNull();
      return o as BrokerOrder;
    };
    const legOf = (o: BrokerOrder, leg: string) => {
      const l = o.legs.find((x) => x.leg === leg);
      expect(l, `${leg} leg`).toBeDefined();
      return l as NonNullable<typeof l>;
    };
    const held = async (symbol: string): Promise<number> => {
      const ps = await h.broker.positions();
      return ps.filter((p) => p.optionSymbol === symbol).reduce((n, p) => n + p.quantity, 0);
    };
    const accepted = (r: SubmitResult) => {
      expect(r.kind, JSON.stringify(r)).toBe('accepted');
      return r as Extract<SubmitResult, { kind: 'accepted' }>;
    };
    /** Quote, submit, and fill the entry on the next quote. */
    const openBracket = async (intent: OrderIntent, t: number) => {
      await h.underlying(5700, t);
      await h.quote(intent.optionSymbol, 4, 4.2, { bid: 10, ask: 10 }, t);
      const res = accepted(await h.broker.submitBracket(intent));
      await h.quote(intent.optionSymbol, 4, 4.2, { bid: 10, ask: 10 }, t + S);
      await eventually(() => expect(lastLeg(intent.id, 'entry')?.status).toBe('filled'));
      // The OCO's first live quote: bid well above the stop.
      await h.quote(intent.optionSymbol, 4.1, 4.3, { bid: 10, ask: 10 }, t + 2 * S);
      return res;
    };

    it('rejects a malformed bracket as a value, and looks orders up by tag', async () => {
      await h.quote(CONTRACT_CALL, 4, 4.2, { bid: 10, ask: 10 }, T0);
      const bad = await h.broker.submitBracket(contractIntent({ id: 'bad-qty', quantity: 0 }));
      expect(bad.kind).toBe('rejected');
      const ok = accepted(await h.broker.submitBracket(contractIntent({ id: 'lookup-1', limitPrice: 1 })));
      const found = await order('lookup-1');
      expect(found.brokerOrderId).toBe(ok.brokerOrderId);
      expect(found.tag).toBe('lookup-1');
      expect(legOf(found, 'entry').id).toBe(ok.legIds.entry);
      expect(await h.broker.findByTag('no-such-tag')).toBeNull();
      expect((await h.broker.listOrders()).some((o) => o.tag === 'lookup-1')).toBe(true);
    });

    it('bracket: entry fill, then the take-profit fill cancels the stop', async () => {
      const intent = contractIntent({ id: 'tp-1' });
      await openBracket(intent, T0);
      const entry = lastLeg('tp-1', 'entry');
      expect(entry?.cumulativeQuantity).toBe(2);
      expect(entry?.avgFillPrice).toBeLessThanOrEqual(4.2);
      await eventually(async () => expect(await held(CONTRACT_CALL)).toBe(2));
      await h.underlying(5718, T0 + 3 * S);
      await h.quote(CONTRACT_CALL, 5, 5.2, { bid: 10, ask: 10 }, T0 + 3 * S);
      await eventually(() => {
        expect(lastLeg('tp-1', 'target')?.status).toBe('filled');
        expect(lastLeg('tp-1', 'stop')?.status).toBe('cancelled');
      });
      expect(lastLeg('tp-1', 'target')?.avgFillPrice).toBeGreaterThanOrEqual(5);
      await eventually(async () => expect(await held(CONTRACT_CALL)).toBe(0));
      const o = await order('tp-1');
      expect(legOf(o, 'target').status).toBe('filled');
      expect(legOf(o, 'stop').status).toBe('cancelled');
      expect(legOf(o, 'stop').execQuantity).toBe(0);
    });

    it('bracket: the stop fill cancels the take-profit', async () => {
      const intent = contractIntent({ id: 'sl-1' });
      await openBracket(intent, T0);
      await h.underlying(5690, T0 + 3 * S);
      for (let i = 3; i <= 6; i++) await h.quote(CONTRACT_CALL, 3.3 - (i - 3) * 0.05, 3.5, { bid: 10, ask: 10 }, T0 + i * S);
      await eventually(() => {
        expect(lastLeg('sl-1', 'stop')?.status).toBe('filled');
        expect(lastLeg('sl-1', 'target')?.status).toBe('cancelled');
      });
      const stop = lastLeg('sl-1', 'stop');
      expect(stop?.cumulativeQuantity).toBe(2);
      expect(stop?.avgFillPrice).toBeLessThanOrEqual(3.4);
      await eventually(async () => expect(await held(CONTRACT_CALL)).toBe(0));
    });

    it('partial entry fill, then cancel: the filled part stays as a position and can be closed', async () => {
      const intent = contractIntent({ id: 'part-1', quantity: 5 });
      await h.underlying(5700, T0);
      await h.quote(CONTRACT_CALL, 4, 4.2, { bid: 10, ask: 2 }, T0);
      const res = accepted(await h.broker.submitBracket(intent));
      await h.quote(CONTRACT_CALL, 4, 4.2, { bid: 10, ask: 2 }, T0 + S);
      await eventually(() => {
        const e = lastLeg('part-1', 'entry');
        expect(e?.status).toBe('partially_filled');
        expect(e?.cumulativeQuantity).toBe(2);
      });
      const c = await h.broker.cancel(res.brokerOrderId);
      expect(c.kind).toBe('ok');
      await h.advanceTo(T0 + 2 * S);
      await eventually(() => {
        const e = lastLeg('part-1', 'entry');
        expect(e?.status).toBe('cancelled');
        expect(e?.cumulativeQuantity).toBe(2);
      });
      await eventually(async () => {
        const o = await order('part-1');
        expect(legOf(o, 'entry').status).toBe('cancelled');
        expect(legOf(o, 'entry').execQuantity).toBe(2);
        expect(o.legs.every((l) => FINAL.has(l.status))).toBe(true);
      });
      expect(await held(CONTRACT_CALL)).toBe(2);
      accepted(await h.broker.closePosition(CONTRACT_CALL, 2, 3.9, 'part-1-x1'));
      await h.quote(CONTRACT_CALL, 4, 4.2, { bid: 10, ask: 10 }, T0 + 3 * S);
      await eventually(() => {
        const x = lastLeg('part-1-x1', 'exit');
        expect(x?.status).toBe('filled');
        expect(x?.cumulativeQuantity).toBe(2);
        expect(x?.avgFillPrice).toBeGreaterThanOrEqual(3.9);
      });
      await eventually(async () => expect(await held(CONTRACT_CALL)).toBe(0));
    });

    it('the stop leg is modified as the underlying moves, and the new stop is the one that triggers', async () => {
      const intent = contractIntent({ id: 'mod-1', takeProfit: 6 });
      const res = await openBracket(intent, T0);
      // A finished leg cannot be modified.
      expect((await h.broker.modifyLeg(res.legIds.entry, { price: 4.3 })).kind).toBe('rejected');
      await h.underlying(5710, T0 + 3 * S);
      await h.quote(CONTRACT_CALL, 4.6, 4.8, { bid: 10, ask: 10 }, T0 + 3 * S);
      expect((await h.broker.modifyLeg(res.legIds.stop, { stop: 4 })).kind).toBe('ok');
      await h.underlying(5709, T0 + 4 * S);
      await h.quote(CONTRACT_CALL, 4.5, 4.7, { bid: 10, ask: 10 }, T0 + 4 * S);
      await eventually(async () => expect(legOf(await order('mod-1'), 'stop').stop).toBe(4));
      expect(lastLeg('mod-1', 'stop')?.status ?? 'working').not.toBe('filled');
      // Underlying falls back: 3.90 is above the old stop (3.40) but through the new one (4.00).
      await h.underlying(5703, T0 + 5 * S);
      for (let i = 5; i <= 7; i++) await h.quote(CONTRACT_CALL, 3.9, 4.1, { bid: 10, ask: 10 }, T0 + i * S);
      await eventually(() => {
        expect(lastLeg('mod-1', 'stop')?.status).toBe('filled');
        expect(lastLeg('mod-1', 'target')?.status).toBe('cancelled');
      });
      expect(lastLeg('mod-1', 'stop')?.avgFillPrice).toBeLessThanOrEqual(4);
    });

    it('cancel all: every working order and leg ends cancelled; positions stay', async () => {
      const a = contractIntent({ id: 'ca-1', quantity: 1 });
      await openBracket(a, T0);
      await h.quote(CONTRACT_PUT, 1.9, 2, { bid: 10, ask: 10 }, T0 + 2 * S);
      const b = contractIntent({ id: 'ca-2', optionSymbol: CONTRACT_PUT, quantity: 1, limitPrice: 1, takeProfit: 2.5, stopPrice: 0.5 });
      accepted(await h.broker.submitBracket(b));
      await h.advanceTo(T0 + 3 * S);
      for (const o of await h.broker.listOrders()) {
        if (o.legs.some((l) => !FINAL.has(l.status))) expect((await h.broker.cancel(o.brokerOrderId)).kind).toBe('ok');
      }
      await h.advanceTo(T0 + 4 * S);
      await eventually(async () => {
        for (const o of await h.broker.listOrders()) for (const l of o.legs) expect(FINAL.has(l.status), `${o.tag} ${l.leg} ${l.status}`).toBe(true);
      });
      await eventually(() => {
        expect(lastLeg('ca-1', 'target')?.status).toBe('cancelled');
        expect(lastLeg('ca-1', 'stop')?.status).toBe('cancelled');
        expect(lastLeg('ca-2', 'entry')?.status).toBe('cancelled');
      });
      expect(await held(CONTRACT_CALL)).toBe(1);
      const again = await h.broker.cancel((await order('ca-2')).brokerOrderId);
      expect(again.kind).toBe('already-final');
    });

    it('expiry at the close: legs expire and the 0DTE index position cash-settles at intrinsic', async () => {
      const intent = contractIntent({ id: 'exp-1', takeProfit: 20, quantity: 1 });
      await openBracket(intent, T0);
      await h.underlying(5712.4, CLOSE - 2 * S);
      await h.quote(CONTRACT_CALL, 12.3, 12.5, { bid: 10, ask: 10 }, CLOSE - S);
      await h.closeSession(CLOSE);
      await eventually(() => {
        const settle = reports.find((r) => r.orderId === 'exp-1' && r.status === 'expired' && r.fillQuantity > 0);
        expect(settle).toBeDefined();
        expect(settle?.fillQuantity).toBe(1);
        expect(settle?.fillPrice).toBeCloseTo(12.4, 2);
        expect(settle?.reason ?? '').toMatch(/settle/i);
      });
      await eventually(async () => {
        expect(await held(CONTRACT_CALL)).toBe(0);
        const o = await order('exp-1');
        expect(o.legs.every((l) => FINAL.has(l.status))).toBe(true);
      });
      for (const r of reports) expect(r.ts).toBeLessThanOrEqual(CLOSE);
    });
  });
}
