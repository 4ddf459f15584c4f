import { EMPTY, NEVER, Subject, of, throwError } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { ExecutionReport } from '../../domain/orders.js';
import { oms } from './oms.js';
import { omsConfigSchema } from './omsConfig.js';
import type { OmsInput, OmsOutput } from './omsEvents.js';
import { KT0, kitIndex, kitIntent, kitQuote } from './omsTestKit.js';
import { SimBroker } from './simBroker.js';

const config = omsConfigSchema.parse({ stopSync: { enabled: false } });
const brief = (o: OmsOutput) => (o.type === 'ExecutionReport' ? `${o.leg}:${o.status}` : o.type === 'BracketUpdate' ? `B:${o.state}` : o.type);

describe('oms operator (marbles)', () => {
  it('values: intent → accepted → entry fill, all stamped in event time', () => {
    new TestScheduler((a, b) => expect(a).toEqual(b)).run(({ cold, expectObservable }) => {
      const broker = new SimBroker(config.sim);
      const src = cold<OmsInput>('-a-b-c-d', {
        a: kitQuote(5700, KT0),
        b: kitIntent({ id: 'm1' }),
        c: kitIndex(5700, KT0 + 1_000),
        d: kitQuote(5700, KT0 + 1_000),
      });
      const out = src.pipe(oms(config, { broker }));
      expectObservable(out, '^--------!').toEqual(
        cold('---(xy)(zw)', {
          x: expect.objectContaining({ type: 'BracketUpdate', state: 'pending', ts: KT0 }),
          y: expect.objectContaining({ type: 'BracketUpdate', state: 'working', ts: KT0 }),
          z: expect.objectContaining({ type: 'ExecutionReport', leg: 'entry', status: 'filled', ts: KT0 + 1_000 }),
          w: expect.objectContaining({ type: 'BracketUpdate', state: 'filled', ts: KT0 + 1_000 }),
        }),
      );
    });
  });

  it('error: a source error is passed on', () => {
    new TestScheduler((a, b) => expect(a).toEqual(b)).run(({ cold, expectObservable }) => {
      const broker = new SimBroker(config.sim);
      expectObservable(cold<OmsInput>('a#', { a: kitIndex(5700, KT0) }, new Error('boom')).pipe(oms(config, { broker }))).toBe('-#', undefined, new Error('boom'));
    });
  });

  it('error: a broken invariant in the broker errors the stream', () => {
    const broker = new SimBroker(config.sim);
    const errs: unknown[] = [];
    of<OmsInput>({ ...kitIndex(5700, KT0), ts: Number.NaN }).pipe(oms(config, { broker })).subscribe({ error: (e) => errs.push(e) });
    expect(String(errs[0])).toMatch(/non-finite event time/);
  });

  it('empty: completes with no output', () => {
    new TestScheduler((a, b) => expect(a).toEqual(b)).run(({ expectObservable }) => {
      expectObservable(EMPTY.pipe(oms(config, { broker: new SimBroker(config.sim) }))).toBe('|');
    });
  });

  it('early unsubscribe: stops the source and the broker report subscription', () => {
    const broker = new SimBroker(config.sim);
    const input = new Subject<OmsInput>();
    const out: OmsOutput[] = [];
    const sub = input.pipe(oms(config, { broker })).subscribe((o) => out.push(o));
    input.next(kitQuote(5700, KT0));
    input.next(kitIntent({ id: 'u' }));
    expect(input.observed).toBe(true);
    sub.unsubscribe();
    expect(input.observed).toBe(false);
    const seen: ExecutionReport[] = [];
    broker.reports$.subscribe((r) => seen.push(r));
    broker.onMarket(kitQuote(5700, KT0 + 1_000)); // fills at the broker, nobody downstream hears it
    expect(seen).toHaveLength(1);
    expect(out.map(brief)).toEqual(['B:pending', 'B:working']);
  });

  it('NEVER: stays silent and open', () => {
    new TestScheduler((a, b) => expect(a).toEqual(b)).run(({ expectObservable }) => {
      expectObservable(NEVER.pipe(oms(config, { broker: new SimBroker(config.sim) })), '^--!').toBe('---');
    });
  });

  it('error thrown by the source factory is not swallowed', () => {
    const errs: unknown[] = [];
    throwError(() => new Error('x')).pipe(oms(config, { broker: new SimBroker(config.sim) })).subscribe({ error: (e) => errs.push(e) });
    expect(errs).toHaveLength(1);
  });
});
