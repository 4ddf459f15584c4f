/**
 * Gzip checks DuckDB does not do: it reads a truncated .csv.gz as if it simply ended, which would replay a
 * silently shortened day. `verifyGzip` decompresses the whole stream (zlib checks the trailer's CRC and length)
 * and counts lines so the error can say roughly where the file broke; it also takes the sha256 of the raw bytes
 * on the way (the run manifest's file hash, without reading the file a second time). `readGzipHeader` reads only
 * the first line.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

export interface GzipCheck {
  readonly ok: boolean;
  /** Complete lines decompressed before the end or the failure. */
  readonly lines: number;
  readonly error?: string;
  /** sha256 (hex) of the raw file bytes, when the whole file was read. */
  readonly sha256?: string;
}

export function verifyGzip(path: string): Promise<GzipCheck> {
  return new Promise((resolve) => {
    let lines = 0;
    let settled = false;
    const done = (r: GzipCheck) => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    const src = createReadStream(path, { highWaterMark: 1 << 20 });
    const gunzip = createGunzip({ chunkSize: 1 << 20 });
    const hash = createHash('sha256');
    src.on('data', (chunk) => hash.update(chunk as Buffer));
    src.on('error', (e) => done({ ok: false, lines, error: e.message }));
    gunzip.on('error', (e) => done({ ok: false, lines, error: e.message }));
    gunzip.on('data', (buf: Buffer) => {
      let i = -1;
      while ((i = buf.indexOf(10, i + 1)) !== -1) lines++;
    });
    gunzip.on('end', () => done({ ok: true, lines, sha256: hash.digest('hex') }));
    src.pipe(gunzip);
  });
}

/** First line (the CSV header) of a gzip file, without decompressing the rest. */
export function readGzipHeader(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const src = createReadStream(path, { highWaterMark: 64 * 1024 });
    const gunzip = createGunzip();
    let acc = '';
    let finished = false;
    const finish = (err: Error | null, line?: string) => {
      if (finished) return;
      finished = true;
      src.destroy();
      gunzip.destroy();
      if (err) reject(err);
      else resolve(line ?? '');
    };
    src.on('error', (e) => finish(e));
    gunzip.on('error', (e) => finish(new Error(`${path}: not a readable gzip file (${e.message})`)));
    gunzip.on('data', (buf: Buffer) => {
      acc += buf.toString('utf8');
      const nl = acc.indexOf('\n');
      if (nl !== -1) finish(null, acc.slice(0, nl).replace(/\r$/, ''));
      else if (acc.length > 1 << 16) finish(new Error(`${path}: header line longer than 64 KiB`));
    });
    gunzip.on('end', () => finish(null, acc.replace(/\r$/, '')));
    src.pipe(gunzip);
  });
}
