/**
 * The Polygon flat-file datasets the synthetic generator writes, with their exact headers
 * (specs/polygon.md §4) and key layout `{prefix}/{dataset}/{YYYY}/{MM}/{YYYY-MM-DD}.csv.gz`.
 */
import { join } from 'node:path';
import { parseIsoDate } from '../../domain/time.js';

export const FLAT_FILES = {
  stockTrades: {
    key: 'us_stocks_sip/trades_v1',
    header:
      'ticker,conditions,correction,exchange,id,participant_timestamp,price,sequence_number,sip_timestamp,size,tape,trf_id,trf_timestamp',
  },
  stockQuotes: {
    key: 'us_stocks_sip/quotes_v1',
    header:
      'ticker,ask_exchange,ask_price,ask_size,bid_exchange,bid_price,bid_size,conditions,indicators,participant_timestamp,sequence_number,sip_timestamp,tape,trf_timestamp',
  },
  stockMinuteAggs: {
    key: 'us_stocks_sip/minute_aggs_v1',
    header: 'ticker,volume,open,close,high,low,window_start,transactions',
  },
  indexValues: { key: 'us_indices/values_v1', header: 'ticker,value,timestamp' },
  optionTrades: {
    key: 'us_options_opra/trades_v1',
    header: 'ticker,conditions,correction,exchange,price,sip_timestamp,size',
  },
  optionQuotes: {
    key: 'us_options_opra/quotes_v1',
    header: 'ticker,ask_exchange,ask_price,ask_size,bid_exchange,bid_price,bid_size,sequence_number,sip_timestamp',
  },
} as const;

export type FlatFileKind = keyof typeof FLAT_FILES;

/** `outDir/us_stocks_sip/trades_v1/2025/03/2025-03-10.csv.gz` and the like. */
export function flatFilePath(outDir: string, kind: FlatFileKind, date: string): string {
  parseIsoDate(date);
  return join(outDir, FLAT_FILES[kind].key, date.slice(0, 4), date.slice(5, 7), `${date}.csv.gz`);
}
