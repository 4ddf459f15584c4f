/**
 * Streaming gzip CSV writer for synthetic Polygon flat files.
 *
 * Rows are appended as already-formatted lines and handed to zlib in chunks of joined lines (not per row), with
 * backpressure: when zlib's buffer is full `waiting` is a promise the producer awaits before adding more. A file is
 * never held in memory whole. Output goes to `<path>.tmp` and is renamed on `close()`, so a crashed run leaves no
 * half file under the final name.
 *
 * Determinism: Node's gzip header carries mtime 0 and no file name, so the same lines at the same level give the
 * same bytes (on the same zlib build).
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip, type Gzip } from 'node:zlib';

export interface CsvFileStats {
  readonly path: string;
  /** Data rows, header excluded. */
  readonly rows: number;
  /** Compressed bytes on disk. */
  readonly bytes: number;
}

const CHUNK_CHARS = 1 << 18;

export class CsvGzWriter {
  readonly path: string;
  private readonly gzip: Gzip;
  private readonly done: Promise<void>;
  private parts: string[] = [];
  private pendingChars = 0;
  private rows = 0;
  private closed = false;
  /** Non-null while zlib is full; await it before adding more rows. */
  waiting: Promise<void> | null = null;

  private constructor(path: string, header: string, level: number) {
    this.path = path;
    this.gzip = createGzip({ level, memLevel: 9 });
    this.done = pipeline(this.gzip, createWriteStream(`${path}.tmp`));
    // The header is part of the first chunk, so an empty file is still a valid CSV with its header.
    this.parts.push(header);
    this.pendingChars = header.length;
  }

  static async open(path: string, header: string, level = 6): Promise<CsvGzWriter> {
    await mkdir(dirname(path), { recursive: true });
    return new CsvGzWriter(path, header, level);
  }

  /** Append one data row (no trailing newline). */
  add(line: string): void {
    this.parts.push(line);
    this.pendingChars += line.length + 1;
    this.rows++;
    if (this.pendingChars >= CHUNK_CHARS) this.flush();
  }

  get rowCount(): number {
    return this.rows;
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    const chunk = this.parts.join('\n') + '\n';
    this.parts = [];
    this.pendingChars = 0;
    if (!this.gzip.write(chunk) && this.waiting === null) {
      this.waiting = new Promise<void>((resolve) => {
        this.gzip.once('drain', () => {
          this.waiting = null;
          resolve();
        });
      });
    }
  }

  /** Give up on the file: stop the stream and remove the partial `.tmp`. Safe to call after a failure. */
  async abort(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.parts = [];
    this.gzip.destroy();
    await this.done.catch(() => undefined);
    await rm(`${this.path}.tmp`, { force: true });
  }

  /** Flush, finish the gzip stream, rename into place and report rows and compressed size. */
  async close(): Promise<CsvFileStats> {
    if (this.closed) throw new Error(`CsvGzWriter.close called twice for ${this.path}`);
    this.closed = true;
    this.flush();
    this.gzip.end();
    await this.done;
    await rename(`${this.path}.tmp`, this.path);
    const { size } = await stat(this.path);
    return { path: this.path, rows: this.rows, bytes: size };
  }
}
