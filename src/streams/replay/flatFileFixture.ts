/**
 * Test support: write tiny Polygon-format flat files (gzip CSV, exact headers) into a data root, so replay tests
 * can build any good or broken day they need without committed data.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { gzipSync } from 'node:zlib';
import { POLYGON_HEADERS, datasetPath, type DatasetId } from './flatFiles.js';

export type Row = Record<string, string | number | bigint | null | undefined>;


function cell(v: Row[string]): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvText(header: readonly string[], rows: readonly Row[]): string {
  return [header.join(','), ...rows.map((r) => header.map((h) => cell(r[h])).join(','))].join('\n') + '\n';
}

/** Write one dataset's file for a date; returns its path. `raw` bypasses CSV building (for broken files). */
export function writeFlatFile(
  root: string,
  id: DatasetId,
  date: string,
  rows: readonly Row[],
  opts: { header?: readonly string[]; raw?: string; truncateFraction?: number } = {},
): string {
  const path = datasetPath(root, id, date);
  mkdirSync(dirname(path), { recursive: true });
  const text = opts.raw ?? csvText(opts.header ?? POLYGON_HEADERS[id], rows);
  let gz = gzipSync(Buffer.from(text));
  if (opts.truncateFraction !== undefined) gz = gz.subarray(0, Math.floor(gz.length * opts.truncateFraction));
  writeFileSync(path, gz);
  return path;
}
