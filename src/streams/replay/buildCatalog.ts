/**
 * The replay catalog: one compact, time-ordered Parquet file per (date, request) holding only the configured
 * symbols, extracted once from Polygon flat files (which hold the whole market: option quotes are ~100 GB a day).
 *
 * Pipeline (all in DuckDB):
 *  1. check the date is a trading day; find the files; refuse on a missing required file;
 *  2. read each file's header by name (columns can change between eras), verify each gzip stream is complete in
 *     parallel with the DuckDB read (DuckDB treats a truncated gzip as a short file);
 *  3. stage the requested tickers into temp tables (rowid = file order), rejected rows go to DuckDB's rejects
 *     table with file and line;
 *  4. tag each row with a drop reason (see DataQualityReport for the outcomes), count, keep the rest;
 *  5. options: keep the roots of the requested underlyings, expiries within `maxExpiryDays` — the first
 *     `expiries` distinct ones present in the data — and strikes within `strikeWindowPct` outside the
 *     underlying's intraday range. (The range is the whole day's, so early in the day the catalog holds strikes
 *     a live roller would only subscribe later; nothing in the pipeline can see a contract's quotes before their
 *     timestamps, so this widens the universe without leaking prices.)
 *  6. write one Parquet sorted by (ts_ns, kind, symbol, sequence, file row) — the deterministic tie-break —
 *     to a temp name, then rename, plus meta.json (symbols, condition dictionary, files, data-quality report).
 *
 * Row layout (all numeric, no nulls, so replay reads typed arrays): kind, sym (id into meta.symbols), ts (epoch
 * ms float), p1..p4 (price | bid,ask | value | open,high,low,close), s1,s2 (size | bidSize,askSize |
 * volume,transactions), x1,x2 (exchanges), seq, cond (id into meta.conditions; 0 = none).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { closureReason } from '../../domain/calendar.js';
import { UNDERLYING_INFO, type Underlying } from '../../domain/instruments.js';
import { addDays, nyTimeToMs, msToNs } from '../../domain/time.js';
import { DATASETS, datasetPath, type DatasetId } from './flatFiles.js';
import { readGzipHeader, verifyGzip, type GzipCheck } from './gzipFile.js';
import { hashFile } from './hashFile.js';
import type { DataQualityReport, DropCount, MalformedRow } from './DataQualityReport.js';
import { ReplayRefused } from './ReplayRefused.js';

export const CATALOG_VERSION = 1;

/** Row kinds in the catalog; the numeric order is the tie-break at equal timestamps (a bar closing at T first). */
export const KIND = { Bar: 0, IndexValue: 1, Quote: 2, Trade: 3, OptionQuote: 4, OptionTrade: 5 } as const;

export interface CatalogRequest {
  readonly dataRoot: string;
  readonly date: string;
  readonly underlyings: readonly Underlying[];
  readonly strikeWindowPct: number;
  readonly expiries: number;
  readonly maxExpiryDays?: number;
  readonly minuteAggs: boolean;
  readonly verifyGzip: boolean;
  /** Refuse the day when one file has more malformed rows than this. */
  readonly maxMalformedRows?: number;
  /** Folder holding catalogs (storage/catalog). */
  readonly catalogRoot: string;
  readonly duckdbMemoryMb: number;
  readonly duckdbThreads: number;
  /** Rows sorted at once while writing the catalog (default from the memory limit: `sliceRowsFor`). */
  readonly sortSliceRows?: number;
  /** Rebuild even when a matching catalog exists. */
  readonly force?: boolean;
  readonly onProgress?: (stage: string, fraction: number) => void;
}

export interface CatalogFile {
  readonly dataset: DatasetId;
  readonly path: string;
  readonly bytes: number;
  readonly mtimeMs: number;
  /**
   * sha256 of the raw file, taken while the catalog is built (the catalog key already pins path, size and mtime),
   * so a replay's manifest does not re-read gigabytes of flat files every run. Absent in catalogs built before.
   */
  readonly sha256?: string;
}

export interface CatalogMeta {
  readonly version: number;
  readonly key: string;
  readonly date: string;
  readonly underlyings: readonly Underlying[];
  readonly symbols: readonly string[];
  /** Condition-code lists as they appeared in the files; index 0 is the empty list. */
  readonly conditions: readonly string[];
  readonly rows: number;
  readonly files: readonly CatalogFile[];
  readonly dataQuality: DataQualityReport;
}

export interface Catalog {
  readonly dir: string;
  readonly parquet: string;
  readonly meta: CatalogMeta;
  /** True when this call built it, false when an existing catalog was reused. */
  readonly built: boolean;
}

interface Plan {
  readonly stockTickers: string[];
  readonly indexTickers: string[];
  readonly roots: string[];
  readonly files: Partial<Record<DatasetId, string>>;
  readonly missingOptional: string[];
}

function planFiles(req: CatalogRequest): Plan {
  const stock = new Set<string>();
  const index = new Set<string>();
  const roots = new Set<string>();
  for (const u of req.underlyings) {
    const info = UNDERLYING_INFO[u];
    if (info.isIndex) index.add(info.ticker);
    else stock.add(info.ticker);
    if (info.proxy) stock.add(info.proxy);
    for (const r of info.roots) roots.add(r);
  }
  const need: DatasetId[] = [];
  if (stock.size) need.push('stockTrades', 'stockQuotes');
  if (index.size) need.push('indexValues');
  if (roots.size) need.push('optionQuotes', 'optionTrades');
  const files: Partial<Record<DatasetId, string>> = {};
  const missing: string[] = [];
  for (const id of need) {
    const p = datasetPath(req.dataRoot, id, req.date);
    if (existsSync(p)) files[id] = p;
    else missing.push(p);
  }
  if (missing.length) {
    throw new ReplayRefused(
      `cannot replay ${req.date}: missing required flat file${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`,
      missing[0],
    );
  }
  const missingOptional: string[] = [];
  if (req.minuteAggs && stock.size) {
    const p = datasetPath(req.dataRoot, 'stockMinuteAggs', req.date);
    if (existsSync(p)) files.stockMinuteAggs = p;
    else missingOptional.push(p);
  }
  return { stockTickers: [...stock].sort(), indexTickers: [...index].sort(), roots: [...roots].sort(), files, missingOptional };
}

function catalogKey(req: CatalogRequest, files: readonly CatalogFile[]): string {
  const h = createHash('sha256');
  h.update(
    JSON.stringify({
      v: CATALOG_VERSION,
      date: req.date,
      underlyings: [...req.underlyings].sort(),
      strikeWindowPct: req.strikeWindowPct,
      expiries: req.expiries,
      maxExpiryDays: req.maxExpiryDays ?? 10,
      minuteAggs: req.minuteAggs,
      files: files.map((f) => [f.dataset, resolve(f.path), f.bytes, f.mtimeMs]),
    }),
  );
  return h.digest('hex').slice(0, 16);
}

const sqlStr = (s: string) => `'${s.replace(/'/g, "''")}'`;
const sqlList = (xs: readonly string[]) => (xs.length ? xs.map(sqlStr).join(', ') : "''");

/** Build (or reuse) the catalog for a request. Throws ReplayRefused when the day cannot be replayed truthfully. */
export async function buildCatalog(req: CatalogRequest): Promise<Catalog> {
  const closed = closureReason(req.date);
  if (closed) throw new ReplayRefused(`cannot replay ${req.date}: not an NYSE trading day (${closed})`);
  const plan = planFiles(req);
  const files: CatalogFile[] = (Object.entries(plan.files) as [DatasetId, string][])
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([dataset, path]) => {
      const st = statSync(path);
      return { dataset, path, bytes: st.size, mtimeMs: Math.trunc(st.mtimeMs) };
    });
  const key = catalogKey(req, files);
  const dir = join(req.catalogRoot, req.date, key);
  const parquet = join(dir, 'events.parquet');
  const metaPath = join(dir, 'meta.json');
  if (!req.force && existsSync(parquet) && existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as CatalogMeta;
    if (meta.version === CATALOG_VERSION && meta.key === key) return { dir, parquet, meta, built: false };
  }

  mkdirSync(dir, { recursive: true });
  const tmpDir = join(req.catalogRoot, '.tmp');
  mkdirSync(tmpDir, { recursive: true });
  const tmpParquet = join(dir, `events.parquet.tmp-${process.pid}`);
  // A file-backed scratch database (not :memory:) lets DuckDB's buffer manager page staged tables to disk, so a
  // real day (hundreds of millions of option quotes) ingests within the memory limit.
  const scratch = join(tmpDir, `ingest-${process.pid}-${key}.duckdb`);
  rmSync(scratch, { force: true });
  rmSync(`${scratch}.wal`, { force: true });
  const instance = await DuckDBInstance.create(scratch, {
    memory_limit: `${req.duckdbMemoryMb}MB`,
    threads: String(req.duckdbThreads),
    temp_directory: tmpDir,
  });
  const conn = await instance.connect();
  const progress = req.onProgress ?? (() => {});
  try {
    const gzChecks: Promise<[string, GzipCheck]>[] = req.verifyGzip
      ? files.map((f) => verifyGzip(f.path).then((c) => [f.path, c] as [string, GzipCheck]))
      : [];
    // Every gzip stream must prove complete before anything is written; a broken file also explains any
    // DuckDB error it caused, so its refusal wins.
    const checkGzip = async () => {
      for (const [path, c] of await Promise.all(gzChecks)) {
        if (!c.ok) {
          throw new ReplayRefused(
            `cannot replay ${req.date}: ${path} is truncated or corrupt (${c.error}) after ${c.lines} complete lines; re-download it`,
            path,
            c.lines + 1,
          );
        }
      }
    };
    // Raw-file hashes for the run manifest, read alongside the ingest: from the gzip check's own read of each
    // file when it runs (flat files run to gigabytes: read once), else streamed on their own.
    const hashes = Promise.all(
      files.map((f, i) => (gzChecks[i] ? gzChecks[i].then(([, c]) => c.sha256 ?? hashFile(f.path)) : hashFile(f.path))),
    );
    hashes.catch(() => {}); // awaited below; an ingest failure must not leave an unhandled rejection
    const ingest = new Ingest(conn, req, plan);
    let meta: CatalogMeta;
    try {
      meta = await ingest.run(files, key, progress, checkGzip, tmpParquet);
    } catch (e) {
      await checkGzip();
      throw e;
    }
    const sha = await hashes;
    meta = { ...meta, files: meta.files.map((f, i) => ({ ...f, sha256: sha[i]! })) };
    renameSync(tmpParquet, parquet);
    const metaTmp = `${metaPath}.tmp-${process.pid}`;
    writeFileSync(metaTmp, JSON.stringify(meta, null, 1));
    renameSync(metaTmp, metaPath);
    progress('done', 1);
    return { dir, parquet, meta, built: true };
  } catch (e) {
    rmSync(tmpParquet, { force: true });
    throw e;
  } finally {
    conn.closeSync();
    instance.closeSync();
    rmSync(scratch, { force: true });
    rmSync(`${scratch}.wal`, { force: true });
  }
}

class Ingest {
  private readonly drops: DropCount[] = [];
  private readonly rowsRead: Record<string, number> = {};
  private readonly rowsKept: Record<string, number> = {};
  private readonly reordered: Record<string, number> = {};
  private readonly malformed: MalformedRow[] = [];
  private malformedTotal = 0;
  private readonly warnings: string[] = [];
  private readonly dayStartNs: bigint;
  private readonly dayEndNs: bigint;
  private readonly parts: string[] = [];

  constructor(
    private readonly conn: DuckDBConnection,
    private readonly req: CatalogRequest,
    private readonly plan: Plan,
  ) {
    this.dayStartNs = msToNs(nyTimeToMs(req.date, 0, 0));
    this.dayEndNs = msToNs(nyTimeToMs(addDays(req.date, 1), 0, 0));
  }

  async run(
    files: readonly CatalogFile[],
    key: string,
    progress: (stage: string, fraction: number) => void,
    beforeWrite: () => Promise<void>,
    outParquet: string,
  ): Promise<CatalogMeta> {
    const p = this.plan.files;
    const steps = Object.keys(p).length + 2;
    let step = 0;
    const tick = (s: string) => progress(s, ++step / steps);
    if (p.indexValues) {
      await this.stage('indexValues', p.indexValues, `ticker IN (${sqlList(this.plan.indexTickers)})`);
      await this.indexValues();
      tick('index values');
    }
    if (p.stockQuotes) {
      await this.stage('stockQuotes', p.stockQuotes, `ticker IN (${sqlList(this.plan.stockTickers)})`);
      await this.quotes('stockQuotes', KIND.Quote);
      tick('stock quotes');
    }
    if (p.stockTrades) {
      await this.stage('stockTrades', p.stockTrades, `ticker IN (${sqlList(this.plan.stockTickers)})`);
      await this.trades('stockTrades', KIND.Trade);
      tick('stock trades');
    }
    if (p.stockMinuteAggs) {
      await this.stage('stockMinuteAggs', p.stockMinuteAggs, `ticker IN (${sqlList(this.plan.stockTickers)})`);
      await this.minuteAggs();
      tick('minute aggregates');
    }
    await this.requireUnderlyingRows();
    const options: DataQualityReport['options'] = {};
    if (p.optionQuotes && p.optionTrades) {
      const filter = await this.optionFilter(options);
      await this.stage('optionQuotes', p.optionQuotes, filter);
      await this.quotes('optionQuotes', KIND.OptionQuote);
      tick('option quotes');
      await this.stage('optionTrades', p.optionTrades, filter);
      await this.trades('optionTrades', KIND.OptionTrade);
      tick('option trades');
      await this.keepFirstExpiries(options);
    }
    await beforeWrite();
    const rows = await this.write(outParquet);
    tick('write');
    const symbols = (await this.all(`SELECT symbol FROM syms ORDER BY id`)).map((r) => String(r[0]));
    const conditions = ['', ...(await this.all(`SELECT cond FROM conds ORDER BY id`)).map((r) => String(r[0]))];
    const dataQuality: DataQualityReport = {
      date: this.req.date,
      rowsRead: this.rowsRead,
      rowsKept: this.rowsKept,
      dropped: this.drops,
      reordered: this.reordered,
      malformed: { total: this.malformedTotal, examples: this.malformed.slice(0, 20) },
      missingOptional: this.plan.missingOptional,
      options,
      warnings: this.warnings,
    };
    return {
      version: CATALOG_VERSION,
      key,
      date: this.req.date,
      underlyings: [...this.req.underlyings].sort(),
      symbols,
      conditions,
      rows,
      files: files.map((f) => ({ ...f, path: relative(process.cwd(), resolve(f.path)) || f.path })),
      dataQuality,
    };
  }

  private async all(sql: string): Promise<unknown[][]> {
    const r = await this.conn.runAndReadAll(sql);
    return r.getRows() as unknown[][];
  }

  /** Read a file by header name into temp table `raw_<id>` (rowid = file order); collect malformed rows. */
  private async stage(id: DatasetId, path: string, where: string): Promise<void> {
    const ds = DATASETS[id];
    const header = (await readGzipHeader(path)).split(',').map((h) => h.trim().replace(/^"|"$/g, ''));
    const missing = ds.required.filter((c) => !header.includes(c));
    if (missing.length) {
      throw new ReplayRefused(
        `cannot replay ${this.req.date}: ${path} line 1: header lacks required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (header: ${header.join(',')})`,
        path,
        1,
      );
    }
    const cols = header.map((h) => `${sqlStr(h)}: ${sqlStr(ds.columns[h] ?? 'VARCHAR')}`).join(', ');
    const rej = `rej_${id}`;
    // Keep only the columns ingest uses; the rest of the row is parsed as text and discarded.
    const keep = header.filter((h) => h in ds.columns).map((h) => `"${h}"`).join(', ');
    await this.conn.run(`DROP TABLE IF EXISTS raw_${id}`);
    await this.conn.run(
      `CREATE TABLE raw_${id} AS SELECT ${keep} FROM read_csv(${sqlStr(path)}, header = true, auto_detect = false,
         delim = ',', quote = '"', escape = '"', columns = {${cols}}, store_rejects = true,
         rejects_table = '${rej}', rejects_scan = '${rej}_scan', rejects_limit = 10000)
       WHERE ${where}`,
    );
    const bad = await this.all(
      `SELECT line, column_name, error_message, count(*) OVER () FROM (
         SELECT line, first(column_name ORDER BY column_idx) AS column_name, first(error_message ORDER BY column_idx) AS error_message
         FROM ${rej} GROUP BY line) ORDER BY line LIMIT 20`,
    );
    const count = bad.length ? Number(bad[0]![3]) : 0;
    const max = this.req.maxMalformedRows ?? 1000;
    for (const r of bad) {
      this.malformed.push({ file: path, line: Number(r[0]), column: String(r[1]), error: String(r[2]) });
    }
    this.malformedTotal += count;
    if (count > max) {
      const first = bad[0]!;
      throw new ReplayRefused(
        `cannot replay ${this.req.date}: ${path} has ${count} malformed rows (limit ${max}); first at line ${Number(first[0])}, column ${String(first[1])}: ${String(first[2])}`,
        path,
        Number(first[0]),
      );
    }
  }

  /** Count drop reasons of `t_<id>` (a `drop_reason` column), record kept rows and reorders. */
  private async account(id: DatasetId, describe: string): Promise<void> {
    await this.conn.run(`DROP TABLE raw_${id}`);
    await this.conn.run(`DROP TABLE IF EXISTS dup_${id}`);
    const rows = await this.all(`SELECT drop_reason, count(*) FROM t_${id} GROUP BY drop_reason ORDER BY drop_reason NULLS FIRST`);
    // Examples only for dropped rows (never aggregate the kept millions into a list).
    const ex = await this.all(
      `SELECT drop_reason, ${describe} FROM (
         SELECT *, row_number() OVER (PARTITION BY drop_reason ORDER BY rid) AS rn FROM t_${id} WHERE drop_reason IS NOT NULL)
       WHERE rn <= 3 ORDER BY drop_reason, rid`,
    );
    let read = 0;
    let kept = 0;
    for (const [reason, n] of rows) {
      read += Number(n);
      if (reason === null) kept = Number(n);
      else {
        const examples = ex.filter((e) => e[0] === reason).map((e) => String(e[1]));
        this.drops.push({ dataset: id, reason: String(reason), rows: Number(n), examples });
      }
    }
    this.rowsRead[id] = read;
    this.rowsKept[id] = kept;
    const oo = await this.all(`SELECT count(*) FROM t_${id} WHERE drop_reason IS NULL AND out_of_order`);
    const n = Number(oo[0]?.[0] ?? 0);
    if (n) this.reordered[id] = n;
  }

  private tsCase(col: string): string {
    return `WHEN ${col} IS NULL THEN 'missing_timestamp'
            WHEN ${col} < ${this.dayStartNs} OR ${col} >= ${this.dayEndNs} THEN 'outside_date'`;
  }

  /** A row stamped earlier than the row before it (same ticker, file order). `lag` streams after one sort. */
  private outOfOrder(col: string): string {
    return `coalesce(${col} < lag(${col}) OVER (PARTITION BY ticker ORDER BY r.rowid), false)`;
  }

  /**
   * Rows whose (ticker, key) repeats an earlier row: a hash aggregate (spills to disk, unlike a window over
   * every row) finds the repeated keys and the first row of each; the table `dup_<id>` is joined in.
   */
  private async duplicates(id: DatasetId, key: string): Promise<void> {
    await this.conn.run(
      `CREATE TABLE dup_${id} AS SELECT ticker AS d_ticker, ${key} AS d_key, min(rowid) AS d_first FROM raw_${id}
       WHERE ${key} IS NOT NULL GROUP BY ticker, ${key} HAVING count(*) > 1`,
    );
  }

  private static dupJoin(id: DatasetId, key: string): string {
    return `LEFT JOIN dup_${id} ON d_ticker = ticker AND d_key = ${key}`;
  }

  private static badNum(c: string): string {
    return `${c} IS NULL OR isnan(${c}) OR isinf(${c})`;
  }

  private async indexValues(): Promise<void> {
    await this.conn.run(
      `CREATE TABLE t_indexValues AS SELECT r.rowid AS rid, ticker, timestamp AS ts_ns, value,
         CASE ${this.tsCase('timestamp')}
              WHEN ${Ingest.badNum('value')} OR value <= 0 THEN 'bad_price'
              ELSE NULL END AS drop_reason,
         ${this.outOfOrder('timestamp')} AS out_of_order
       FROM raw_indexValues r`,
    );
    await this.account('indexValues', `ticker || ' value=' || coalesce(value::VARCHAR, 'null') || ' ts=' || coalesce(ts_ns::VARCHAR, 'null')`);
    this.parts.push(
      `SELECT ${KIND.IndexValue} AS kind, ticker, ts_ns, value AS p1, 0.0 AS p2, 0.0 AS p3, 0.0 AS p4, 0.0 AS s1, 0.0 AS s2,
              0 AS x1, 0 AS x2, 0.0 AS seq, NULL::VARCHAR AS conditions, rid FROM t_indexValues WHERE drop_reason IS NULL`,
    );
  }

  private async quotes(id: 'stockQuotes' | 'optionQuotes', kind: number): Promise<void> {
    const hasSeq = (await this.all(`SELECT count(*) FROM information_schema.columns WHERE table_name = 'raw_${id}' AND column_name = 'sequence_number'`))[0]?.[0];
    const seq = Number(hasSeq) ? 'sequence_number' : 'NULL::BIGINT';
    const b = Ingest.badNum;
    await this.duplicates(id, seq);
    await this.conn.run(
      `CREATE TABLE t_${id} AS SELECT r.rowid AS rid, ticker, sip_timestamp AS ts_ns, bid_price, ask_price, bid_size, ask_size,
         bid_exchange, ask_exchange, ${seq} AS seq,
         CASE ${this.tsCase('sip_timestamp')}
              WHEN ${b('bid_price')} OR ${b('ask_price')} OR bid_price < 0 OR ask_price < 0 THEN 'bad_price'
              WHEN bid_price = 0 AND ask_price = 0 THEN 'empty_quote'
              WHEN ${b('bid_size')} OR ${b('ask_size')} OR bid_size < 0 OR ask_size < 0 THEN 'negative_size'
              WHEN bid_price > 0 AND ask_price > 0 AND bid_price > ask_price THEN 'crossed'
              WHEN bid_price > 0 AND bid_price = ask_price THEN 'locked'
              WHEN d_first IS NOT NULL AND r.rowid <> d_first THEN 'duplicate_sequence'
              ELSE NULL END AS drop_reason,
         ${this.outOfOrder('sip_timestamp')} AS out_of_order
       FROM raw_${id} r ${Ingest.dupJoin(id, seq)}`,
    );
    await this.account(
      id,
      `ticker || ' bid=' || coalesce(bid_price::VARCHAR, 'null') || ' ask=' || coalesce(ask_price::VARCHAR, 'null') || ' seq=' || coalesce(seq::VARCHAR, '-') || ' ts=' || coalesce(ts_ns::VARCHAR, 'null')`,
    );
    this.parts.push(
      `SELECT ${kind} AS kind, ticker, ts_ns, bid_price AS p1, ask_price AS p2, 0.0 AS p3, 0.0 AS p4, bid_size AS s1, ask_size AS s2,
              coalesce(bid_exchange, 0) AS x1, coalesce(ask_exchange, 0) AS x2, coalesce(seq, 0)::DOUBLE AS seq, NULL::VARCHAR AS conditions, rid
       FROM t_${id} WHERE drop_reason IS NULL`,
    );
  }

  private async trades(id: 'stockTrades' | 'optionTrades', kind: number): Promise<void> {
    const cols = (await this.all(`SELECT column_name FROM information_schema.columns WHERE table_name = 'raw_${id}'`)).map((r) => String(r[0]));
    const seq = cols.includes('sequence_number') ? 'sequence_number' : 'NULL::BIGINT';
    const correction = cols.includes('correction') ? 'coalesce(correction, 0)' : '0';
    // OPRA cancel conditions (201 CANC, 203 CNCL, 205 CNCO, 207 CNOL) remove a print; see specs/polygon.md §1.4.
    const canceled =
      id === 'optionTrades' ? `list_has_any(string_split(coalesce(conditions, ''), ','), ['201', '203', '205', '207'])` : 'false';
    const b = Ingest.badNum;
    await this.duplicates(id, seq);
    await this.conn.run(
      `CREATE TABLE t_${id} AS SELECT r.rowid AS rid, ticker, sip_timestamp AS ts_ns, price, size, exchange, ${seq} AS seq,
         nullif(trim(conditions), '') AS conditions,
         CASE ${this.tsCase('sip_timestamp')}
              WHEN ${b('price')} OR price <= 0 THEN 'bad_price'
              WHEN ${b('size')} OR size < 0 THEN 'negative_size'
              WHEN size = 0 THEN 'zero_size'
              WHEN ${correction} <> 0 OR ${canceled} THEN 'corrected_or_canceled'
              WHEN d_first IS NOT NULL AND r.rowid <> d_first THEN 'duplicate_sequence'
              ELSE NULL END AS drop_reason,
         ${this.outOfOrder('sip_timestamp')} AS out_of_order
       FROM raw_${id} r ${Ingest.dupJoin(id, seq)}`,
    );
    await this.account(
      id,
      `ticker || ' price=' || coalesce(price::VARCHAR, 'null') || ' size=' || coalesce(size::VARCHAR, 'null') || ' seq=' || coalesce(seq::VARCHAR, '-') || ' ts=' || coalesce(ts_ns::VARCHAR, 'null')`,
    );
    this.parts.push(
      `SELECT ${kind} AS kind, ticker, ts_ns, price AS p1, 0.0 AS p2, 0.0 AS p3, 0.0 AS p4, size AS s1, 0.0 AS s2,
              coalesce(exchange, 0) AS x1, 0 AS x2, coalesce(seq, 0)::DOUBLE AS seq, conditions, rid
       FROM t_${id} WHERE drop_reason IS NULL`,
    );
  }

  private async minuteAggs(): Promise<void> {
    const b = Ingest.badNum;
    await this.duplicates('stockMinuteAggs', 'window_start');
    await this.conn.run(
      `CREATE TABLE t_stockMinuteAggs AS SELECT r.rowid AS rid, ticker, window_start + 60000000000 AS ts_ns, open, high, low, close,
         volume, coalesce(transactions, 0) AS transactions,
         CASE ${this.tsCase('window_start')}
              WHEN ${b('open')} OR ${b('high')} OR ${b('low')} OR ${b('close')} OR least(open, high, low, close) <= 0
                OR high < greatest(open, close, low) OR low > least(open, close) THEN 'bad_bar'
              WHEN ${b('volume')} OR volume < 0 THEN 'negative_size'
              WHEN d_first IS NOT NULL AND r.rowid <> d_first THEN 'duplicate_window'
              ELSE NULL END AS drop_reason,
         ${this.outOfOrder('window_start')} AS out_of_order
       FROM raw_stockMinuteAggs r ${Ingest.dupJoin('stockMinuteAggs', 'window_start')}`,
    );
    await this.account('stockMinuteAggs', `ticker || ' o=' || coalesce(open::VARCHAR,'null') || ' h=' || coalesce(high::VARCHAR,'null') || ' l=' || coalesce(low::VARCHAR,'null') || ' c=' || coalesce(close::VARCHAR,'null')`);
    // A minute bar is stamped at its window END: that is when it is known (no look-ahead).
    this.parts.push(
      `SELECT ${KIND.Bar} AS kind, ticker, ts_ns, open AS p1, high AS p2, low AS p3, close AS p4, volume AS s1, transactions::DOUBLE AS s2,
              60 AS x1, 0 AS x2, 0.0 AS seq, NULL::VARCHAR AS conditions, rid
       FROM t_stockMinuteAggs WHERE drop_reason IS NULL`,
    );
  }

  /** A requested underlying with no usable rows would replay a day of nothing: refuse instead. */
  private async requireUnderlyingRows(): Promise<void> {
    const checks: [DatasetId, string[]][] = [
      ['indexValues', this.plan.indexTickers],
      ['stockQuotes', this.plan.stockTickers],
      ['stockTrades', this.plan.stockTickers],
    ];
    for (const [id, tickers] of checks) {
      if (!tickers.length || !this.plan.files[id]) continue;
      const present = new Set(
        (await this.all(`SELECT DISTINCT ticker FROM t_${id} WHERE drop_reason IS NULL`)).map((r) => String(r[0])),
      );
      const absent = tickers.filter((t) => !present.has(t));
      if (absent.length) {
        throw new ReplayRefused(
          `cannot replay ${this.req.date}: ${this.plan.files[id]} has no usable rows for ${absent.join(', ')}`,
          this.plan.files[id],
        );
      }
    }
  }

  /** WHERE clause selecting option contracts: our roots, expiry window, strike window around the day's range. */
  private async optionFilter(options: Record<string, unknown>): Promise<string> {
    const maxDays = this.req.maxExpiryDays ?? 10;
    const first = this.req.date.replace(/-/g, '').slice(2);
    const last = addDays(this.req.date, maxDays).replace(/-/g, '').slice(2);
    const w = this.req.strikeWindowPct;
    const clauses: string[] = [];
    for (const u of [...this.req.underlyings].sort()) {
      const info = UNDERLYING_INFO[u];
      const range = info.isIndex
        ? await this.all(`SELECT min(value), max(value) FROM t_indexValues WHERE drop_reason IS NULL AND ticker = ${sqlStr(info.ticker)}`)
        : await this.all(`SELECT min(price), max(price) FROM t_stockTrades WHERE drop_reason IS NULL AND ticker = ${sqlStr(info.ticker)}`);
      const lo = Number(range[0]?.[0]);
      const hi = Number(range[0]?.[1]);
      if (!Number.isFinite(lo) || !Number.isFinite(hi)) continue;
      const kLo = Math.floor(lo * (1 - w) * 1000);
      const kHi = Math.ceil(hi * (1 + w) * 1000);
      options[u] = { contracts: 0, expiries: [], strikeRange: [kLo / 1000, kHi / 1000] };
      for (const root of info.roots) {
        // Exact root: the 6 expiry digits must follow it (O:SPX… must not match O:SPXW…).
        const n = root.length + 2;
        clauses.push(
          `(starts_with(ticker, ${sqlStr(`O:${root}`)}) AND regexp_full_match(ticker, ${sqlStr(`O:${root}\\d{6}[CP]\\d{8}`)})
            AND substr(ticker, ${n + 1}, 6) BETWEEN '${first}' AND '${last}'
            AND TRY_CAST(substr(ticker, ${n + 8}, 8) AS BIGINT) BETWEEN ${kLo} AND ${kHi})`,
        );
      }
    }
    return clauses.length ? clauses.join(' OR ') : 'false';
  }

  /** Keep only the first N expiries present in the data for each underlying (0DTE first). */
  private async keepFirstExpiries(options: Record<string, { contracts: number; expiries: readonly string[]; strikeRange: readonly [number, number] | null }>): Promise<void> {
    const rootToU: string[] = [];
    for (const u of this.req.underlyings) for (const r of UNDERLYING_INFO[u].roots) rootToU.push(`WHEN ${sqlStr(r)} THEN ${sqlStr(u)}`);
    await this.conn.run(
      `CREATE TABLE contracts AS
       WITH c AS (
         SELECT DISTINCT ticker, regexp_extract(ticker, '^O:([A-Z]+)\\d', 1) AS root, regexp_extract(ticker, '^O:[A-Z]+(\\d{6})', 1) AS exp6
         FROM (SELECT ticker FROM t_optionQuotes WHERE drop_reason IS NULL UNION SELECT ticker FROM t_optionTrades WHERE drop_reason IS NULL)
       ), cu AS (SELECT *, CASE root ${rootToU.join(' ')} END AS u FROM c),
       ranked AS (SELECT *, dense_rank() OVER (PARTITION BY u ORDER BY exp6) AS r FROM cu)
       SELECT ticker, u, '20' || substr(exp6, 1, 2) || '-' || substr(exp6, 3, 2) || '-' || substr(exp6, 5, 2) AS expiry
       FROM ranked WHERE r <= ${this.req.expiries}`,
    );
    const per = await this.all(`SELECT u, count(*), list(DISTINCT expiry ORDER BY expiry) FROM contracts GROUP BY u ORDER BY u`);
    for (const [u, n, exps] of per) {
      const items = Array.isArray(exps) ? exps : ((exps as { items?: unknown[] }).items ?? []);
      const cur = options[String(u)];
      options[String(u)] = { contracts: Number(n), expiries: items.map(String), strikeRange: cur?.strikeRange ?? null };
    }
    for (const u of this.req.underlyings) {
      if (!options[u] || options[u].contracts === 0) {
        this.warnings.push(`no option contracts for ${u} (roots ${UNDERLYING_INFO[u].roots.join('/')}) within the expiry and strike window`);
      }
    }
  }

  private async write(out: string): Promise<number> {
    // Option rows are kept only for the contracts chosen by keepFirstExpiries.
    const parts = this.parts.map((p) =>
      this.plan.files.optionQuotes && /FROM t_option/.test(p) ? `${p} AND ticker IN (SELECT ticker FROM contracts)` : p,
    );
    await this.conn.run(`CREATE VIEW all_rows AS ${parts.map((p) => `(${p})`).join(' UNION ALL ')}`);
    await this.conn.run(`CREATE TABLE syms AS SELECT symbol, (row_number() OVER (ORDER BY symbol) - 1)::USMALLINT AS id FROM (SELECT DISTINCT ticker AS symbol FROM all_rows)`);
    await this.conn.run(
      `CREATE TABLE conds AS SELECT cond, row_number() OVER (ORDER BY cond)::UINTEGER AS id FROM (SELECT DISTINCT conditions AS cond FROM all_rows WHERE conditions IS NOT NULL)`,
    );
    const dup = await this.all(`SELECT count(*) FROM syms`);
    if (Number(dup[0]?.[0]) > 65_535) throw new Error('catalog holds more than 65,535 symbols; narrow the strike window');
    // One global ORDER BY over a whole day does not stay inside the memory limit (a full synthetic day, 16M rows,
    // ran DuckDB out of memory about one time in two at 1 GB), so the day is sorted in time slices: a per-minute
    // histogram groups consecutive minutes into slices of at most `sliceRows`, each slice is sorted on its own and
    // appended to `sorted` (insertion order is preserved: slices are disjoint, increasing ts ranges), and the table
    // is then streamed to Parquet in that order. Memory is bounded by the slice, not the day.
    const select = `SELECT a.kind::UTINYINT AS kind, s.id AS sym, a.ts_ns,
                ((a.ts_ns // 1000000)::DOUBLE + (a.ts_ns % 1000000)::DOUBLE / 1e6) AS ts,
                a.p1::DOUBLE AS p1, a.p2::DOUBLE AS p2, a.p3::DOUBLE AS p3, a.p4::DOUBLE AS p4,
                a.s1::DOUBLE AS s1, a.s2::DOUBLE AS s2, a.x1::INTEGER AS x1, a.x2::INTEGER AS x2, a.seq::DOUBLE AS seq,
                coalesce(c.id, 0)::UINTEGER AS cond
         FROM all_rows a JOIN syms s ON s.symbol = a.ticker LEFT JOIN conds c ON c.cond = a.conditions`;
    const order = `ORDER BY a.ts_ns, a.kind, s.id, a.seq, a.rid`;
    await this.conn.run(`CREATE TABLE sorted AS ${select} WHERE false`);
    const minutes = (await this.all(`SELECT ts_ns // ${MINUTE_NS} AS m, count(*) FROM all_rows GROUP BY m ORDER BY m`)).map(
      ([m, n]) => [BigInt(m as bigint | number), Number(n)] as const,
    );
    for (const [lo, hi] of timeSlices(minutes, this.req.sortSliceRows ?? sliceRowsFor(this.req.duckdbMemoryMb))) {
      const bounds = [lo === null ? null : `a.ts_ns >= ${lo * MINUTE_NS}`, hi === null ? null : `a.ts_ns < ${hi * MINUTE_NS}`].filter(Boolean);
      await this.conn.run(`INSERT INTO sorted ${select} ${bounds.length ? `WHERE ${bounds.join(' AND ')}` : ''} ${order}`);
    }
    await this.conn.run(`COPY sorted TO ${sqlStr(out)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`);
    await this.conn.run(`DROP TABLE sorted`);
    const n = await this.all(`SELECT count(*) FROM read_parquet(${sqlStr(out)})`);
    return Number(n[0]?.[0] ?? 0);
  }
}

const MINUTE_NS = 60_000_000_000n;

/** Rows sorted at once during the catalog write: ~100 bytes a row, a quarter of the DuckDB memory limit. */
export function sliceRowsFor(memoryMb: number): number {
  return Math.max(100_000, Math.floor((memoryMb * 1024 * 1024) / 100 / 4));
}

/**
 * Group a per-minute row histogram (ascending minutes) into consecutive slices of at most `maxRows` rows (a single
 * minute above it is a slice of its own). Returns [from, to) minute bounds; the first slice is open below and the
 * last open above, so every row falls in exactly one slice whatever the histogram missed.
 */
export function timeSlices(minutes: readonly (readonly [bigint, number])[], maxRows: number): [bigint | null, bigint | null][] {
  const starts: bigint[] = [];
  let rows = 0;
  for (const [m, n] of minutes) {
    if (starts.length === 0 || (rows > 0 && rows + n > maxRows)) {
      starts.push(m);
      rows = 0;
    }
    rows += n;
  }
  if (starts.length <= 1) return [[null, null]];
  return starts.map((s, i) => [i === 0 ? null : s, i + 1 < starts.length ? starts[i + 1]! : null]);
}
