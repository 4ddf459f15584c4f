/**
 * Worker thread of replayRange: receives `{ date }` jobs, runs recordDay for each and posts back progress, the
 * DayOutcome (plain data, structured-cloned) or the error's message. Started with `--import tsx` so it runs the
 * TypeScript sources directly (no build step), like the CLI.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../domain/configSchema.js';
import { recordDay } from './recordDay.js';

export interface WorkerInit {
  readonly config: Config;
  readonly runId: string;
  readonly rebuild: boolean;
  readonly parquet: boolean;
}

export type WorkerJob = { readonly date: string } | { readonly stop: true };

export type WorkerMessage =
  | { readonly kind: 'progress'; readonly date: string; readonly fraction: number; readonly stage: string }
  | { readonly kind: 'done'; readonly date: string; readonly outcome: Awaited<ReturnType<typeof recordDay>> }
  | { readonly kind: 'error'; readonly date: string; readonly message: string };

const port = parentPort;
if (port) {
  const init = workerData as WorkerInit;
  port.on('message', (job: WorkerJob) => {
    if ('stop' in job) {
      port.close();
      return;
    }
    const post = (m: WorkerMessage) => port.postMessage(m);
    let last = 0;
    recordDay(init.config, job.date, {
      runId: init.runId,
      rebuild: init.rebuild,
      parquet: init.parquet,
      onProgress: (stage, fraction) => {
        if (fraction - last >= 0.02 || fraction >= 1) {
          last = fraction;
          post({ kind: 'progress', date: job.date, fraction, stage });
        }
      },
    }).then(
      (outcome) => post({ kind: 'done', date: job.date, outcome }),
      (e: unknown) => post({ kind: 'error', date: job.date, message: e instanceof Error ? e.message : String(e) }),
    );
  });
}
