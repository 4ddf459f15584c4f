import { describe, expect, it } from 'vitest';
import { OrderFlowImbalance } from './orderFlowImbalance.js';

describe('OrderFlowImbalance', () => {
  it('null until one full window has elapsed, then (buy − sell)/(buy + sell) over (now − W, now]', () => {
    const o = new OrderFlowImbalance(5000);
    o.update(0, 1, 300);
    o.update(1000, -1, 100);
    o.update(2000, 0, 999); // unsigned: ignored
    expect(o.value).toBeNull();
    o.advance(5000); // the first print (ts 0) is exactly W old: evicted
    expect(o.value).toBe(-1);
    expect(o.netVolume).toBe(-100);
    o.update(5500, 1, 100);
    expect(o.value).toBe(0);
    o.advance(20_000);
    expect(o.value).toBe(0); // empty window after warm-up: no imbalance
    o.reset();
    expect(o.value).toBeNull();
  });
});
