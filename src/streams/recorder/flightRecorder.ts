/**
 * Flight recorder: every item the live source hands the pipeline, appended under `storage/recordings/` in the
 * Polygon flat-file layout (`us_stocks_sip/quotes_v1/YYYY/MM/YYYY-MM-DD.csv.gz`, …, POLYGON_HEADERS), one file
 * per dataset per New York date, so `dreambot replay --data storage/recordings --date D` re-runs the session.
 *
 * What is written is the SEQUENCED stream (see EventSequencer): each row's timestamp is the stamp the pipeline
 * saw, in ns, strictly increasing across all files, so the replay's sort reproduces the live order exactly.
 * Items that are not Polygon data go to DreamBot files beside them: `dreambot/control_v1` (Heartbeat and
 * FeedState with the number of market rows recorded before each — float stamps 1 ns apart can coincide, counts
 * cannot — for `recordingEvents` to replay a session with its quiet spells and outages), `dreambot/gaps_v1` (the
 * marked gaps) and `dreambot/backfill_minute_aggs_v1` (REST minute bars fetched for a gap — reference only, not
 * replayed: the live pipeline never saw them).
 *
 * Durability and crash safety
 *   - Rows are buffered in memory and flushed every `flushMs` (default 2 s): each flush appends ONE complete gzip
 *     member per file (multi-member gzip is standard; zlib, gunzip and DuckDB read the members as one stream) to
 *     `<file>.partial`, fsyncs it, then records the file's good length in `<file>.partial.len` (temp + rename).
 *     Compression runs on libuv's pool (async zlib), not on the event loop.
 *   - Rotation (a new date, or stop): `.partial` is renamed to the final name — atomic, so a reader sees either no
 *     file or a complete one.
 *   - After a crash, `recoverRecordings(root)` truncates each `.partial` to its recorded good length (dropping a
 *     member torn mid-write) and renames it into place. A restart on the same day re-opens the final file as
 *     `.partial` and keeps appending members.
 *   - At most `flushMs` of rows is lost in a crash.
 */
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, statSync, truncateSync, writeFileSync, readFileSync } from 'node:fs';
import { mkdir, open, rename, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import type { MarketEvent } from '../../domain/events.js';
import { addDays, nyTimeToMs, toNy } from '../../domain/time.js';
import type { FeedState } from '../../operators/risk/riskEvents.js';
import { datasetPath, POLYGON_HEADERS, type DatasetId } from '../replay/flatFiles.js';
import { MAX_FAST_NUMBER_BYTES, writeNumber, writeUint } from './asciiNumber.js';

const gzip = promisify(gzipCb);

export type RecorderFileId = DatasetId | 'control' | 'gaps' | 'backfillMinuteAggs';

export const DREAMBOT_DATASETS: Readonly<Record<'control' | 'gaps' | 'backfillMinuteAggs', { dir: string; header: string }>> = {
  control: { dir: 'dreambot/control_v1', header: 'type,timestamp,cluster,state,market_events_before' },
  gaps: { dir: 'dreambot/gaps_v1', header: 'cluster,from_ms,to_ms,backfilled_bars,note' },
  backfillMinuteAggs: { dir: 'dreambot/backfill_minute_aggs_v1', header: POLYGON_HEADERS.stockMinuteAggs.join(',') },
};

const POLYGON_IDS: readonly DatasetId[] = ['stockTrades', 'stockQuotes', 'stockMinuteAggs', 'optionTrades', 'optionQuotes', 'indexValues'];

export function recorderFilePath(root: string, id: RecorderFileId, date: string): string {
  if (id === 'control' || id === 'gaps' || id === 'backfillMinuteAggs') {
    const [y, m] = date.split('-') as [string, string];
    return join(root, DREAMBOT_DATASETS[id].dir, y, m, `${date}.csv.gz`);
  }
  return datasetPath(root, id, date);
}

function header(id: RecorderFileId): string {
  return id === 'control' || id === 'gaps' || id === 'backfillMinuteAggs' ? DREAMBOT_DATASETS[id].header : POLYGON_HEADERS[id].join(',');
}

interface OpenFile {
  readonly path: string;
  readonly fh: FileHandle;
  pending: string[];
  size: number;
}

export interface RecorderStats {
  rows: number;
  flushes: number;
  bytes: number;
  errors: number;
  lastError: string | null;
}

export interface FlightRecorderOptions {
  readonly flushMs?: number;
  readonly onError?: (err: Error) => void;
}

/** A sequenced stamp in nanoseconds as whole milliseconds + the ns remainder (EventSequencer implements it). */
export interface NsStamp {
  readonly nsWhole: number;
  readonly nsRem: number;
}

/** The stamp as decimal nanoseconds. */
export const nsText = (s: NsStamp): string => `${s.nsWhole}${String(s.nsRem).padStart(6, '0')}`;

/**
 * Rows are written straight into a growing off-heap Buffer per file, field by field: no row string, and numbers
 * are written as ASCII in place (asciiNumber: String(number) would park each string in V8's number-string cache,
 * where it outlives minor GCs). Nothing per event is retained on the JS heap until the flush.
 */
class ByteBuf {
  buf = Buffer.allocUnsafe(1 << 16);
  len = 0;
  /** Append a string field and a comma. */
  f(v: string): this {
    this.put(v, 44);
    return this;
  }
  /** Append a number field (as String(v) prints it) and a comma. */
  n(v: number): this {
    this.room(MAX_FAST_NUMBER_BYTES + 1);
    const end = writeNumber(this.buf, this.len, v);
    if (end < 0) return this.f(String(v));
    this.len = end;
    this.buf[this.len++] = 44;
    return this;
  }
  /** Append a sequence number field: empty when absent (≤ 0). */
  seq(v: number): this {
    return v > 0 ? this.n(v) : this.empty(1);
  }
  /** Append a stamp field (decimal ns) and a comma, or a newline when it ends the row. */
  ns(s: NsStamp, last = false): this {
    this.room(MAX_FAST_NUMBER_BYTES + 8);
    this.len = writeUint(this.buf, this.len, s.nsWhole);
    this.len = writeUint(this.buf, this.len, s.nsRem, 6);
    this.buf[this.len++] = last ? 10 : 44;
    return this;
  }
  /** Append `n` empty fields. */
  empty(n: number): this {
    this.room(n);
    for (let i = 0; i < n; i++) this.buf[this.len++] = 44;
    return this;
  }
  /** Append the last field (or a whole formatted row) and end the row. */
  end(v: string): void {
    this.put(v, 10);
  }
  private put(s: string, after: number): void {
    this.room(s.length * 3 + 1);
    this.len += this.buf.write(s, this.len, 'utf8');
    this.buf[this.len++] = after;
  }
  private room(n: number): void {
    const need = this.len + n;
    if (need > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
      this.buf.copy(next, 0, 0, this.len);
      this.buf = next;
    }
  }
  /** The content, handed over without a copy; writing continues in a fresh buffer of the same capacity. */
  take(): Buffer {
    if (this.len === 0) return Buffer.alloc(0);
    const out = this.buf.subarray(0, this.len);
    this.buf = Buffer.allocUnsafe(this.buf.length);
    this.len = 0;
    return out;
  }
}

const csvList = (codes: readonly number[]) => (codes.length === 0 ? '' : codes.length === 1 ? String(codes[0]) : `"${codes.join(',')}"`);
const seqText = (seq: number) => (seq > 0 ? String(seq) : '');

export class FlightRecorder {
  readonly stats: RecorderStats = { rows: 0, flushes: 0, bytes: 0, errors: 0, lastError: null };
  private date: string | null = null;
  private dayStart = Number.POSITIVE_INFINITY;
  private dayEnd = Number.NEGATIVE_INFINITY;
  /** Rows per file of the current date, waiting for the next flush. */
  private rows = new Map<RecorderFileId, ByteBuf>();
  private files = new Map<string, OpenFile>();
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  /** Market rows recorded for the current date: control rows carry it so a replay can put them back exactly. */
  private marketCount = 0;

  constructor(
    readonly root: string,
    private readonly opts: FlightRecorderOptions = {},
  ) {
    const flushMs = opts.flushMs ?? 2000;
    if (flushMs > 0) {
      this.timer = setInterval(() => void this.flush(), flushMs);
      this.timer.unref();
    }
  }

  /** Record one sequenced item stamped `stamp` (the EventSequencer, just after it stamped the item). */
  record(ev: MarketEvent | FeedState, stamp: NsStamp): void {
    if (this.closed) return;
    const ts = ev.ts;
    if (ts < this.dayStart || ts >= this.dayEnd) this.rotate(ts);
    // The hottest rows are written field by field (the same text as the row templates below would give).
    switch (ev.type) {
      case 'Quote':
        this.rows.get('stockQuotes')!.f(ev.symbol).n(ev.askExchange).n(ev.ask).n(ev.askSize).n(ev.bidExchange).n(ev.bid).n(ev.bidSize).empty(2).ns(stamp).seq(ev.seq).ns(stamp).empty(1).end('');
        this.counted(false);
        return;
      case 'OptionQuote':
        this.rows.get('optionQuotes')!.f(ev.symbol).n(ev.askExchange).n(ev.ask).n(ev.askSize).n(ev.bidExchange).n(ev.bid).n(ev.bidSize).seq(ev.seq).ns(stamp, true);
        this.counted(false);
        return;
      case 'IndexValue':
        this.rows.get('indexValues')!.f(ev.symbol).n(ev.value).ns(stamp, true);
        this.counted(false);
        return;
      case 'ChainSnapshot':
      case 'Timer':
        return;
    }
    const ns = nsText(stamp);
    let id: RecorderFileId;
    let line: string;
    switch (ev.type) {
      case 'Trade':
        id = 'stockTrades';
        line = `${ev.symbol},${csvList(ev.conditions)},0,${ev.exchange},,${ns},${ev.price},${seqText(ev.seq)},${ns},${ev.size},,,`;
        break;
      case 'OptionTrade':
        id = 'optionTrades';
        line = `${ev.symbol},${csvList(ev.conditions)},0,${ev.exchange},${ev.price},${ns},${ev.size}`;
        break;
      case 'Bar':
        id = 'stockMinuteAggs';
        line = `${ev.symbol},${ev.volume},${ev.open},${ev.close},${ev.high},${ev.low},${BigInt(ns) - 60_000_000_000n},${ev.transactions}`;
        break;
      case 'Heartbeat':
        id = 'control';
        line = `Heartbeat,${ns},,,${this.marketCount}`;
        break;
      case 'FeedState':
        id = 'control';
        line = `FeedState,${ns},${ev.cluster},${ev.state},${this.marketCount}`;
        break;
    }
    this.rows.get(id)!.end(line);
    this.counted(id === 'control');
  }

  private counted(control: boolean): void {
    this.stats.rows++;
    if (!control) this.marketCount++;
  }

  /** A gap in one cluster's data (wall/exchange ms), with how many REST minute bars were fetched for it. */
  recordGap(cluster: string, fromMs: number, toMs: number, backfilledBars: number, note: string): void {
    if (this.closed) return;
    if (this.date === null) this.rotate(toMs);
    this.rows.get('gaps')!.end(`${cluster},${fromMs},${toMs},${backfilledBars},"${note.replace(/"/g, "'")}"`);
  }

  recordBackfillBar(b: { symbol: string; volume: number; open: number; close: number; high: number; low: number; start: number; transactions: number }): void {
    if (this.closed) return;
    if (this.date === null) this.rotate(b.start);
    this.rows.get('backfillMinuteAggs')!.end(`${b.symbol},${b.volume},${b.open},${b.close},${b.high},${b.low},${BigInt(Math.round(b.start)) * 1_000_000n},${b.transactions}`);
  }

  /** Current recording date (New York), or null before the first item. */
  get currentDate(): string | null {
    return this.date;
  }

  private rotate(ts: number): void {
    const date = toNy(ts).date;
    if (date === this.date) return;
    const previous = this.date;
    const prevRows = new Map([...this.rows].map(([id, b]) => [id, b.take()] as const));
    this.date = date;
    this.marketCount = 0;
    this.dayStart = nyTimeToMs(date, 0);
    this.dayEnd = nyTimeToMs(addDays(date, 1), 0);
    this.rows = new Map(([...POLYGON_IDS, 'control', 'gaps', 'backfillMinuteAggs'] as RecorderFileId[]).map((id) => [id, new ByteBuf()]));
    // Write the previous day's tail, then close (rename) its files; open the new day's files with their headers.
    if (previous !== null) this.enqueue(() => this.writeRows(previous, prevRows).then(() => this.finalizeDate(previous)));
    this.enqueue(() => this.openDate(date));
  }

  private enqueue(fn: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(fn).catch((e: unknown) => {
      this.stats.errors++;
      this.stats.lastError = (e as Error).message;
      this.opts.onError?.(e as Error);
    });
    return this.chain;
  }

  private async openDate(date: string): Promise<void> {
    for (const id of [...POLYGON_IDS, 'control', 'gaps', 'backfillMinuteAggs'] as RecorderFileId[]) {
      const path = recorderFilePath(this.root, id, date);
      if (this.files.has(path)) continue;
      await mkdir(dirname(path), { recursive: true });
      const partial = `${path}.partial`;
      let fresh = true;
      if (existsSync(path)) {
        // Restart on the same day: keep appending members to the finished file.
        await rename(path, partial);
        fresh = false;
      } else if (existsSync(partial)) {
        recoverFile(partial);
        fresh = statSync(partial).size === 0;
      }
      const fh = await open(partial, 'a');
      const f: OpenFile = { path, fh, pending: [], size: (await fh.stat()).size };
      this.files.set(path, f);
      if (fresh) await this.appendMember(f, `${header(id)}\n`);
    }
  }

  private async appendMember(f: OpenFile, text: string | Buffer): Promise<void> {
    const member = await gzip(text);
    await f.fh.appendFile(member);
    await f.fh.sync();
    f.size += member.length;
    this.stats.bytes += member.length;
    const len = `${f.path}.partial.len`;
    await writeFile(`${len}.tmp`, String(f.size));
    await rename(`${len}.tmp`, len);
  }

  private async writeRows(date: string, rows: Map<RecorderFileId, Buffer>): Promise<void> {
    for (const [id, bytes] of rows) {
      if (bytes.length === 0) continue;
      const f = this.files.get(recorderFilePath(this.root, id, date));
      if (!f) throw new Error(`recorder: ${id} for ${date} is not open`);
      await this.appendMember(f, bytes);
    }
  }

  private async finalizeDate(date: string): Promise<void> {
    for (const [path, f] of [...this.files]) {
      if (!path.endsWith(`${date}.csv.gz`)) continue;
      await f.fh.close();
      await rename(`${path}.partial`, path);
      rmSync(`${path}.partial.len`, { force: true });
      this.files.delete(path);
    }
  }

  /** Append everything buffered so far (one gzip member per file), fsynced. */
  flush(): Promise<void> {
    if (this.date === null) return this.chain;
    const date = this.date;
    let any = false;
    for (const b of this.rows.values()) if (b.len) any = true;
    if (!any) return this.chain;
    const rows = new Map([...this.rows].map(([id, b]) => [id, b.take()] as const));
    this.stats.flushes++;
    return this.enqueue(() => this.writeRows(date, rows));
  }

  /** Flush and rename every open file into place. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return this.chain;
    await this.flush();
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const date = this.date;
    if (date !== null) await this.enqueue(() => this.finalizeDate(date));
    await this.chain;
  }
}

/** Truncate a `.partial` to its recorded good length (drops a torn last member). */
function recoverFile(partial: string): void {
  const lenPath = `${partial}.len`;
  let good = 0;
  if (existsSync(lenPath)) good = Number.parseInt(readFileSync(lenPath, 'utf8'), 10) || 0;
  const size = statSync(partial).size;
  if (size > good) truncateSync(partial, good);
}

/**
 * After a crash: every `*.csv.gz.partial` under `root` is truncated to its last fsynced member and renamed into
 * place, so the day can be replayed. Returns the files recovered.
 */
export function recoverRecordings(root: string): string[] {
  const out: string[] = [];
  if (!existsSync(root)) return out;
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.csv.gz.partial')) {
        recoverFile(p);
        const final = p.slice(0, -'.partial'.length);
        if (statSync(p).size === 0) {
          rmSync(p);
        } else {
          const fd = openSync(p, 'r+');
          fsyncSync(fd);
          closeSync(fd);
          renameSync(p, final);
          out.push(final);
        }
        rmSync(`${p}.len`, { force: true });
      }
    }
  };
  walk(root);
  return out;
}
