/**
 * heartbeats(intervalMs): the wall-clock tick source for live modes — emits the wall time (epoch ms) every
 * `intervalMs`. The live feed turns ticks into `Heartbeat` events through `HeartbeatClock` (quiet-market rule and
 * event-time extrapolation). A source: it reads the wall clock and sets a timer (injectable scheduler for tests).
 */
import { asyncScheduler, map, timer, type Observable, type SchedulerLike } from 'rxjs';

export function heartbeats(intervalMs = 1000, opts: { readonly scheduler?: SchedulerLike; readonly now?: () => number } = {}): Observable<number> {
  const scheduler = opts.scheduler ?? asyncScheduler;
  const now = opts.now ?? (() => Date.now());
  return timer(intervalMs, intervalMs, scheduler).pipe(map(() => now()));
}
