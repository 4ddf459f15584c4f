import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { ExecutionReport, OrderIntent } from '../../domain/orders.js';
import type { BrokerOrder, BrokerPort, SubmitResult } from './BrokerPort.js';
import { KIT_CALL, KIT_PUT, KIT_SESSION, KT0, kitIndex, kitIntent, kitOms, kitQuote } from './omsTestKit.js';
import { omsConfigSchema } from './omsConfig.js';
import { SimBroker } from './simBroker.js';

const states = (k: ReturnType<typeof kitOms>, id: string) => k.of('BracketUpdate').filter((u) => u.orderId === id).map((u) => u.state);

/** Open a bracket at 5700 and fill its entry (latency 250 ms → fills on the quote 1 s later). */
function opened(cfg: Parameters<typeof kitOms>[0] = {}, over: Partial<OrderIntent> = {}) {
  const k = kitOms(cfg);
  k.move(5700, KT0);
  const intent = kitIntent({ id: 'b1', ...over });
  k.send(intent);
  k.move(5700, KT0 + 1_000, intent.optionSymbol);
  k.move(5700, KT0 + 2_000, intent.optionSymbol); // OCO live
  return { k, intent };
}

describe('OrderManager: bracket lifecycle', () => {
  it('pending → working → filled → closed on the take-profit; reports are passed on', () => {
    const { k, intent } = opened({ stopSync: { enabled: false } });
    expect(states(k, 'b1')).toEqual(['pending', 'working', 'filled']);
    k.send(kitIndex(5730, KT0 + 3_000), { ...kitQuote(5730, KT0 + 3_000), bid: intent.takeProfit, ask: intent.takeProfit + 0.1 });
    expect(states(k, 'b1')).toEqual(['pending', 'working', 'filled', 'closed']);
    const reps = k.of('ExecutionReport').map((r) => `${r.leg}:${r.status}:${r.cumulativeQuantity}`);
    expect(reps).toEqual(['entry:filled:2', 'target:filled:2', 'stop:cancelled:0']);
    expect(k.of('BracketUpdate').at(-1)).toMatchObject({ state: 'closed', openQuantity: 0 });
    expect(k.journal.records.map((r) => r.kind).slice(0, 3)).toEqual(['intent', 'call', 'result']);
  });

  it('allows one working bracket per underlying and refuses entries when halted', () => {
    const { k } = opened();
    k.send(kitIntent({ id: 'b2', ts: KT0 + 2_500 }));
    expect(k.of('BracketUpdate').at(-1)).toMatchObject({ orderId: 'b2', state: 'rejected' });
    expect(k.of('BracketUpdate').at(-1)?.reason).toMatch(/one working bracket per underlying/);

    const h = kitOms({}, { reconciled: { adopted: [], haltEntries: 'position mismatch', ts: KT0 } });
    h.send(kitIntent({ id: 'x' }));
    expect(h.of('BracketUpdate')).toEqual([expect.objectContaining({ state: 'rejected', reason: 'entries halted: position mismatch' })]);
    expect(h.sim.listOrdersSync()).toEqual([]);
  });

  it('a broker reject is a rejected bracket, and the underlying is free again', () => {
    const k = kitOms();
    k.move(5700, KT0);
    k.send(kitIntent({ id: 'bad', quantity: 0 }));
    expect(states(k, 'bad')).toEqual(['pending', 'rejected']);
    k.send(kitIntent({ id: 'good' }));
    expect(states(k, 'good')).toEqual(['pending', 'working']);
  });
});

describe('OrderManager: stops synced to the underlying', () => {
  it('re-derives the option stop from the underlying stop as the index moves, rate-limited, and moves it by ticks', () => {
    const { k, intent } = opened({ breakEven: { enabled: false }, trailing: { enabled: false }, stopSync: { minIntervalMs: 2_000 } }, { takeProfit: 40 });
    // First option quote after the fill: the intent's stop is replaced by the derived one.
    const adj = k.of('StopAdjusted');
    expect(adj).toHaveLength(1);
    const first = adj[0]!;
    expect(first).toMatchObject({ accepted: true, why: 'sync', from: intent.stopPrice, underlyingStop: 5690, underlyingPrice: 5700 });
    // Taylor estimate of the option at the stop level vs its BS value there: within a few ticks.
    expect(Math.abs(first.to - kitQuote(5690, KT0 + 1_000).bid)).toBeLessThan(0.5);
    k.move(5708, KT0 + 2_500); // within minIntervalMs: no modification
    expect(k.of('StopAdjusted')).toHaveLength(1);
    k.move(5708, KT0 + 4_100);
    expect(k.of('StopAdjusted')).toHaveLength(2);
    const second = k.of('StopAdjusted')[1]!;
    expect(second.underlyingPrice).toBe(5708);
    expect(Math.abs(second.to - kitQuote(5690, KT0 + 4_100).bid)).toBeLessThan(0.5);
    // The broker has the new stop once the modification has reached it.
    k.move(5708, KT0 + 5_000);
    const stopLeg = k.sim.findByTagSync('b1')!.legs.find((l) => l.leg === 'stop')!;
    expect(stopLeg.stop).toBe(k.of('StopAdjusted').at(-1)!.to);
    // No change of at least a tick → no modification.
    k.move(5708, KT0 + 7_000);
    expect(k.of('StopAdjusted')).toHaveLength(2);
  });

  it('moves the stop to break-even after the configured share of the way to the target', () => {
    const { k, intent } = opened({ trailing: { enabled: false }, breakEven: { triggerFraction: 0.5, offsetTicks: 1 }, stopSync: { minIntervalMs: 0 } }, { takeProfit: 40 });
    const entry = k.of('ExecutionReport')[0]!.avgFillPrice;
    k.move(5711, KT0 + 3_000); // 55% of the way to 5720
    const last = k.of('StopAdjusted').at(-1)!;
    expect(last.why).toBe('break-even');
    expect(last.to).toBeCloseTo(entry + 0.1, 6);
    expect(intent.takeProfit).toBeGreaterThan(last.to);
  });

  it('trails the underlying stop after activation and never lowers it', () => {
    const { k } = opened({ breakEven: { enabled: false }, trailing: { activationFraction: 0.5, giveBackFraction: 0.5 }, stopSync: { minIntervalMs: 0 } }, { takeProfit: 40 });
    k.move(5716, KT0 + 3_000); // best 5716 → trailing stop 5708
    expect(k.of('StopAdjusted').at(-1)).toMatchObject({ why: 'trail', underlyingStop: 5708 });
    k.move(5712, KT0 + 4_000);
    expect(k.of('StopAdjusted').at(-1)?.underlyingStop).toBe(5708);
    k.move(5707.5, KT0 + 5_000); // through the trailing stop: marketable exit
    expect(k.of('BracketUpdate').some((u) => /crossed its stop 5708/.test(u.reason))).toBe(true);
  });

  it('sends a marketable exit when the underlying crosses its stop before the option stop triggers', () => {
    const { k } = opened({ stopSync: { enabled: false } });
    k.move(5689, KT0 + 3_000); // index through 5690; option stop (≈ half the premium) far below
    expect(k.of('BracketUpdate').at(-1)?.reason).toMatch(/^closing: underlying 5689 crossed its stop 5690/);
    k.move(5689, KT0 + 4_000); // bracket cancel lands → exit sent
    k.move(5689, KT0 + 5_000); // exit fills
    const exit = k.of('ExecutionReport').filter((r) => r.orderId === 'b1-x1');
    expect(exit.at(-1)).toMatchObject({ leg: 'exit', status: 'filled', cumulativeQuantity: 2 });
    expect(states(k, 'b1').at(-1)).toBe('closed');
    expect(k.sim.positionsSync()).toEqual([]);
  });

  it('closes at the time stop', () => {
    const { k, intent } = opened({ stopSync: { enabled: false } });
    k.move(5701, intent.timeStop);
    expect(k.of('BracketUpdate').at(-1)?.reason).toBe('closing: time stop');
    k.move(5701, intent.timeStop + 1_000);
    k.move(5701, intent.timeStop + 2_000);
    expect(states(k, 'b1').at(-1)).toBe('closed');
  });

  it('re-prices a working exit towards the bid', () => {
    const { k } = opened({ stopSync: { enabled: false }, exits: { repriceMs: 1_000, slippageTicks: 0 } });
    k.move(5689, KT0 + 3_000);
    k.move(5689, KT0 + 4_000); // exit sent at the bid
    // The bid drops before the exit reaches the market: no fill at the old limit, then re-priced and filled.
    const q = kitQuote(5685, KT0 + 4_500);
    k.send(kitIndex(5685, KT0 + 4_500), q);
    expect(k.of('ExecutionReport').some((r) => r.orderId === 'b1-x1' && r.fillQuantity > 0)).toBe(false);
    k.send({ ...q, ts: KT0 + 5_100 });
    k.send({ ...q, ts: KT0 + 5_500 });
    expect(k.of('ExecutionReport').filter((r) => r.orderId === 'b1-x1').at(-1)).toMatchObject({ status: 'filled', fillPrice: q.bid });
  });
});

describe('OrderManager: commands', () => {
  it('CancelAllOrders cancels working legs and leaves the position (still watched by the underlying stop)', () => {
    const { k } = opened({ stopSync: { enabled: false } });
    k.send({ type: 'CancelAllOrders', ts: KT0 + 2_500, reason: 'kill' });
    k.move(5701, KT0 + 3_000);
    const legs = k.sim.findByTagSync('b1')!.legs;
    expect(legs.map((l) => l.status)).toEqual(['filled', 'cancelled', 'cancelled']);
    expect(k.sim.positionsSync()[0]?.quantity).toBe(2);
    expect(states(k, 'b1').at(-1)).toBe('filled');
    expect(k.of('BracketUpdate').some((u) => /protective legs/.test(u.reason))).toBe(false);
    k.move(5689, KT0 + 4_000);
    k.move(5689, KT0 + 5_000);
    expect(states(k, 'b1').at(-1)).toBe('closed');
  });

  it('FlattenAll closes every position with marketable limits and then reports broker positions', () => {
    const { k } = opened({ stopSync: { enabled: false } });
    k.send({ type: 'FlattenAll', ts: KT0 + 2_500, reason: '15:50 flatten' });
    k.move(5700, KT0 + 3_000);
    k.move(5700, KT0 + 4_000);
    expect(states(k, 'b1').at(-1)).toBe('closed');
    expect(k.of('BrokerPositions')).toEqual([{ type: 'BrokerPositions', ts: KT0 + 4_000, positions: [] }]);
    expect(k.journal.records.some((r) => r.kind === 'command')).toBe(true);
  });

  it('closes a position whose protective legs the broker cancelled (stop above the bid on activation)', () => {
    const k = kitOms({ stopSync: { enabled: false } });
    k.move(5700, KT0);
    const q = kitQuote(5700, KT0);
    k.send(kitIntent({ id: 'w', stopPrice: q.bid + 0.1 > q.ask ? q.bid : q.bid }));
    k.move(5700, KT0 + 1_000);
    k.move(5700, KT0 + 2_000);
    expect(k.of('BracketUpdate').some((u) => /protective legs cancelled by the broker/.test(u.reason))).toBe(true);
    k.move(5700, KT0 + 3_000);
    expect(states(k, 'w').at(-1)).toBe('closed');
  });

  it('a 0DTE position left open settles at the close and the bracket ends expired', () => {
    const { k } = opened({ stopSync: { enabled: false } }, { timeStop: KIT_SESSION.close + 3_600_000, underlyingStop: 5600 });
    k.send(kitIndex(5712.5, KIT_SESSION.close - 1_000));
    k.send({ type: 'Heartbeat', ts: KIT_SESSION.close });
    expect(k.of('ExecutionReport').at(-1)).toMatchObject({ status: 'expired', fillPrice: 12.5, fillQuantity: 2 });
    expect(states(k, 'b1').at(-1)).toBe('expired');
  });
});

/** A broker that loses the answer to the first submit (the order is placed anyway, or not). */
class LossyBroker extends SimBroker {
  constructor(private readonly place: boolean) {
    super(omsConfigSchema.parse({}).sim);
  }
  lookups = 0;
  submits = 0;
  override submitBracketSync(intent: OrderIntent): SubmitResult {
    this.submits++;
    if (this.place) super.submitBracketSync(intent);
    return { kind: 'unknown', reason: 'timeout' };
  }
  override findByTagSync(tag: string): BrokerOrder | null {
    this.lookups++;
    return super.findByTagSync(tag);
  }
}

describe('OrderManager: unknown submissions', () => {
  it('adopts an order found by tag, never resubmitting', () => {
    const lossy = new LossyBroker(true);
    const k = kitOms({}, { broker: lossy });
    k.input.next(kitIndex(5700, KT0));
    lossy.onMarket(kitQuote(5700, KT0));
    k.send(kitIntent({ id: 'u1' }));
    expect(states(k, 'u1')).toEqual(['pending', 'unknown']);
    k.send(kitIndex(5700, KT0 + 500));
    expect(states(k, 'u1')).toEqual(['pending', 'unknown', 'working']);
    expect(lossy.submits).toBe(1);
  });

  it('rejects locally only after repeated not-found lookups over the grace period', () => {
    const lossy = new LossyBroker(false);
    const k = kitOms({ unknown: { lookupIntervalMs: 1_000, graceMs: 5_000, minLookups: 3 } }, { broker: lossy });
    k.send(kitIndex(5700, KT0), kitIntent({ id: 'u2' }));
    for (let i = 1; i <= 4; i++) k.send(kitIndex(5700, KT0 + i * 1_000));
    expect(states(k, 'u2').at(-1)).toBe('unknown');
    k.send(kitIndex(5700, KT0 + 5_000));
    expect(states(k, 'u2').at(-1)).toBe('rejected');
    expect(k.of('BracketUpdate').at(-1)?.reason).toMatch(/not found at the broker after \d+ lookups over 5000 ms/);
    expect(lossy.submits).toBe(1);
    expect(lossy.lookups).toBeGreaterThanOrEqual(3);
  });
});

/** A scripted broker: reports are pushed by the test. */
function scripted() {
  const reports$ = new Subject<ExecutionReport>();
  const broker: BrokerPort = {
    name: 'scripted',
    submitBracket: async () => ({ kind: 'accepted', brokerOrderId: '100', legIds: { entry: '101', target: '102', stop: '103' } }),
    modifyLeg: async () => ({ kind: 'ok' }),
    cancel: async () => ({ kind: 'ok' }),
    closePosition: async () => ({ kind: 'rejected', reason: 'n/a' }),
    listOrders: async () => [],
    findByTag: async () => null,
    positions: async () => [],
    balances: async () => ({ cash: 0, optionBuyingPower: 0, equity: 0 }),
    reports$,
  };
  return { broker, reports$ };
}

const rep = (over: Partial<ExecutionReport>): ExecutionReport => ({
  type: 'ExecutionReport',
  ts: KT0 + 1_000,
  orderId: 's1',
  brokerOrderId: '100',
  leg: 'entry',
  optionSymbol: KIT_CALL,
  status: 'filled',
  fillQuantity: 2,
  fillPrice: 8,
  cumulativeQuantity: 2,
  avgFillPrice: 8,
  fees: 1.9,
  ...over,
});

describe('OrderManager: async broker, duplicates and overfills', () => {
  it('applies async results in submission order, drops duplicate reports and refuses overfills', async () => {
    const { broker, reports$ } = scripted();
    const k = kitOms({}, { broker });
    k.send(kitIndex(5700, KT0), kitIntent({ id: 's1' }));
    expect(states(k, 's1')).toEqual(['pending']);
    await new Promise((r) => setTimeout(r, 0));
    expect(states(k, 's1')).toEqual(['pending', 'working']);
    reports$.next(rep({}));
    reports$.next(rep({})); // same fill seen on stream and poll
    expect(k.of('ExecutionReport')).toHaveLength(1);
    reports$.next(rep({ leg: 'entry', cumulativeQuantity: 3, fillQuantity: 1 }));
    expect(k.of('OmsError').at(-1)?.reason).toMatch(/overfill: entry/);
    reports$.next(rep({ leg: 'stop', cumulativeQuantity: 3, fillQuantity: 3, fillPrice: 4, avgFillPrice: 4 }));
    expect(k.of('OmsError').at(-1)?.reason).toMatch(/overfill: exit/);
    expect(k.of('ExecutionReport')).toHaveLength(1);
    reports$.next(rep({ leg: 'stop', cumulativeQuantity: 2, fillQuantity: 2, fillPrice: 4, avgFillPrice: 4, ts: KT0 + 2_000 }));
    reports$.next(rep({ leg: 'target', status: 'cancelled', cumulativeQuantity: 0, fillQuantity: 0, ts: KT0 + 2_000 }));
    expect(states(k, 's1')).toEqual(['pending', 'working', 'filled', 'closed']);
    reports$.next(rep({ orderId: 'stranger' }));
    expect(k.of('OmsError').at(-1)?.reason).toMatch(/does not know/);
  });
});

describe('OrderManager: determinism', () => {
  it('the same inputs give byte-identical outputs', () => {
    const run = () => {
      const k = kitOms({ stopSync: { minIntervalMs: 500 } });
      k.move(5700, KT0);
      k.send(kitIntent({ id: 'd1' }));
      let S = 5700;
      for (let i = 1; i < 200; i++) {
        S += Math.sin(i * 1.7) * 1.5 + 0.05;
        k.move(Math.round(S * 100) / 100, KT0 + i * 400);
        if (i === 100) k.send(kitIntent({ id: 'd2', optionSymbol: KIT_PUT, ts: KT0 + i * 400 }, S, KT0 + i * 400));
      }
      k.send({ type: 'Heartbeat', ts: KIT_SESSION.close });
      return JSON.stringify(k.out);
    };
    const a = run();
    expect(a).toBe(run());
    expect(a.length).toBeGreaterThan(500);
  });
});
