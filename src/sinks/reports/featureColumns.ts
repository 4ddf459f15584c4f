/** The Features fields written beside each trade (trades.csv `f_*`) and to storage/parquet/features. */
import type { Features } from '../../operators/features/featuresRecord.js';

type NumericKey = { [K in keyof Features]: Features[K] extends number | null ? K : never }[keyof Features];

export const FEATURE_COLUMNS: readonly NumericKey[] = [
  'price', 'vwap', 'vwapSigma', 'vwapUpper1', 'vwapLower1', 'vwapUpper2', 'vwapLower2', 'vwapUpper3', 'vwapLower3',
  'anchoredVwap', 'atr', 'adx', 'plusDi', 'minusDi', 'spread', 'spreadBps', 'quoteImbalance', 'microPrice',
  'ofiShort', 'ofiMedium', 'ofiLong', 'intensityShort', 'intensityMedium', 'intensityLong', 'realizedVolShort',
  'realizedVolLong', 'atmIv0dte', 'atmIvNext', 'skew25d', 'termSlope', 'expectedMoveToClose',
];

export const snake = (s: string): string => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
