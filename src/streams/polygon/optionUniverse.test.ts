import { describe, expect, it } from 'vitest';
import { OptionUniverseRoller, rollerExpiries } from './optionUniverse.js';

describe('OptionUniverseRoller', () => {
  it('0DTE + next expiry on the PM root, N strikes each side, calls and puts, quotes and trades', () => {
    expect(rollerExpiries('SPX', '2025-03-10')).toEqual({ root: 'SPXW', expiries: ['2025-03-10', '2025-03-11'] });
    const r = new OptionUniverseRoller({ strikesEachSide: 2 });
    const c = r.onPrice('SPX', 5702, '2025-03-10')!;
    expect(c.center).toBe(5700);
    expect(c.unsubscribe).toEqual([]);
    expect(c.subscribe).toHaveLength(2 * 5 * 2 * 2);
    expect(c.subscribe).toContain('Q.O:SPXW250310C05690000');
    expect(c.subscribe).toContain('T.O:SPXW250311P05710000');
  });

  it('hysteresis: no churn inside the band; a move unsubscribes the stale strikes and subscribes the new ones', () => {
    const r = new OptionUniverseRoller({ strikesEachSide: 2, recenterStrikes: 2 });
    r.onPrice('SPY', 570, '2025-03-10');
    expect(r.wouldMove('SPY', 571.5, Date.UTC(2025, 2, 10, 15))).toBe(false);
    expect(r.onPrice('SPY', 571.5, '2025-03-10')).toBeNull();
    const c = r.onPrice('SPY', 573, '2025-03-10')!;
    expect(c.center).toBe(573);
    expect(c.unsubscribe.every((t) => /(0056[89]000|00570000)$/.test(t))).toBe(true);
    expect(c.subscribe.some((t) => t.includes('00575000'))).toBe(true);
    expect(c.unsubscribe).toHaveLength(3 * 2 * 2 * 2);
  });

  it('a new New York day rolls the window to the new expiries even at an unchanged price', () => {
    const r = new OptionUniverseRoller({ strikesEachSide: 1 });
    r.onPrice('SPX', 5700, '2025-03-10');
    expect(r.wouldMove('SPX', 5700, Date.UTC(2025, 2, 10, 19, 59))).toBe(false);
    // 2025-03-11 00:00 New York (EDT) = 04:00 UTC.
    expect(r.wouldMove('SPX', 5700, Date.UTC(2025, 2, 11, 3, 59))).toBe(false);
    expect(r.wouldMove('SPX', 5700, Date.UTC(2025, 2, 11, 4, 0))).toBe(true);
    const c = r.onPrice('SPX', 5700, '2025-03-11')!;
    expect(c.expiries).toEqual(['2025-03-11', '2025-03-12']);
    expect(c.unsubscribe.every((t) => t.includes('SPXW250310'))).toBe(true);
    expect(r.wouldMove('SPX', 5700, Date.UTC(2025, 2, 11, 15))).toBe(false);
  });

  it('listed strikes from a snapshot replace the grid', () => {
    const r = new OptionUniverseRoller({ strikesEachSide: 1 });
    r.setListedStrikes('SPX', [5650, 5675, 5700, 5725, 5750]);
    const c = r.onPrice('SPX', 5710, '2025-03-10')!;
    const strikes = new Set(c.subscribe.map((t) => Number(t.slice(-8)) / 1000));
    expect([...strikes].sort()).toEqual([5675, 5700, 5725]);
  });
});
