import { describe, expect, it } from 'vitest';
import { TradeSigner } from './tradeSigner.js';

describe('TradeSigner (quote rule, tick-rule fallback)', () => {
  it('signs by the NBBO mid, falling back to the tick rule at the mid', () => {
    const s = new TradeSigner();
    const q = { bid: 100, ask: 100.02 };
    expect(s.update({ price: 100.01, ...q })).toBe(0); // first print at the mid: undecidable
    expect(s.update({ price: 100.02, ...q })).toBe(1); // above mid
    expect(s.update({ price: 100.0, ...q })).toBe(-1); // below mid
    expect(s.update({ price: 100.01, ...q })).toBe(1); // at mid, uptick from 100.00
    expect(s.update({ price: 100.01, ...q })).toBe(1); // zero-uptick keeps +1
    expect(s.update({ price: 100.005, bid: 100, ask: 100.01 })).toBe(-1); // at mid, downtick
    expect(s.value).toBe(-1);
  });

  it('uses the tick rule when the book is one-sided or crossed', () => {
    const s = new TradeSigner();
    s.update({ price: 10, bid: 0, ask: 0 });
    expect(s.update({ price: 10.5, bid: 0, ask: 11 })).toBe(1);
    expect(s.update({ price: 10.4, bid: 10.6, ask: 10.5 })).toBe(-1);
    s.reset();
    expect(s.value).toBe(0);
    expect(s.update({ price: 10, bid: 0, ask: 0 })).toBe(0);
  });
});
