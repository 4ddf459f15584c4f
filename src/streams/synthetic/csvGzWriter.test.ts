import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CsvGzWriter } from './csvGzWriter.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'csvgz-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeMany(path: string, n: number): Promise<void> {
  const w = await CsvGzWriter.open(path, 'a,b', 1);
  for (let i = 0; i < n; i++) {
    w.add(`${i},"x,${i % 7}"`);
    if (w.waiting) await w.waiting;
  }
  const s = await w.close();
  expect(s.rows).toBe(n);
  expect(s.bytes).toBeGreaterThan(20);
}

describe('CsvGzWriter', () => {
  it('round-trips header and rows, creating directories, with backpressure over many chunks', async () => {
    const path = join(dir, 'deep', 'er', 'f.csv.gz');
    await writeMany(path, 300_000);
    const lines = gunzipSync(await readFile(path)).toString('utf8').split('\n');
    expect(lines[0]).toBe('a,b');
    expect(lines[1]).toBe('0,"x,0"');
    expect(lines[300_000]).toBe('299999,"x,0"');
    expect(lines.length).toBe(300_002);
    expect(lines.at(-1)).toBe('');
    // Written through a .tmp file and renamed.
    expect(await readdir(join(dir, 'deep', 'er'))).toEqual(['f.csv.gz']);
  });

  it('writes a header-only file when there are no rows', async () => {
    const w = await CsvGzWriter.open(join(dir, 'empty.csv.gz'), 'x,y');
    expect((await w.close()).rows).toBe(0);
    expect(gunzipSync(await readFile(join(dir, 'empty.csv.gz'))).toString()).toBe('x,y\n');
    await expect(w.close()).rejects.toThrow(/twice/);
  });

  it('gives identical bytes for identical input (no mtime in the gzip header)', async () => {
    await writeMany(join(dir, 'a.csv.gz'), 5_000);
    await writeMany(join(dir, 'b.csv.gz'), 5_000);
    const a = await readFile(join(dir, 'a.csv.gz'));
    const b = await readFile(join(dir, 'b.csv.gz'));
    expect(createHash('sha256').update(a).digest('hex')).toBe(createHash('sha256').update(b).digest('hex'));
    expect(a.readUInt32LE(4)).toBe(0);
  });

  it('abort() removes the partial file', async () => {
    const w = await CsvGzWriter.open(join(dir, 'ab', 'x.csv.gz'), 'h');
    for (let i = 0; i < 100_000; i++) w.add(String(i));
    await w.abort();
    expect(await readdir(join(dir, 'ab'))).toEqual([]);
  });
});
