import { afterEach, describe, expect, it } from 'vitest';
import type { ExecutionReport } from '../../../domain/orders.js';
import { FakeTradierServer } from './fakeTradierServer.js';
import { TradierAuthError } from './tradierBroker.js';
import { SPXW_CALL, startRig, testIntent, waitFor, type Rig } from './testKit.js';

const rigs: Rig[] = [];
const servers: FakeTradierServer[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.close();
  for (const s of servers.splice(0)) await s.close();
});

async function rig(...args: Parameters<typeof startRig>): Promise<Rig> {
  const r = await startRig(...args);
  rigs.push(r);
  return r;
}

const brief = (r: ExecutionReport): string =>
  `${r.orderId}/${r.leg}:${r.status}${r.fillQuantity > 0 ? ` ${r.fillQuantity}@${r.fillPrice}` : ''}`;

async function accepted(r: Rig, over: Parameters<typeof testIntent>[0] = {}) {
  const res = await r.broker.submitBracket(testIntent(over));
  if (res.kind !== 'accepted') throw new Error(`expected accepted, got ${JSON.stringify(res)}`);
  return { ...res, legs: { entry: Number(res.legIds.entry), target: Number(res.legIds.target), stop: Number(res.legIds.stop) } };
}

describe('TradierBroker wire', () => {
  it('POSTs an OTOCO with exactly the spec fields, symbol = underlying, option symbol without O:', async () => {
    const r = await rig({ stream: false });
    await accepted(r);
    const post = r.server.requests.find((q) => q.method === 'POST' && q.path.endsWith('/orders'));
    expect(post?.path).toBe(`/v1/accounts/${r.server.accountId}/orders`);
    expect(post?.form).toEqual([
      ['class', 'otoco'],
      ['duration', 'day'],
      ['tag', 'scalp-42'],
      ['symbol[0]', 'SPX'],
      ['option_symbol[0]', 'SPXW250725C05900000'],
      ['side[0]', 'buy_to_open'],
      ['quantity[0]', '1'],
      ['type[0]', 'limit'],
      ['price[0]', '4.2'],
      ['symbol[1]', 'SPX'],
      ['option_symbol[1]', 'SPXW250725C05900000'],
      ['side[1]', 'sell_to_close'],
      ['quantity[1]', '1'],
      ['type[1]', 'limit'],
      ['price[1]', '5'],
      ['symbol[2]', 'SPX'],
      ['option_symbol[2]', 'SPXW250725C05900000'],
      ['side[2]', 'sell_to_close'],
      ['quantity[2]', '1'],
      ['type[2]', 'stop'],
      ['stop[2]', '3.4'],
    ]);
  });

  it('maps NDXP to symbol NDX and reads the bracket back with leg ids and roles', async () => {
    const r = await rig({ stream: false });
    const res = await accepted(r, { optionSymbol: 'O:NDXP260421P26000000', underlying: 'NDX', root: 'NDXP', id: 'n-1' });
    const post = r.server.requests.find((q) => q.method === 'POST' && q.path.endsWith('/orders'));
    expect(post?.form.filter(([k]) => k.startsWith('symbol['))).toEqual([
      ['symbol[0]', 'NDX'],
      ['symbol[1]', 'NDX'],
      ['symbol[2]', 'NDX'],
    ]);
    const o = await r.broker.findByTag('n-1');
    expect(o?.brokerOrderId).toBe(res.brokerOrderId);
    expect(o?.legs.map((l) => [l.leg, l.id, l.type, l.status, l.price, l.stop, l.optionSymbol])).toEqual([
      ['entry', res.legIds.entry, 'limit', 'working', 4.2, null, 'O:NDXP260421P26000000'],
      ['target', res.legIds.target, 'limit', 'pending', 5, null, 'O:NDXP260421P26000000'],
      ['stop', res.legIds.stop, 'stop', 'pending', null, 3.4, 'O:NDXP260421P26000000'],
    ]);
  });

  it('rejects locally, without sending, an intent Tradier would refuse', async () => {
    const r = await rig({ stream: false });
    expect((await r.broker.submitBracket(testIntent({ id: 'bad_tag' }))).kind).toBe('rejected');
    expect((await r.broker.submitBracket(testIntent({ quantity: 1.5 }))).kind).toBe('rejected');
    expect((await r.broker.submitBracket(testIntent({ takeProfit: 3, stopPrice: 3.4 }))).kind).toBe('rejected');
    expect(r.server.orderPosts).toBe(0);
  });

  it('handles the JSON quirks: "null" collections, single objects, paging', async () => {
    const r = await rig({ stream: false, pageSize: 2 });
    expect(await r.broker.listOrders()).toEqual([]);
    expect(await r.broker.positions()).toEqual([]);
    await accepted(r, { id: 'a-1' });
    expect((await r.broker.listOrders()).map((o) => o.tag)).toEqual(['a-1']);
    for (const id of ['a-2', 'a-3', 'a-4', 'a-5']) await accepted(r, { id });
    expect((await r.broker.listOrders()).map((o) => o.tag)).toEqual(['a-1', 'a-2', 'a-3', 'a-4', 'a-5']);
    r.server.setPosition('SPXW250725C05900000', 2, 840);
    expect(await r.broker.positions()).toEqual([{ optionSymbol: SPXW_CALL, quantity: 2, costBasis: 840 }]);
    r.server.setPosition('SPY251219C00650000', -1, -125);
    r.server.setPosition('SPY', 100, 60_000);
    expect(await r.broker.positions()).toEqual([
      { optionSymbol: SPXW_CALL, quantity: 2, costBasis: 840 },
      { optionSymbol: 'O:SPY251219C00650000', quantity: -1, costBasis: -125 },
    ]);
    expect(r.logs.some((l) => l.includes('non-option position SPY'))).toBe(true);
  });

  it('reads balances for margin and cash accounts', async () => {
    const r = await rig({ stream: false });
    r.server.setBalances({ accountType: 'margin', totalCash: 10_000, totalEquity: 12_000, optionBuyingPower: 8_000 });
    expect(await r.broker.balances()).toEqual({ cash: 10_000, optionBuyingPower: 8_000, equity: 12_000 });
    r.server.setBalances({ accountType: 'cash', totalCash: 5_000, totalEquity: 5_000 });
    expect(await r.broker.balances()).toEqual({ cash: 5_000, optionBuyingPower: 5_000, equity: 5_000 });
  });
});

describe('TradierBroker lifecycle (fake server drives fills)', () => {
  it('entry fill → target fill cancels the stop', async () => {
    const r = await rig();
    r.subscribe();
    const b = await accepted(r);
    r.server.fill(b.legs.entry, 4.2);
    await waitFor(() => r.reports.some((x) => x.leg === 'stop' && x.status === 'working'), 3_000, 'OCO active');
    r.server.fill(b.legs.target, 5);
    await waitFor(() => r.reports.some((x) => x.leg === 'stop' && x.status === 'cancelled'), 3_000, 'stop cancelled');
    await r.broker.pollNow();
    expect(r.reports.map(brief)).toEqual([
      'scalp-42/entry:working',
      'scalp-42/entry:filled 1@4.2',
      'scalp-42/target:working',
      'scalp-42/stop:working',
      'scalp-42/target:filled 1@5',
      'scalp-42/stop:cancelled',
    ]);
    expect(r.reports.every((x) => x.brokerOrderId === b.brokerOrderId && x.optionSymbol === SPXW_CALL)).toBe(true);
    expect(await r.broker.positions()).toEqual([]);
    expect((await r.broker.findByTag('scalp-42'))?.status).toBe('filled');
  });

  it('stop fill cancels the target', async () => {
    const r = await rig();
    r.subscribe();
    const b = await accepted(r);
    r.server.fill(b.legs.entry, 4.2);
    r.server.fill(b.legs.stop, 3.35);
    await waitFor(() => r.reports.some((x) => x.leg === 'target' && x.status === 'cancelled'), 3_000, 'target cancelled');
    const fills = r.reports.filter((x) => x.fillQuantity > 0).map(brief);
    expect(fills).toEqual(['scalp-42/entry:filled 1@4.2', 'scalp-42/stop:filled 1@3.35']);
    expect(r.reports.filter((x) => x.leg === 'target').at(-1)?.status).toBe('cancelled');
  });

  it('partial entry then cancel leaves the filled part, which closePosition flattens', async () => {
    const r = await rig({ feePerContract: 0.35 });
    r.subscribe();
    const b = await accepted(r, { quantity: 3 });
    r.server.fill(b.legs.entry, 4.2, 1);
    await waitFor(() => r.reports.find((x) => x.leg === 'entry' && x.fillQuantity > 0), 3_000, 'first partial');
    r.server.fill(b.legs.entry, 4.3, 1);
    await waitFor(() => r.reports.filter((x) => x.leg === 'entry' && x.fillQuantity > 0).length === 2 || undefined, 3_000, 'two partials');
    expect(await r.broker.cancel(b.brokerOrderId)).toEqual({ kind: 'ok' });
    await waitFor(() => r.reports.filter((x) => x.status === 'cancelled').length === 3 || undefined, 3_000, 'all cancelled');
    const entryFills = r.reports.filter((x) => x.leg === 'entry' && x.fillQuantity > 0);
    expect(entryFills.map((x) => [x.status, x.fillQuantity, x.fillPrice, x.cumulativeQuantity, x.avgFillPrice, x.fees])).toEqual([
      ['partially_filled', 1, 4.2, 1, 4.2, 0.35],
      ['partially_filled', 1, 4.3, 2, 4.25, 0.35],
    ]);
    expect(await r.broker.positions()).toEqual([{ optionSymbol: SPXW_CALL, quantity: 2, costBasis: 850 }]);

    const close = await r.broker.closePosition(SPXW_CALL, 2, 4.0, 'scalp-42-x');
    expect(close.kind).toBe('accepted');
    const closeForm = r.server.requests.filter((q) => q.method === 'POST').at(-1)?.form;
    expect(closeForm).toEqual([
      ['class', 'option'],
      ['symbol', 'SPX'],
      ['option_symbol', 'SPXW250725C05900000'],
      ['side', 'sell_to_close'],
      ['quantity', '2'],
      ['type', 'limit'],
      ['duration', 'day'],
      ['price', '4'],
      ['tag', 'scalp-42-x'],
    ]);
    if (close.kind !== 'accepted') return;
    r.server.fill(Number(close.brokerOrderId), 4.05);
    await waitFor(() => r.reports.find((x) => x.leg === 'exit' && x.status === 'filled'), 3_000, 'exit fill');
    expect(r.reports.filter((x) => x.leg === 'exit').map(brief)).toEqual(['scalp-42-x/exit:working', 'scalp-42-x/exit:filled 2@4.05']);
    expect(await r.broker.positions()).toEqual([]);
  });

  it('modifies the stop leg (before and after OCO activation)', async () => {
    const r = await rig({ stream: false });
    const b = await accepted(r);
    expect(await r.broker.modifyLeg(b.legIds.stop, { stop: 3.5 })).toEqual({ kind: 'ok' });
    r.server.fill(b.legs.entry, 4.2);
    expect(await r.broker.modifyLeg(b.legIds.stop, { stop: 3.9 })).toEqual({ kind: 'ok' });
    expect(await r.broker.modifyLeg(b.legIds.target, { price: 5.2 })).toEqual({ kind: 'ok' });
    const put = r.server.requests.filter((q) => q.method === 'PUT');
    expect(put.map((q) => [q.path, q.form])).toEqual([
      [`/v1/accounts/${r.server.accountId}/orders/${b.legIds.stop}`, [['stop', '3.5']]],
      [`/v1/accounts/${r.server.accountId}/orders/${b.legIds.stop}`, [['stop', '3.9']]],
      [`/v1/accounts/${r.server.accountId}/orders/${b.legIds.target}`, [['price', '5.2']]],
    ]);
    const o = await r.broker.findByTag('scalp-42');
    expect(o?.legs.map((l) => [l.leg, l.price, l.stop, l.status])).toEqual([
      ['entry', 4.2, null, 'filled'],
      ['target', 5.2, null, 'working'],
      ['stop', null, 3.9, 'working'],
    ]);
    expect(await r.broker.modifyLeg(b.legIds.stop, {})).toMatchObject({ kind: 'rejected' });
    expect(await r.broker.modifyLeg(b.legIds.stop, { stop: -1 })).toMatchObject({ kind: 'rejected' });
    r.server.fill(b.legs.stop, 3.9);
    const late = await r.broker.modifyLeg(b.legIds.stop, { stop: 4.0 });
    expect(late.kind).toBe('rejected');
  });

  it('cancel all: every working bracket and its legs end cancelled', async () => {
    const r = await rig();
    r.subscribe();
    const a = await accepted(r, { id: 'c-1' });
    const b2 = await accepted(r, { id: 'c-2', optionSymbol: 'O:SPY251219C00650000', root: 'SPY', underlying: 'SPY' });
    r.server.fill(b2.legs.entry, 4.2);
    for (const o of await r.broker.listOrders()) {
      if (o.status === 'working' || o.status === 'partially_filled' || o.status === 'pending') {
        expect(await r.broker.cancel(o.brokerOrderId)).toEqual({ kind: 'ok' });
      }
    }
    await waitFor(() => r.reports.filter((x) => x.status === 'cancelled').length === 5 || undefined, 3_000, 'five cancels');
    const orders = await r.broker.listOrders();
    expect(orders.map((o) => [o.tag, o.status])).toEqual([
      ['c-1', 'cancelled'],
      ['c-2', 'cancelled'],
    ]);
    expect(r.reports.filter((x) => x.status === 'cancelled').map((x) => `${x.orderId}/${x.leg}`).sort()).toEqual([
      'c-1/entry',
      'c-1/stop',
      'c-1/target',
      'c-2/stop',
      'c-2/target',
    ]);
    expect(a.brokerOrderId).not.toBe(b2.brokerOrderId);
  });

  it('expiry at the close: live day legs expire and are reported once', async () => {
    const r = await rig();
    r.subscribe();
    const b = await accepted(r);
    r.server.fill(b.legs.entry, 4.2);
    await waitFor(() => r.reports.some((x) => x.leg === 'target' && x.status === 'working'), 3_000, 'OCO active');
    r.server.expireDay();
    await waitFor(() => r.reports.filter((x) => x.status === 'expired').length === 2 || undefined, 3_000, 'expired');
    await r.broker.pollNow();
    expect(r.reports.filter((x) => x.status === 'expired').map((x) => x.leg)).toEqual(['target', 'stop']);
    expect((await r.broker.findByTag('scalp-42'))?.status).toBe('expired');
  });
});

describe('TradierBroker faults', () => {
  it('POST times out after the order was created → unknown; findByTag adopts it; exactly one bracket', async () => {
    const r = await rig();
    r.subscribe();
    await waitFor(() => r.broker.streamConnected, 3_000, 'stream');
    r.server.injectFault({ method: 'POST', path: /\/orders$/, fault: { kind: 'hangAfterProcessing' } });
    const res = await r.broker.submitBracket(testIntent());
    expect(res.kind).toBe('unknown');
    expect(res.kind === 'unknown' && res.reason).toMatch(/timeout/);
    const found = await r.broker.findByTag('scalp-42');
    expect(found).not.toBeNull();
    expect(found?.legs.map((l) => l.leg)).toEqual(['entry', 'target', 'stop']);
    await new Promise((x) => setTimeout(x, 200)); // several polls
    expect(r.server.orderPosts).toBe(1);
    expect(r.server.findByTag('scalp-42')).toHaveLength(1);
    // The adopted order is tracked: its fills are reported under the intent id.
    r.server.fill(Number(found?.legs[0]?.id), 4.2);
    await waitFor(() => r.reports.find((x) => x.leg === 'entry' && x.status === 'filled'), 3_000, 'entry fill');
    expect(r.reports.filter((x) => x.fillQuantity > 0).map(brief)).toEqual(['scalp-42/entry:filled 1@4.2']);
  });

  it('502 with no order created → unknown; findByTag answers null; never re-POSTed', async () => {
    const r = await rig({ stream: false });
    r.subscribe();
    r.server.injectFault({ method: 'POST', path: /\/orders$/, fault: { kind: 'httpError', status: 502 } });
    const res = await r.broker.submitBracket(testIntent());
    expect(res).toEqual({ kind: 'unknown', reason: 'order POST answered HTTP 502; resolve by tag scalp-42' });
    expect(await r.broker.findByTag('scalp-42')).toBeNull();
    await new Promise((x) => setTimeout(x, 150));
    expect(r.server.orderPosts).toBe(1);
    expect(r.server.allOrders()).toHaveLength(0);
  });

  it('HTTP 200 with an errors body → rejected with the message', async () => {
    const r = await rig({ stream: false });
    r.server.injectFault({ method: 'POST', fault: { kind: 'errorsBody', messages: ['OcoPriceDifferenceIsLessThanDelta'] } });
    expect(await r.broker.submitBracket(testIntent())).toEqual({ kind: 'rejected', reason: 'OcoPriceDifferenceIsLessThanDelta' });
    r.server.injectFault({ method: 'POST', fault: { kind: 'errorsBody', messages: ['InitialMargin', 'DayTraderPatternRestriction'] } });
    expect(await r.broker.submitBracket(testIntent())).toEqual({ kind: 'rejected', reason: 'InitialMargin; DayTraderPatternRestriction' });
    expect(r.server.allOrders()).toHaveLength(0);
  });

  it('400 validation errors and the late (post-ack) reject are rejected with their reasons', async () => {
    const r = await rig({ stream: false });
    const viaServer = await r.broker.closePosition(SPXW_CALL, 1, 4, 'x-1');
    expect(viaServer.kind).toBe('accepted'); // the fake does not police positions
    r.server.injectFault({ method: 'POST', fault: { kind: 'rejectAfterAccept', reason: 'Due to price volatility a limit order must be placed.' } });
    expect(await r.broker.submitBracket(testIntent({ id: 'late-1' }))).toEqual({
      kind: 'rejected',
      reason: 'Due to price volatility a limit order must be placed.',
    });
  });

  it('429 on reads: waits for the window from the headers and retries; order POSTs are not re-sent', async () => {
    const r = await rig({ stream: false });
    r.server.injectFault({ method: 'GET', fault: { kind: 'rateLimited', resetInMs: 250 } });
    const t0 = Date.now();
    expect(await r.broker.listOrders()).toEqual([]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(200);
    expect(r.server.requests.filter((q) => q.method === 'GET').map((q) => q.status)).toEqual([429, 200]);

    r.server.injectFault({ method: 'POST', fault: { kind: 'rateLimited', resetInMs: 250 } });
    const res = await r.broker.submitBracket(testIntent());
    expect(res).toEqual({ kind: 'rejected', reason: 'rate limited by Tradier (HTTP 429); order not placed' });
    expect(r.server.orderPosts).toBe(1);
    expect(r.server.allOrders()).toHaveLength(0);
  });

  it('the trading bucket refuses to send when the budget is gone longer than maxOrderWaitMs', async () => {
    const r = await rig({ stream: false, maxOrderWaitMs: 50 }, { rateLimits: { trading: 1 } });
    expect((await r.broker.submitBracket(testIntent({ id: 'b-1' }))).kind).toBe('accepted');
    const res = await r.broker.submitBracket(testIntent({ id: 'b-2' }));
    expect(res.kind).toBe('rejected');
    expect(res.kind === 'rejected' && res.reason).toMatch(/trading rate budget exhausted/);
    expect(r.server.orderPosts).toBe(1);
  });

  it('follows X-Ratelimit headers: a server-reported empty window makes reads wait (no 429 sent)', async () => {
    const s = await FakeTradierServer.start({ rateLimits: { account: 2 } });
    servers.push(s);
    const r = await rig({ stream: false, readRetries: 0 }, {}, s);
    await r.broker.listOrders();
    await r.broker.listOrders();
    // Third read: the headers said Available 0 until the 60 s window ends; the bucket waits instead of sending.
    const p = r.broker.listOrders().then(() => 'done');
    const race = await Promise.race([p, new Promise((x) => setTimeout(() => x('waiting'), 200))]);
    expect(race).toBe('waiting');
    expect(s.requests.filter((q) => q.method === 'GET')).toHaveLength(2);
    r.broker.close();
    await p.catch(() => undefined);
  });

  it('401 is fatal: clear message without the token, no retry, later calls refused, fatal$ emits', async () => {
    const token = 'SuperSecretToken-abcdef123456';
    const s = await FakeTradierServer.start({ token });
    servers.push(s);
    const r = await rig({ stream: false, token }, {}, s);
    const fatal: Error[] = [];
    r.broker.fatal$.subscribe((e) => fatal.push(e));
    s.injectFault({ method: 'GET', fault: { kind: 'unauthorized' } });
    const err = await r.broker.listOrders().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TradierAuthError);
    expect((err as Error).message).toMatch(/HTTP 401: Invalid Access Token/);
    expect((err as Error).message).not.toContain(token);
    expect(s.requests).toHaveLength(1);
    await expect(r.broker.submitBracket(testIntent())).rejects.toBeInstanceOf(TradierAuthError);
    expect(s.requests).toHaveLength(1);
    expect(fatal).toHaveLength(1);
    expect(r.logs.join('\n')).not.toContain(token);

    // A wrong token from the start reads the same way.
    const r2 = await rig({ stream: false, token: 'wrong-token-999' }, {}, s);
    const e2 = await r2.broker.balances().catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(TradierAuthError);
    expect((e2 as Error).message).not.toContain('wrong-token-999');
  });

  it('timeouts and 5xx on reads retry with backoff, then throw a port error free of the token', async () => {
    const r = await rig({ stream: false });
    r.server.injectFault({ method: 'GET', times: 2, fault: { kind: 'httpError', status: 503 } });
    expect(await r.broker.listOrders()).toEqual([]);
    r.server.injectFault({ method: 'GET', times: 4, fault: { kind: 'hangAfterProcessing' } });
    const err = await r.broker.positions().catch((e: unknown) => e);
    expect((err as Error).name).toBe('TradierPortError');
    expect((err as Error).message).toMatch(/failed after 4 attempts: timeout/);
    expect((err as Error).message).not.toContain(r.server.token);
  });

  it('cancel of an already-filled order → already-final with its status', async () => {
    const r = await rig({ stream: false });
    const b = await accepted(r);
    r.server.fill(b.legs.entry, 4.2);
    r.server.fill(b.legs.target, 5);
    expect(await r.broker.cancel(b.legIds.target)).toEqual({ kind: 'already-final', status: 'filled' });
    expect(await r.broker.cancel(b.legIds.stop)).toEqual({ kind: 'already-final', status: 'cancelled' });
    expect(await r.broker.cancel(b.brokerOrderId)).toEqual({ kind: 'already-final', status: 'filled' });
    expect(await r.broker.cancel('999999')).toMatchObject({ kind: 'rejected' });
  });

  it('the same fill seen on the stream and by the poll is reported once', async () => {
    const r = await rig({ pollIntervalMs: 60_000 });
    r.subscribe();
    await waitFor(() => r.broker.streamConnected, 3_000, 'stream');
    const b = await accepted(r);
    r.server.fill(b.legs.entry, 4.2);
    // Fast path: the stream alone delivers it (the poll timer is a minute away).
    await waitFor(() => r.reports.find((x) => x.leg === 'entry' && x.status === 'filled'), 3_000, 'stream fill');
    await r.broker.pollNow();
    await r.broker.pollNow();
    expect(r.reports.filter((x) => x.fillQuantity > 0).map(brief)).toEqual(['scalp-42/entry:filled 1@4.2']);
  });

  it('stream drop: reconnects with a fresh session and re-polls, so a fill in the gap is reported once', async () => {
    const r = await rig({ pollIntervalMs: 60_000 });
    r.subscribe();
    await waitFor(() => r.broker.streamConnected, 3_000, 'stream');
    const b = await accepted(r);
    r.server.dropStreams();
    r.server.fill(b.legs.entry, 4.2); // nobody listening
    await waitFor(() => r.reports.find((x) => x.leg === 'entry' && x.status === 'filled'), 3_000, 'gap fill via re-poll');
    await waitFor(() => r.server.streamClients === 1 || undefined, 3_000, 'reconnected');
    r.server.fill(b.legs.target, 5);
    await waitFor(() => r.reports.find((x) => x.leg === 'target' && x.status === 'filled'), 3_000, 'target via stream');
    expect(r.reports.filter((x) => x.fillQuantity > 0).map(brief)).toEqual(['scalp-42/entry:filled 1@4.2', 'scalp-42/target:filled 1@5']);
  });

  it('restart with an open position and live legs: listed and adopted, not recreated or re-reported', async () => {
    const first = await rig();
    const b = await accepted(first);
    first.server.fill(b.legs.entry, 4.2);
    const state = first.server.exportState();

    const server2 = await FakeTradierServer.start({ state });
    servers.push(server2);
    const r = await rig({}, {}, server2);
    const orders = await r.broker.listOrders();
    expect(orders).toHaveLength(1);
    expect(orders[0]?.tag).toBe('scalp-42');
    expect(orders[0]?.status).toBe('working');
    expect(orders[0]?.legs.map((l) => [l.leg, l.id, l.status, l.execQuantity])).toEqual([
      ['entry', b.legIds.entry, 'filled', 1],
      ['target', b.legIds.target, 'working', 0],
      ['stop', b.legIds.stop, 'working', 0],
    ]);
    expect(await r.broker.positions()).toEqual([{ optionSymbol: SPXW_CALL, quantity: 1, costBasis: 420 }]);
    r.subscribe();
    await waitFor(() => r.broker.streamConnected, 3_000, 'stream');
    await r.broker.pollNow();
    expect(r.reports).toEqual([]); // the past belongs to reconciliation
    server2.fill(b.legs.stop, 3.4);
    await waitFor(() => r.reports.find((x) => x.leg === 'target' && x.status === 'cancelled'), 3_000, 'target cancelled');
    expect(r.reports.map(brief)).toEqual(['scalp-42/stop:filled 1@3.4', 'scalp-42/target:cancelled']);
    expect(server2.orderPosts).toBe(0);
  });

  it('reportExisting reports what was already there at the first look', async () => {
    const first = await rig({ stream: false });
    const b = await accepted(first);
    first.server.fill(b.legs.entry, 4.2);
    const r = await rig({ stream: false, reportExisting: true }, {}, first.server);
    r.subscribe();
    await waitFor(() => r.reports.find((x) => x.leg === 'entry' && x.status === 'filled'), 3_000, 'existing fill');
  });
});
