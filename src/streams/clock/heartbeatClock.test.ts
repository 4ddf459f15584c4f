import { describe, expect, it } from 'vitest';
import { HeartbeatClock } from './heartbeatClock.js';

describe('HeartbeatClock', () => {
  it('nothing before the first event or while events flow; after quietMs, event time extrapolated at wall speed', () => {
    const c = new HeartbeatClock({ quietMs: 1000 });
    expect(c.tick(5_000)).toBeNull();
    c.onMarket(1_700_000_000_000, 10_000);
    expect(c.tick(10_500)).toBeNull();
    expect(c.tick(11_000)).toBe(1_700_000_001_000);
    expect(c.tick(13_250)).toBe(1_700_000_003_250);
  });
});
