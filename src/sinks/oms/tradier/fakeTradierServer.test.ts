import { afterEach, describe, expect, it } from 'vitest';
import { FakeTradierServer } from './fakeTradierServer.js';

let server: FakeTradierServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function call(s: FakeTradierServer, method: string, path: string, form?: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${s.baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${s.token}`, Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    ...(form ? { body: new URLSearchParams(form).toString() } : {}),
  });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body, headers: res.headers };
}

const otoco = (over: Record<string, string> = {}): Record<string, string> => {
  const f: Record<string, string> = { class: 'otoco', duration: 'day', tag: 't-1' };
  const legs = [
    { side: 'buy_to_open', type: 'limit', price: '4.2' },
    { side: 'sell_to_close', type: 'limit', price: '5' },
    { side: 'sell_to_close', type: 'stop', stop: '3.4' },
  ];
  legs.forEach((l, i) => {
    f[`symbol[${i}]`] = 'SPX';
    f[`option_symbol[${i}]`] = 'SPXW250725C05900000';
    f[`quantity[${i}]`] = '1';
    f[`side[${i}]`] = l.side;
    f[`type[${i}]`] = l.type;
    if (l.price) f[`price[${i}]`] = l.price;
    if (l.stop) f[`stop[${i}]`] = l.stop;
  });
  return { ...f, ...over };
};

describe('FakeTradierServer', () => {
  it('speaks the quirks: "null", single object, rate-limit headers, XML without Accept, 401 without the token', async () => {
    server = await FakeTradierServer.start();
    const p = `/accounts/${server.accountId}`;
    const empty = await call(server, 'GET', `${p}/orders`);
    expect(empty.body).toEqual({ orders: 'null' });
    expect(empty.headers.get('x-ratelimit-allowed')).toBe('120');
    expect(Number(empty.headers.get('x-ratelimit-expiry'))).toBeGreaterThan(Date.now());
    expect((await call(server, 'POST', `${p}/orders`, otoco())).body).toEqual({ order: { id: 1000, status: 'ok', partner_id: 'fake-partner' } });
    const one = (await call(server, 'GET', `${p}/orders?includeTags=true`)).body as { orders: { order: { id: number; tag: string; leg: unknown[] } } };
    expect(one.orders.order.id).toBe(1000);
    expect(one.orders.order.tag).toBe('t-1');
    expect(one.orders.order.leg).toHaveLength(3);
    expect((await call(server, 'GET', `${p}/orders`)).body).not.toHaveProperty('orders.order.tag');
    expect((await call(server, 'GET', `${p}/positions`)).body).toEqual({ positions: 'null' });
    expect((await call(server, 'GET', `${p}/orders`, undefined, { Accept: 'text/html' })).body).toMatch(/^<\?xml/);
    const denied = await call(server, 'GET', `${p}/orders`, undefined, { Authorization: 'Bearer nope' });
    expect(denied.status).toBe(401);
    expect(JSON.stringify(denied.body)).toMatch(/Invalid Access Token/);
  });

  it('validates OTOCO like the spec: market entry, market/same-type exits, bad tag, wrong underlying', async () => {
    server = await FakeTradierServer.start();
    const p = `/accounts/${server.accountId}/orders`;
    const err = async (over: Record<string, string>) => {
      const r = await call(server as FakeTradierServer, 'POST', p, otoco(over));
      expect(r.status).toBe(400);
      return JSON.stringify(r.body);
    };
    expect(await err({ 'type[0]': 'market' })).toMatch(/OtoFirstLegIsMarketNotAllowed/);
    expect(await err({ 'type[2]': 'limit', 'price[2]': '3.4' })).toMatch(/different types/);
    expect(await err({ tag: 'bad_tag' })).toMatch(/tag/);
    expect(await err({ 'symbol[0]': 'SPXW' })).toMatch(/not the underlying/);
    expect(await err({ 'quantity[1]': '0' })).toMatch(/IncorrectOrderQuantity/);
    expect(server.allOrders()).toHaveLength(0);
  });

  it('OTOCO semantics: exits wait for the full entry fill, one exit fill cancels the other, fills move the position', async () => {
    server = await FakeTradierServer.start();
    await call(server, 'POST', `/accounts/${server.accountId}/orders`, otoco({ 'quantity[0]': '2', 'quantity[1]': '2', 'quantity[2]': '2' }));
    const o = server.order(1000);
    const st = () => o?.legs.map((l) => l.status);
    expect(st()).toEqual(['open', 'pending', 'pending']);
    expect(() => server?.fill(1002, 5)).toThrow(/pending/);
    server.fill(1001, 4.2, 1);
    expect(st()).toEqual(['partially_filled', 'pending', 'pending']);
    server.fill(1001, 4.3);
    expect(st()).toEqual(['filled', 'open', 'open']);
    expect(server.exportState().positions).toMatchObject([{ symbol: 'SPXW250725C05900000', quantity: 2, costBasis: 850 }]);
    server.fill(1003, 3.3);
    expect(st()).toEqual(['filled', 'canceled', 'filled']);
    expect(server.exportState().positions).toEqual([]);
    const again = await call(server, 'DELETE', `/accounts/${server.accountId}/orders/1000`);
    expect(again.status).toBe(400);
    expect(JSON.stringify(again.body)).toMatch(/order already in finalized state: filled/);
  });
});
