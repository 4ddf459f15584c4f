import { describe, expect, it } from 'vitest';
import { TradeIntensity } from './tradeIntensity.js';

describe('TradeIntensity', () => {
  it('prints per second over the event-time window; null while warming up', () => {
    const t = new TradeIntensity(2000);
    t.advance(0);
    t.update(100);
    t.update(1500);
    t.update(1900);
    expect(t.value).toBeNull();
    t.advance(2050); // window (50, 2050]: all three
    expect(t.value).toBe(1.5);
    t.advance(3600); // (1600, 3600]: one
    expect(t.value).toBe(0.5);
    t.reset();
    expect(t.value).toBeNull();
  });
});
