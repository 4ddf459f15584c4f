/**
 * paced(speed): replays an event-time stream at `speed` × wall-clock speed (1, 10, 60 …); 'max' passes the
 * stream through untouched (no pacing, no timers).
 *
 * A source-side adapter (it may use timers; nothing below the sources does): apply it to the replay's market
 * events BEFORE the pipeline, `replayPorts(config, day.events$.pipe(paced(speed)))`, so the pipeline — and what
 * the kill switch and pause keys act on — runs at the pace the screen shows.
 *
 * Input/output: the same events, in order, each released when the wall clock reaches
 *   anchorWall + (ts − anchorTs) / speed
 * where the anchor is the first paced event. An event already due when it arrives and nothing queued is passed on
 * synchronously; otherwise it waits in a FIFO flushed by one timer at a time (all due events per tick, so a fast
 * speed costs one timer per batch, not per event). `fastForwardUntil` (event time) passes earlier events through
 * unpaced and anchors at the first event at or after it (e.g. skip the pre-market).
 *
 * State: the FIFO of events ahead of the wall clock. The replay source has no back-pressure, so that FIFO can hold
 * most of a day at slow speeds (fine for the fixture day; a full-scale day at speed 1 holds it all).
 * Completion waits for the FIFO to drain; an error is forwarded at once (like `delay`). Unsubscribing cancels the
 * pending timer and the source.
 */
import { Observable, asyncScheduler, identity, type MonoTypeOperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';

export type ReplaySpeed = 1 | 10 | 60 | 'max';

export interface PacedOptions {
  readonly scheduler?: SchedulerLike;
  /** Event time before which events pass through unpaced. */
  readonly fastForwardUntil?: number;
}

export function paced<T extends { readonly ts: number }>(speed: number | 'max', opts: PacedOptions = {}): MonoTypeOperatorFunction<T> {
  if (speed === 'max') return identity;
  if (!(speed > 0) || !Number.isFinite(speed)) throw new Error(`paced: speed must be a positive number or 'max', got ${speed}`);
  const scheduler = opts.scheduler ?? asyncScheduler;
  const from = opts.fastForwardUntil ?? -Infinity;
  return (source) =>
    new Observable<T>((subscriber) => {
      let queue: (T | undefined)[] = [];
      let head = 0;
      let anchorTs = 0;
      let anchorWall = 0;
      let anchored = false;
      let sourceDone = false;
      let timer: Subscription | null = null;
      const due = (ts: number) => anchorWall + (ts - anchorTs) / speed;

      const arm = () => {
        if (head < queue.length) {
          const wait = due(queue[head]!.ts) - scheduler.now();
          timer = scheduler.schedule(flush, Math.max(0, wait));
        } else if (sourceDone) subscriber.complete();
      };
      function flush() {
        timer = null;
        const now = scheduler.now();
        while (head < queue.length) {
          const x = queue[head]!;
          if (due(x.ts) > now) break;
          queue[head++] = undefined;
          subscriber.next(x);
          if (subscriber.closed) return;
        }
        if (head === queue.length) {
          queue = [];
          head = 0;
        } else if (head > 4096 && head * 2 > queue.length) {
          queue = queue.slice(head);
          head = 0;
        }
        arm();
      }

      const sub = source.subscribe({
        next: (x) => {
          if (!anchored) {
            if (x.ts < from) {
              subscriber.next(x);
              return;
            }
            anchored = true;
            anchorTs = x.ts;
            anchorWall = scheduler.now();
          }
          if (head === queue.length && due(x.ts) <= scheduler.now()) {
            subscriber.next(x);
            return;
          }
          queue.push(x);
          if (timer === null) arm();
        },
        error: (e: unknown) => subscriber.error(e),
        complete: () => {
          sourceDone = true;
          if (timer === null) arm();
        },
      });
      return () => {
        sub.unsubscribe();
        timer?.unsubscribe();
        timer = null;
        queue = [];
      };
    });
}
