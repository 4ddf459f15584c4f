import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../../domain/events.js';
import { nsToMs } from '../../domain/time.js';
import { nsText } from '../recorder/flightRecorder.js';
import { EventSequencer } from './eventSequencer.js';

const q = (ts: number, extra: Partial<{ bid: number; ask: number; seq: number; symbol: string }> = {}): MarketEvent =>
  ({ type: 'Quote', ts, symbol: extra.symbol ?? 'SPY', bid: extra.bid ?? 1, bidSize: 1, ask: extra.ask ?? 1.1, askSize: 1, bidExchange: 1, askExchange: 1, seq: extra.seq ?? 0 }) as MarketEvent;

describe('EventSequencer', () => {
  it('keeps exchange time when it advances; stamps 1 ns after the last otherwise; stamps read back exactly from ns', () => {
    const s = new EventSequencer();
    const stamps: number[] = [];
    const ns: string[] = [];
    for (const t of [1000, 1000, 999, 1001, 1001.5, 1001.25]) {
      stamps.push(s.accept(q(t))!.ts);
      ns.push(nsText(s));
    }
    expect(ns).toEqual(['1000000000', '1000000001', '1000000002', '1001000000', '1001500000', '1001500001']);
    for (let i = 0; i < ns.length; i++) expect(stamps[i]).toBe(nsToMs(ns[i]!));
    expect(s.restamped).toBe(3);
    for (let i = 1; i < ns.length; i++) expect(BigInt(ns[i]!) > BigInt(ns[i - 1]!)).toBe(true);
  });

  it('applies the replay catalog rules: crossed, locked, empty, duplicate sequence, bad trades, OPRA cancels', () => {
    const s = new EventSequencer();
    expect(s.accept(q(1, { bid: 2, ask: 1 }))).toBeNull();
    expect(s.accept(q(1, { bid: 1, ask: 1 }))).toBeNull();
    expect(s.accept(q(1, { bid: 0, ask: 0 }))).toBeNull();
    expect(s.accept(q(1, { bid: 0, ask: 1 }))).not.toBeNull();
    expect(s.accept(q(2, { seq: 5 }))).not.toBeNull();
    expect(s.accept(q(3, { seq: 5 }))).toBeNull();
    expect(s.accept({ type: 'Trade', ts: 4, symbol: 'SPY', price: 1, size: 0, exchange: 1, conditions: [], eligible: true, seq: 0 })).toBeNull();
    expect(s.accept({ type: 'OptionTrade', ts: 4, symbol: 'O:SPY250321C00400000', price: 1, size: 1, exchange: 1, conditions: [201], eligible: true })).toBeNull();
    expect(s.accept({ type: 'IndexValue', ts: 5, symbol: 'I:SPX', value: 0 })).toBeNull();
    expect(s.dropped).toEqual({ crossed: 1, locked: 1, empty_quote: 1, duplicate_sequence: 1, zero_size: 1, corrected_or_canceled: 1, bad_price: 1 });
  });

  it('bars: only stock minute bars, window start derived from the stamped end', () => {
    const s = new EventSequencer();
    s.accept(q(200_000));
    const bar = s.accept({ type: 'Bar', ts: 120_000, symbol: 'SPY', interval: '1m', start: 60_000, open: 1, high: 2, low: 1, close: 2, volume: 10, transactions: 0 });
    expect(bar).toMatchObject({ ts: 200_000 + 1e-6, start: 200_000 + 1e-6 - 60_000 });
    expect(s.accept({ type: 'Bar', ts: 120_000, symbol: 'I:SPX', interval: '1m', start: 60_000, open: 1, high: 2, low: 1, close: 2, volume: 0, transactions: 0 })).toBeNull();
  });
});
