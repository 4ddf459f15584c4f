/**
 * dashboardState$(events$, { fps, scheduler }): the dashboard's read-only state stream.
 *
 * Input: the pipeline's output (every event). Output: DashboardState snapshots — the initial state at once, then
 * at most `fps` (≤ 10) a second, `auditTime`-style: the first change after a frame opens the next one, which emits
 * the state as it is when it closes. The end of the input (complete or error) becomes a last state with
 * `stream: 'completed' | 'error'` one frame later (the screen says the replay finished, or why it failed), then the
 * output completes. Unsubscribing unsubscribes the pipeline and cancels the pending frame.
 *
 * Hot path: market events (except Timers and quotes of contracts we hold) go into a mutable per-subscription
 * MarketTally — a few counter increments, no allocation — folded into the state through the pure reducer when a
 * frame closes (and at the end). What a tally changes (message counts, rates, lag, the event clock as a maximum)
 * is read by no other event's reduction, so the state a frame shows equals reducing the events one by one, up to
 * how message rates are windowed. The reducer never waits on the screen: rendering happens on the emitted
 * snapshots, outside this stream.
 *
 * Time: frames on the injected scheduler (the wall clock by default); the state itself is event time only. The
 * pipeline never imports this: the UI subscribes to the pipeline, not the other way round.
 */
import { Observable, asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';
import { dashboardState, initialDashboardState, isTallied, type DashboardInput, type ForeignEvent } from './dashboardState.js';
import type { DashboardState } from './dashboardTypes.js';
import { MarketTally } from './marketTally.js';

export interface DashboardStreamOptions {
  /** Frames per second, 1…10 (default 10). */
  readonly fps?: number;
  readonly scheduler?: SchedulerLike;
  /** Starting state (e.g. seeded with the replay's data-quality counters). */
  readonly initial?: DashboardState;
  /** A longer gap between frames than 1/fps when the screen is slow (runDashboard: a render-time budget), ms. */
  readonly minFrameMs?: () => number;
}

export function dashboardState$(events$: Observable<DashboardInput | ForeignEvent>, opts: DashboardStreamOptions = {}): Observable<DashboardState> {
  const period = 1000 / Math.min(10, Math.max(1, opts.fps ?? 10));
  const scheduler = opts.scheduler ?? asyncScheduler;
  return new Observable<DashboardState>((subscriber) => {
    let state = opts.initial ?? initialDashboardState();
    const tally = new MarketTally();
    let frame: Subscription | null = null;
    let ended = false;

    const flush = () => {
      const t = tally.take();
      if (t !== null) state = dashboardState(state, t);
    };
    const closeFrame = () => {
      frame = null;
      flush();
      subscriber.next(state);
      if (ended) subscriber.complete();
    };
    const openFrame = () => {
      if (frame === null) frame = scheduler.schedule(closeFrame, opts.minFrameMs ? Math.max(period, opts.minFrameMs()) : period);
    };
    const end = (error: string | null) => {
      flush();
      state = dashboardState(state, { type: 'DashboardStreamEnded', error });
      ended = true;
      openFrame();
    };

    subscriber.next(state);
    const sub = events$.subscribe({
      next: (e) => {
        if (isTallied(e, state)) tally.add(e);
        else state = dashboardState(state, e);
        if (frame === null) openFrame();
      },
      error: (e: unknown) => end(e instanceof Error ? e.message : String(e)),
      complete: () => end(null),
    });
    return () => {
      sub.unsubscribe();
      frame?.unsubscribe();
      frame = null;
    };
  });
}
