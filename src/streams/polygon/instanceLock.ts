/**
 * Single-instance lock: Polygon allows one connection per cluster per account, and a second connection makes the
 * server drop one of them (`max_connections`) — a stray second DreamBot (or a test run against production keys)
 * would kick the trading instance off its feed. The lock file (default `storage/polygon.lock`) holds the owner's
 * pid; it is created with O_EXCL, so two processes cannot both win. A lock whose pid no longer runs (a crash) is
 * taken over, with a note.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export class InstanceLockedError extends Error {
  constructor(
    readonly path: string,
    readonly pid: number,
  ) {
    super(
      `another DreamBot instance (pid ${pid}) holds ${path}: a second Polygon connection would disconnect the first (max_connections). ` +
        `Stop that instance, or delete ${path} if you are sure no instance runs.`,
    );
    this.name = 'InstanceLockedError';
  }
}

export interface InstanceLock {
  readonly path: string;
  /** Set when a stale lock (dead pid) was taken over. */
  readonly tookOverPid: number | null;
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireInstanceLock(path: string, pid = process.pid): InstanceLock {
  mkdirSync(dirname(path), { recursive: true });
  let tookOverPid: number | null = null;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${pid}\n`);
      closeSync(fd);
      let released = false;
      return {
        path,
        tookOverPid,
        release: () => {
          if (released) return;
          released = true;
          try {
            if (readFileSync(path, 'utf8').trim() === String(pid)) rmSync(path, { force: true });
          } catch {
            /* already gone */
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let owner = NaN;
      try {
        owner = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
      } catch {
        /* unreadable: treat as stale */
      }
      if (Number.isInteger(owner) && owner > 0 && owner !== pid && alive(owner)) throw new InstanceLockedError(path, owner);
      tookOverPid = Number.isInteger(owner) ? owner : -1;
      rmSync(path, { force: true });
    }
  }
  throw new Error(`could not acquire ${path}`);
}
