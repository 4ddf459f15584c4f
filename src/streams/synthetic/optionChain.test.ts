import { describe, expect, it } from 'vitest';
import { sessionFor } from '../../domain/calendar.js';
import { Prng } from '../../quant/prng.js';
import { nyTimeToMs } from '../../domain/time.js';
import { MarketPaths } from './marketPaths.js';
import { buildOptionChain } from './optionChain.js';

function chain(date: string, maxStrikes: number) {
  const session = sessionFor(date)!;
  const paths = MarketPaths.generate({ startMs: session.open, endMs: session.close, session, prng: new Prng(1) });
  return { session, paths, contracts: buildOptionChain({ date, paths, fromMs: session.open, toMs: session.close, maxStrikes }) };
}

describe('buildOptionChain', () => {
  it('sorts by Polygon ticker and covers the day range for 0DTE and the next expiry', () => {
    const { session, paths, contracts } = chain('2025-03-10', 40);
    const tickers = contracts.map((c) => c.ticker);
    expect([...tickers].sort()).toEqual(tickers);
    expect(new Set(tickers).size).toBe(tickers.length);
    expect(contracts.length).toBeGreaterThanOrEqual(100);
    for (const [root, path] of [
      ['SPXW', 'I:SPX'],
      ['NDXP', 'I:NDX'],
      ['SPY', 'SPY'],
      ['QQQ', 'QQQ'],
    ] as const) {
      const mine = contracts.filter((c) => c.root === root);
      expect([...new Set(mine.map((c) => c.expiry))].sort()).toEqual(['2025-03-10', '2025-03-11']);
      const { min, max } = paths.range(path, session.open, session.close);
      const strikes = mine.map((c) => c.strike);
      expect(Math.min(...strikes)).toBeLessThan(min);
      expect(Math.max(...strikes)).toBeGreaterThan(max);
      expect(mine.find((c) => c.expiry === '2025-03-10')!.expiryMs).toBe(session.close);
    }
  });

  it('thins the strike grid to respect maxStrikes, keeping listed multiples', () => {
    const { contracts } = chain('2025-03-10', 8);
    for (const root of ['SPXW', 'NDXP', 'SPY', 'QQQ']) {
      const strikes = new Set(contracts.filter((c) => c.root === root && c.zeroDte).map((c) => c.strike));
      expect(strikes.size).toBeLessThanOrEqual(8);
    }
  });

  it('expires 0DTE series at the early close (13:00 ET the day after Thanksgiving)', () => {
    const { contracts } = chain('2025-11-28', 10);
    const zero = contracts.filter((c) => c.zeroDte);
    expect(zero.length).toBeGreaterThan(0);
    for (const c of zero) expect(c.expiryMs).toBe(nyTimeToMs('2025-11-28', 13, 0));
  });
});
