/**
 * The Polygon flat-file datasets the synthetic generator writes: the replay's own dataset table (one source of
 * truth for paths and headers, specs/polygon.md §4), in the shape the writers use.
 */
import { DATASETS, POLYGON_HEADERS, datasetPath, type DatasetId } from '../replay/flatFiles.js';

export type FlatFileKind = DatasetId;

export const FLAT_FILES: Readonly<Record<FlatFileKind, { readonly key: string; readonly header: string }>> = Object.fromEntries(
  (Object.keys(DATASETS) as DatasetId[]).map((id) => [id, { key: DATASETS[id].dir, header: POLYGON_HEADERS[id].join(',') }]),
) as Record<FlatFileKind, { key: string; header: string }>;

/** `outDir/us_stocks_sip/trades_v1/2025/03/2025-03-10.csv.gz` and the like. */
export const flatFilePath = datasetPath;
