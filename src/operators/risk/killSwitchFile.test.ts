import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, timeout } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { killSwitchFile } from './killSwitchFile.js';

describe('killSwitchFile', () => {
  it('emits once per appearance of the file, polling every pollMs', () => {
    const ts = new TestScheduler((a, e) => expect(a).toEqual(e));
    ts.run(({ expectObservable }) => {
      // Present during [30, 60) and again from 90 on.
      const present = () => {
        const t = ts.now();
        return (t >= 30 && t < 60) || t >= 90;
      };
      const src = killSwitchFile('storage/KILL', { pollMs: 10, exists: present, readReason: () => 'operator says stop', now: () => 7 });
      const k = { type: 'KillSwitch', ts: 7, source: 'manual', reason: 'kill file storage/KILL: operator says stop' };
      expectObservable(src, '^ 120ms !').toBe('30ms k 59ms k', { k });
    });
  });

  it('a file already there at start-up triggers at once (fail closed)', () => {
    const ts = new TestScheduler((a, e) => expect(a).toEqual(e));
    ts.run(({ expectObservable }) => {
      const src = killSwitchFile('storage/KILL', { pollMs: 500, exists: () => true, readReason: () => '', now: () => 1 });
      expectObservable(src, '^ 2s !').toBe('k', { k: { type: 'KillSwitch', ts: 1, source: 'manual', reason: 'kill file storage/KILL' } });
    });
  });

  it('watches a real file and reads its first line as the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dreambot-kill-'));
    const path = join(dir, 'KILL');
    const first = firstValueFrom(killSwitchFile(path, { pollMs: 10 }).pipe(timeout(5_000)));
    setTimeout(() => writeFileSync(path, 'runaway orders\nsecond line'), 30);
    const ev = await first;
    expect(ev).toMatchObject({ type: 'KillSwitch', source: 'manual', reason: `kill file ${path}: runaway orders` });
    expect(typeof ev.ts).toBe('number');
  });
});
