import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireInstanceLock, InstanceLockedError } from './instanceLock.js';

const dir = mkdtempSync(join(tmpdir(), 'dreambot-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('acquireInstanceLock', () => {
  it('refuses while a live process holds it; takes over a dead one; releases', () => {
    const path = join(dir, 'polygon.lock');
    writeFileSync(path, `${process.ppid}\n`);
    expect(() => acquireInstanceLock(path)).toThrow(InstanceLockedError);
    writeFileSync(path, '999999999\n');
    const lock = acquireInstanceLock(path);
    expect(lock.tookOverPid).toBe(999999999);
    lock.release();
    expect(existsSync(path)).toBe(false);
  });
});
