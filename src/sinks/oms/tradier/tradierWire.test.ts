import { describe, expect, it } from 'vitest';
import { asArray, errorMessageOf, mapTradierStatus, ordersResponseSchema, positionsResponseSchema } from './tradierWire.js';

describe('tradierWire', () => {
  it('normalises Tradier collections', () => {
    expect(asArray('null')).toEqual([]);
    expect(asArray(undefined)).toEqual([]);
    expect(asArray({ a: 1 })).toEqual([{ a: 1 }]);
    expect(asArray([1, 2])).toEqual([1, 2]);
    expect(ordersResponseSchema.parse({ orders: 'null' }).orders.order).toEqual([]);
    const one = ordersResponseSchema.parse({ orders: { order: { id: 1, status: 'open', quantity: '2.00000000', avg_fill_price: null } } });
    expect(one.orders.order[0]).toMatchObject({ id: 1, quantity: 2, avg_fill_price: 0, leg: [] });
    const nested = ordersResponseSchema.parse({ orders: { order: { id: 1, status: 'open', leg: { id: 2, status: 'filled' } } } });
    expect(nested.orders.order[0]?.leg.map((l) => l.id)).toEqual([2]);
    expect(positionsResponseSchema.parse({ positions: 'null' }).positions.position).toEqual([]);
    expect(() => ordersResponseSchema.parse({ orders: { order: { id: 1, status: 'open', price: 'abc' } } })).toThrow();
  });

  it('reads errors and gateway faults', () => {
    expect(errorMessageOf({ errors: { error: 'InitialMargin' } })).toBe('InitialMargin');
    expect(errorMessageOf({ errors: { error: ['a', 'b'] } })).toBe('a; b');
    expect(errorMessageOf({ fault: { faultstring: 'Invalid Access Token', detail: { errorcode: 'keymanagement.service.invalid_access_token' } } })).toBe(
      'Invalid Access Token (keymanagement.service.invalid_access_token)',
    );
    expect(errorMessageOf({ order: { id: 1, status: 'ok' } })).toBeNull();
  });

  it('maps every documented status', () => {
    const m = Object.fromEntries(
      ['open', 'partially_filled', 'filled', 'expired', 'canceled', 'pending', 'rejected', 'error', 'submitted', 'pending_cancel', 'calculated', 'accepted_for_bidding', 'held', 'weird'].map(
        (s) => [s, mapTradierStatus(s)],
      ),
    );
    expect(m).toEqual({
      open: 'working',
      partially_filled: 'partially_filled',
      filled: 'filled',
      expired: 'expired',
      canceled: 'cancelled',
      pending: 'pending',
      rejected: 'rejected',
      error: 'rejected',
      submitted: 'pending',
      pending_cancel: 'working',
      calculated: 'pending',
      accepted_for_bidding: 'pending',
      held: 'pending',
      weird: 'unknown',
    });
  });
});
