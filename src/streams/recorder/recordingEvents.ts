/**
 * recordingEvents: a flight recording replayed WITH its control file — the replay catalog's market events (the
 * same path `dreambot replay --data storage/recordings` takes) with the recorded Heartbeat and FeedState items put
 * back at exactly the positions the live pipeline saw them (each control row names how many market rows came
 * before it). A session that had no quiet spell and no outage has an empty control file, and then this is exactly
 * the plain replay.
 */
import { createGunzip } from 'node:zlib';
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Observable } from 'rxjs';
import type { Config } from '../../domain/configSchema.js';
import type { Heartbeat, MarketEvent } from '../../domain/events.js';
import { nsToMs } from '../../domain/time.js';
import type { FeedCluster, FeedState } from '../../operators/risk/riskEvents.js';
import { openReplay, type ReplayDay } from '../replay/openReplay.js';
import { recorderFilePath } from './flightRecorder.js';

export interface ControlRow {
  readonly before: number;
  readonly item: Heartbeat | FeedState;
}

export async function readControlRows(root: string, date: string): Promise<ControlRow[]> {
  const path = recorderFilePath(root, 'control', date);
  if (!existsSync(path)) return [];
  const rl = createInterface({ input: createReadStream(path).pipe(createGunzip()), crlfDelay: Infinity });
  const rows: ControlRow[] = [];
  let first = true;
  for await (const line of rl) {
    if (first) {
      first = false;
      continue;
    }
    if (line === '') continue;
    const [type, ns, cluster, state, before] = line.split(',');
    const ts = nsToMs(ns!);
    const n = Number(before);
    if (type === 'Heartbeat') rows.push({ before: n, item: { type: 'Heartbeat', ts } });
    else if (type === 'FeedState') rows.push({ before: n, item: { type: 'FeedState', ts, cluster: cluster as FeedCluster, state: state as FeedState['state'] } });
    else throw new Error(`${path}: unknown control row ${JSON.stringify(line)}`);
  }
  return rows;
}

export interface RecordingReplay {
  readonly day: ReplayDay;
  readonly control: readonly ControlRow[];
  readonly events$: Observable<MarketEvent | FeedState>;
}

/** `config.paths.data` must be the recordings root. */
export async function recordingEvents(config: Config, date: string): Promise<RecordingReplay> {
  const day = await openReplay(config, date);
  const control = await readControlRows(config.paths.data, date);
  const events$ = new Observable<MarketEvent | FeedState>((subscriber) => {
    let k = 0;
    let i = 0;
    const sub = day.events$.subscribe({
      next: (ev) => {
        while (i < control.length && control[i]!.before <= k) subscriber.next(control[i++]!.item);
        k++;
        subscriber.next(ev);
      },
      error: (e: unknown) => subscriber.error(e),
      complete: () => {
        while (i < control.length) subscriber.next(control[i++]!.item);
        subscriber.complete();
      },
    });
    return () => sub.unsubscribe();
  });
  return { day, control, events$ };
}
