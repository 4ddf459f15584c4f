/**
 * killSwitchFile: a source that emits a manual KillSwitch when the file `storage/KILL` (or `path`) appears — the
 * out-of-band trigger `dreambot kill` writes, usable by hand (`touch storage/KILL`) when nothing else answers.
 *
 * Polling (`existsSync` every `pollMs`, default 500 ms) rather than fs.watch: it behaves the same on every
 * platform and filesystem (network mounts, editors that replace files) and costs one stat per tick. The first
 * poll runs at subscription, so a KILL file left from an earlier run stops trading from the start (fail closed);
 * delete it to trade again. One event per appearance: the file staying there emits nothing more; removing and
 * re-creating it emits again (the risk stage treats a repeat while already killed as a no-op). The file's first
 * line, when present, is the reason.
 *
 * This is a source: it reads the wall clock for `ts` (through `now`, injectable for tests) and sets a timer.
 */
import { existsSync, readFileSync } from 'node:fs';
import { asyncScheduler, distinctUntilChanged, filter, map, timer, type Observable, type SchedulerLike } from 'rxjs';
import type { KillSwitch } from './riskEvents.js';

export interface KillSwitchFileOptions {
  readonly pollMs?: number;
  readonly scheduler?: SchedulerLike;
  readonly now?: () => number;
  readonly exists?: (path: string) => boolean;
  readonly readReason?: (path: string) => string;
}

function readFirstLine(path: string): string {
  try {
    return readFileSync(path, 'utf8').split(/\r?\n/, 1)[0]?.trim().slice(0, 200) ?? '';
  } catch {
    return '';
  }
}

export function killSwitchFile(path = 'storage/KILL', opts: KillSwitchFileOptions = {}): Observable<KillSwitch> {
  const pollMs = opts.pollMs ?? 500;
  const scheduler = opts.scheduler ?? asyncScheduler;
  const now = opts.now ?? (() => scheduler.now());
  const exists = opts.exists ?? existsSync;
  const readReason = opts.readReason ?? readFirstLine;
  return timer(0, pollMs, scheduler).pipe(
    map(() => exists(path)),
    distinctUntilChanged(),
    filter((present) => present),
    map((): KillSwitch => {
      const text = readReason(path);
      return { type: 'KillSwitch', ts: now(), source: 'manual', reason: text === '' ? `kill file ${path}` : `kill file ${path}: ${text}` };
    }),
  );
}
