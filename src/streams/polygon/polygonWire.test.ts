import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../../domain/events.js';
import { FrameBatch, newWireStats, parseFrame, toWire, WireCache } from './polygonWire.js';

const parse = (text: string, cluster: 'stocks' | 'options' | 'indices') => {
  const out: MarketEvent[] = [];
  const stats = newWireStats();
  const statuses = parseFrame(text, cluster, 123, out, stats, new WireCache());
  return { out, stats, statuses };
};

describe('parseFrame', () => {
  it('parses the spec examples: mixed events in one array, V uses T for the ticker', () => {
    const { out, stats } = parse(
      JSON.stringify([
        { ev: 'T', sym: 'MSFT', x: 4, i: '12345', z: 3, p: 114.125, s: 100, c: [0, 12], t: 1536036818784, q: 3681328 },
        { ev: 'Q', sym: 'MSFT', bx: 4, bp: 114.125, bs: 100, ax: 7, ap: 114.128, as: 160, c: 0, i: [604], t: 1536036818784, q: 50385480, z: 3 },
        { ev: 'AM', sym: 'GTE', v: 4110, av: 9470157, op: 0.4372, vw: 0.4488, o: 0.4488, c: 0.4486, h: 0.4489, l: 0.4486, a: 0.4352, z: 685, s: 1610144640000, e: 1610144700000 },
      ]),
      'stocks',
    );
    expect(stats).toMatchObject({ frames: 1, events: 3, malformedEvents: 0 });
    expect(out[0]).toMatchObject({ type: 'Trade', symbol: 'MSFT', price: 114.125, size: 100, conditions: [0, 12], eligible: false, seq: 3681328, ts: 1536036818784, tsRecv: 123 });
    expect(out[1]).toMatchObject({ type: 'Quote', bid: 114.125, ask: 114.128, bidSize: 100, askSize: 160, bidExchange: 4, askExchange: 7 });
    expect(out[2]).toMatchObject({ type: 'Bar', interval: '1m', start: 1610144640000, ts: 1610144700000, open: 0.4488, volume: 4110 });
    const v = parse('[{"ev":"V","val":3988.5,"T":"I:SPX","t":1678220098130}]', 'indices');
    expect(v.out[0]).toEqual({ type: 'IndexValue', ts: 1678220098130, symbol: 'I:SPX', value: 3988.5, tsRecv: 123 });
  });

  it('options: O: symbols become OptionQuote / OptionTrade; string exchange ids accepted; OPRA eligibility', () => {
    const { out } = parse(
      JSON.stringify([
        { ev: 'Q', sym: 'O:SPY241220P00720000', bx: 302, ax: 302, bp: 9.71, ap: 9.81, bs: 17, as: 24, t: 1644506128351, q: 844090872 },
        { ev: 'T', sym: 'O:AMC210827C00037000', x: '65', p: 1.54, s: 1, c: [233], t: 1629820676333, q: 651921857 },
      ]),
      'options',
    );
    expect(out[0]).toMatchObject({ type: 'OptionQuote', symbol: 'O:SPY241220P00720000', bid: 9.71, ask: 9.81, seq: 844090872 });
    expect(out[1]).toMatchObject({ type: 'OptionTrade', exchange: 65, conditions: [233], eligible: false });
  });

  it('counts malformed frames and elements, keeps the good neighbours, returns statuses', () => {
    expect(parse('nope', 'stocks').stats.malformedFrames).toBe(1);
    expect(parse('{"ev":"T"}', 'stocks').stats.malformedFrames).toBe(1);
    const r = parse('[{"ev":"status","status":"auth_success","message":"authenticated"},{"ev":"T","sym":"SPY"},{"ev":"LULD"},null,{"ev":"V","val":1,"T":"I:SPX","t":5}]', 'indices');
    expect(r.statuses).toEqual([{ ev: 'status', status: 'auth_success', message: 'authenticated' }]);
    expect(r.stats).toMatchObject({ statuses: 1, events: 1, unknownEvents: 2, malformedEvents: 1 });
    expect(r.out).toHaveLength(1);
  });

  it('toWire round-trips through parseFrame', () => {
    const q: MarketEvent = { type: 'OptionQuote', ts: 1000, symbol: 'O:SPXW250310C05700000', bid: 1.1, bidSize: 3, ask: 1.2, askSize: 4, bidExchange: 301, askExchange: 302, seq: 9 };
    const { out } = parse(JSON.stringify([toWire(q)]), 'options');
    expect(out[0]).toEqual({ ...q, tsRecv: 123 });
  });
});

describe('FrameBatch', () => {
  it('is reused frame after frame: each parse sees only its own events, and clear() lets go of them', () => {
    const batch = new FrameBatch();
    const stats = newWireStats();
    const cache = new WireCache();
    parseFrame('[{"ev":"V","val":1,"T":"I:SPX","t":1},{"ev":"V","val":2,"T":"I:SPX","t":2}]', 'indices', 5, batch, stats, cache);
    expect(batch.length).toBe(2);
    expect([batch.at(0), batch.at(1)].map((e) => (e as { value: number }).value)).toEqual([1, 2]);
    batch.clear();
    expect(batch.length).toBe(0);
    expect((batch as unknown as { items: unknown[] }).items.every((x) => x === null)).toBe(true);
    parseFrame('[{"ev":"V","val":3,"T":"I:SPX","t":3}]', 'indices', 6, batch, stats, cache);
    expect(batch.length).toBe(1);
    expect(batch.at(0)).toEqual({ type: 'IndexValue', ts: 3, symbol: 'I:SPX', value: 3, tsRecv: 6 });
  });
});
