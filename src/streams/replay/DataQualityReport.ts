/**
 * What the edge did to the input: every row dropped is counted by dataset and reason, with a few examples, and
 * every kept-but-repaired condition (rows out of time order, re-sorted) is counted too. The report travels with
 * the catalog (meta.json), is printed by `dreambot replay` and lands in a backtest's manifest.
 *
 * Outcomes (the contract the tests hold the edge to):
 * - malformed row (a value that does not parse, a wrong column count): dropped, counted, file + line named;
 *   more than `maxMalformedRows` in one file refuses the day.
 * - crossed quote (bid > ask) and locked quote (bid = ask): dropped, counted.
 * - zero / NaN / negative / infinite price; both quote sides zero: dropped, counted. One-sided quotes (one side 0)
 *   are kept: that is how OPRA and the SIP say "no bid" or "no offer".
 * - negative size, zero trade size: dropped, counted.
 * - duplicate sequence number within a ticker: the first row kept, repeats dropped, counted.
 * - rows out of time order within a ticker: kept, re-sorted into the one ordered stream, counted.
 * - rows stamped outside the replay date (New York): dropped, counted.
 * - trade corrections / cancels (`correction` ≠ 0, OPRA cancel conditions): dropped, counted.
 * - truncated or corrupt gzip, a missing required file, a header without a required column, a non-trading date,
 *   no rows at all for a requested underlying: the day is refused with an error naming the file (and line).
 */
export interface DropCount {
  readonly dataset: string;
  readonly reason: string;
  readonly rows: number;
  readonly examples: readonly string[];
}

export interface MalformedRow {
  readonly file: string;
  readonly line: number;
  readonly column: string;
  readonly error: string;
}

export interface DataQualityReport {
  readonly date: string;
  /** Rows read per dataset for the requested symbols (before drops). */
  readonly rowsRead: Readonly<Record<string, number>>;
  /** Rows kept per dataset (after drops). */
  readonly rowsKept: Readonly<Record<string, number>>;
  readonly dropped: readonly DropCount[];
  /** Kept rows that were out of time order in the file, per dataset. */
  readonly reordered: Readonly<Record<string, number>>;
  readonly malformed: { readonly total: number; readonly examples: readonly MalformedRow[] };
  /** Files the replay could do without (e.g. minute aggs) that were missing. */
  readonly missingOptional: readonly string[];
  /** Option contracts kept, per underlying, and the expiries they span. */
  readonly options: Readonly<Record<string, { contracts: number; expiries: readonly string[]; strikeRange: readonly [number, number] | null }>>;
  readonly warnings: readonly string[];
}

export function totalDropped(r: DataQualityReport): number {
  return r.dropped.reduce((s, d) => s + d.rows, 0) + r.malformed.total;
}
