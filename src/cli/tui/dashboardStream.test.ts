import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../../domain/events.js';
import { dashboardState$ } from './dashboardStream.js';
import type { DashboardState } from './dashboardTypes.js';
import { T0 } from './testDashboard.js';

const q = (ts: number): MarketEvent => ({ type: 'IndexValue', ts, symbol: 'I:SPX', value: 5700 });
const mk = () => new TestScheduler((a, b) => expect(a).toEqual(b));
const pick = (s: DashboardState) => `${s.events}:${s.stream}`;

describe('dashboardState$', () => {
  it('initial state at once, then at most one state per frame (10 fps = 100 ms), final state on completion', () => {
    const s = mk();
    s.run(({ cold, expectObservable }) => {
      const src = cold('a b c 200ms d 500ms |', { a: q(T0), b: q(T0 + 1), c: q(T0 + 2), d: q(T0 + 3) });
      const out = dashboardState$(src, { fps: 10, scheduler: s });
      // frames: initial at 0; a..c (0–2) land in the frame opened at 0 → emitted at 100; d at 203 → 303; end at 704 → 804.
      expectObservable(out.pipe(map(pick))).toBe(
        'i 99ms x 202ms y 500ms (z|)',
        { i: '0:running', x: '3:running', y: '4:running', z: '4:completed' },
      );
    });
  });

  it('fps is capped at 10', () => {
    const s = mk();
    s.run(({ cold, expectObservable }) => {
      const out = dashboardState$(cold('a|', { a: q(T0) }), { fps: 60, scheduler: s });
      expectObservable(out, '^ 200ms !').toBe('i 99ms (z|)', { i: expect.anything(), z: expect.objectContaining({ events: 1, stream: 'completed' }) } as never);
    });
  });

  it('an error in the stream becomes a final error state, not an error', () => {
    const s = mk();
    s.run(({ cold, expectObservable }) => {
      const out = dashboardState$(cold('a#', { a: q(T0) }, new Error('catalog gone')), { scheduler: s });
      expectObservable(out).toBe('i 99ms (z|)', {
        i: expect.objectContaining({ events: 0 }),
        z: expect.objectContaining({ events: 1, stream: 'error' }),
      } as never);
    });
  });

  it('empty stream: initial then completed', () => {
    const s = mk();
    s.run(({ cold, expectObservable }) => {
      expectObservable(dashboardState$(cold('|'), { scheduler: s })).toBe('i 99ms (z|)', {
        i: expect.objectContaining({ stream: 'running' }),
        z: expect.objectContaining({ stream: 'completed' }),
      } as never);
    });
  });

  it('unsubscribing stops the pipeline subscription', () => {
    const s = mk();
    s.run(({ cold, expectObservable, expectSubscriptions }) => {
      const src = cold('a 500ms |', { a: q(T0) });
      expectObservable(dashboardState$(src, { scheduler: s }), '^ 150ms !').toBe('i 99ms x', {
        i: expect.objectContaining({ events: 0 }),
        x: expect.objectContaining({ events: 1 }),
      } as never);
      expectSubscriptions(src.subscriptions).toBe('^ 150ms !');
    });
  });
});
