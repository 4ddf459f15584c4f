import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { paced } from './paced.js';

const ev = (ts: number) => ({ ts });
const mk = () => new TestScheduler((a, b) => expect(a).toEqual(b));

describe('paced', () => {
  it("'max' passes the stream through untouched", () => {
    mk().run(({ cold, expectObservable }) => {
      const src = cold('a(bc)|', { a: ev(0), b: ev(5000), c: ev(9000) });
      expectObservable(src.pipe(paced('max'))).toBe('a(bc)|', { a: ev(0), b: ev(5000), c: ev(9000) });
    });
  });

  it('releases each event at anchor + Δts / speed (speed 10), completes after the last', () => {
    const s = mk();
    s.run(({ cold, expectObservable, expectSubscriptions }) => {
      const v = { a: ev(1000), b: ev(1100), c: ev(1300) };
      const src = cold('-(abc|)', v);
      expectObservable(src.pipe(paced(10, { scheduler: s }))).toBe('-a 9ms b 19ms (c|)', v);
      expectSubscriptions(src.subscriptions).toBe('^!');
    });
  });

  it('speed 1 and 60 scale the same gaps', () => {
    const s1 = mk();
    s1.run(({ cold, expectObservable }) => {
      const v = { a: ev(0), b: ev(60), c: ev(120) };
      expectObservable(cold('(abc|)', v).pipe(paced(1, { scheduler: s1 }))).toBe('a 59ms b 59ms (c|)', v);
    });
    const s = mk();
    s.run(({ cold, expectObservable }) => {
      const v = { a: ev(0), b: ev(600), c: ev(1200) };
      expectObservable(cold('(abc|)', v).pipe(paced(60, { scheduler: s }))).toBe('a 9ms b 9ms (c|)', v);
    });
  });

  it('a late source is not delayed further (already-due events pass at once)', () => {
    const s = mk();
    s.run(({ cold, expectObservable }) => {
      const v = { a: ev(0), b: ev(10), c: ev(20) };
      expectObservable(cold('a 49ms b 49ms c|', v).pipe(paced(1, { scheduler: s }))).toBe('a 49ms b 49ms c|', v);
    });
  });

  it('events with the same ts keep their order in one batch', () => {
    const s = mk();
    s.run(({ cold, expectObservable }) => {
      const v = { a: ev(0), b: ev(100), c: ev(100), d: ev(100) };
      expectObservable(cold('(abcd|)', v).pipe(paced(1, { scheduler: s }))).toBe('a 99ms (bcd|)', v);
    });
  });

  it('fastForwardUntil passes earlier events unpaced and anchors at the first later one', () => {
    const s = mk();
    s.run(({ cold, expectObservable }) => {
      const v = { a: ev(0), b: ev(50_000), c: ev(100_000), d: ev(100_010) };
      expectObservable(cold('(abcd|)', v).pipe(paced(1, { scheduler: s, fastForwardUntil: 100_000 }))).toBe('(abc) 5ms (d|)', v);
    });
  });

  it('empty source completes at once', () => {
    const s = mk();
    s.run(({ cold, expectObservable }) => {
      expectObservable(cold<{ ts: number }>('|').pipe(paced(10, { scheduler: s }))).toBe('|');
    });
  });

  it('errors are forwarded at once (queued events dropped)', () => {
    const s = mk();
    s.run(({ cold, expectObservable }) => {
      const v = { a: ev(0), b: ev(100) };
      expectObservable(cold('(ab) 4ms #', v).pipe(paced(1, { scheduler: s }))).toBe('a 7ms #', v);
    });
  });

  it('early unsubscribe cancels the timer and the source', () => {
    const s = mk();
    s.run(({ cold, expectObservable, expectSubscriptions }) => {
      const v = { a: ev(0), b: ev(100), c: ev(200) };
      const src = cold('(abc) 300ms |', v);
      expectObservable(src.pipe(paced(1, { scheduler: s })), '^ 150ms !').toBe('a 99ms b', v);
      expectSubscriptions(src.subscriptions).toBe('^ 150ms !');
    });
  });

  it('rejects a bad speed', () => {
    expect(() => paced(0)).toThrow(/speed/);
  });
});
