import { describe, expect, it } from 'vitest';
import { endpointGroup, parseRateLimitHeaders, RateLimiter } from './rateLimiter.js';

describe('RateLimiter', () => {
  it('classifies endpoints into trading, account and market-data groups', () => {
    expect(endpointGroup('POST', '/accounts/VA1/orders')).toBe('trading');
    expect(endpointGroup('PUT', '/accounts/VA1/orders/12')).toBe('trading');
    expect(endpointGroup('DELETE', '/accounts/VA1/orders/12')).toBe('trading');
    expect(endpointGroup('GET', '/accounts/VA1/orders')).toBe('account');
    expect(endpointGroup('GET', '/accounts/VA1/positions')).toBe('account');
    expect(endpointGroup('POST', '/accounts/events/session')).toBe('account');
    expect(endpointGroup('GET', '/markets/quotes')).toBe('marketData');
    expect(endpointGroup('POST', 'https://api.tradier.com/v1/markets/events/session')).toBe('marketData');
  });

  it('spends tokens per group and refills the whole window at once', () => {
    let t = 1_000;
    const rl = new RateLimiter({ trading: 2, account: 1, marketData: 1 }, () => t);
    expect(rl.tryTake('trading')).toBe(0);
    expect(rl.tryTake('trading')).toBe(0);
    expect(rl.tryTake('trading')).toBe(60_000);
    expect(rl.tryTake('account')).toBe(0); // separate bucket
    t += 59_000;
    expect(rl.tryTake('trading')).toBe(1_000);
    t += 1_000;
    expect(rl.tryTake('trading')).toBe(0);
  });

  it('lets the X-Ratelimit headers overwrite the local estimate; 429 empties the bucket until expiry', () => {
    const t = 10_000;
    const rl = new RateLimiter({ trading: 60, account: 120, marketData: 120 }, () => t);
    const h = parseRateLimitHeaders({ 'x-ratelimit-allowed': '120', 'x-ratelimit-used': '120', 'x-ratelimit-available': '0', 'x-ratelimit-expiry': String(t + 5_000) });
    expect(h).toEqual({ allowed: 120, used: 120, available: 0, expiry: 15_000 });
    rl.observe('account', h ?? {});
    expect(rl.tryTake('account')).toBe(5_000);
    rl.throttled('marketData', null);
    expect(rl.tryTake('marketData')).toBe(5_000);
    // An absurd expiry (clock skew) is ignored.
    rl.observe('trading', { available: 0, expiry: t + 10 * 60_000 });
    expect(rl.tryTake('trading')).toBeGreaterThan(0);
    expect(parseRateLimitHeaders({ 'content-type': 'application/json' })).toBeNull();
  });
});
