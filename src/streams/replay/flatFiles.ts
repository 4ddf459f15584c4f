/**
 * Polygon flat-file datasets the replay reads: where each lives under a data root and the columns it must have.
 * Headers changed over the years (option trades gained/lost `participant_timestamp`), so files are parsed by
 * header NAME: required columns must be present, extra columns are read as text and ignored.
 */
import { join } from 'node:path';
import { parseIsoDate } from '../../domain/time.js';

export type DatasetId = 'stockTrades' | 'stockQuotes' | 'stockMinuteAggs' | 'optionTrades' | 'optionQuotes' | 'indexValues';

export interface Dataset {
  readonly id: DatasetId;
  /** Path under the data root, e.g. `us_stocks_sip/trades_v1`. */
  readonly dir: string;
  /** Column name → DuckDB type for the columns ingest uses (others in the header are read as text and skipped). */
  readonly columns: Readonly<Record<string, string>>;
  /** Columns whose absence refuses the file. */
  readonly required: readonly string[];
}

export const DATASETS: Readonly<Record<DatasetId, Dataset>> = {
  stockTrades: {
    id: 'stockTrades',
    dir: 'us_stocks_sip/trades_v1',
    columns: {
      ticker: 'VARCHAR',
      conditions: 'VARCHAR',
      correction: 'INTEGER',
      exchange: 'INTEGER',
      price: 'DOUBLE',
      sequence_number: 'BIGINT',
      sip_timestamp: 'BIGINT',
      size: 'DOUBLE',
    },
    required: ['ticker', 'conditions', 'exchange', 'price', 'sequence_number', 'sip_timestamp', 'size'],
  },
  stockQuotes: {
    id: 'stockQuotes',
    dir: 'us_stocks_sip/quotes_v1',
    columns: {
      ticker: 'VARCHAR',
      ask_exchange: 'INTEGER',
      ask_price: 'DOUBLE',
      ask_size: 'DOUBLE',
      bid_exchange: 'INTEGER',
      bid_price: 'DOUBLE',
      bid_size: 'DOUBLE',
      sequence_number: 'BIGINT',
      sip_timestamp: 'BIGINT',
    },
    required: ['ticker', 'ask_exchange', 'ask_price', 'ask_size', 'bid_exchange', 'bid_price', 'bid_size', 'sequence_number', 'sip_timestamp'],
  },
  stockMinuteAggs: {
    id: 'stockMinuteAggs',
    dir: 'us_stocks_sip/minute_aggs_v1',
    columns: {
      ticker: 'VARCHAR',
      volume: 'DOUBLE',
      open: 'DOUBLE',
      close: 'DOUBLE',
      high: 'DOUBLE',
      low: 'DOUBLE',
      window_start: 'BIGINT',
      transactions: 'BIGINT',
    },
    required: ['ticker', 'volume', 'open', 'close', 'high', 'low', 'window_start'],
  },
  optionTrades: {
    id: 'optionTrades',
    dir: 'us_options_opra/trades_v1',
    columns: {
      ticker: 'VARCHAR',
      conditions: 'VARCHAR',
      correction: 'INTEGER',
      exchange: 'INTEGER',
      price: 'DOUBLE',
      sip_timestamp: 'BIGINT',
      size: 'DOUBLE',
    },
    required: ['ticker', 'conditions', 'exchange', 'price', 'sip_timestamp', 'size'],
  },
  optionQuotes: {
    id: 'optionQuotes',
    dir: 'us_options_opra/quotes_v1',
    columns: {
      ticker: 'VARCHAR',
      ask_exchange: 'INTEGER',
      ask_price: 'DOUBLE',
      ask_size: 'DOUBLE',
      bid_exchange: 'INTEGER',
      bid_price: 'DOUBLE',
      bid_size: 'DOUBLE',
      sequence_number: 'BIGINT',
      sip_timestamp: 'BIGINT',
    },
    required: ['ticker', 'ask_exchange', 'ask_price', 'ask_size', 'bid_exchange', 'bid_price', 'bid_size', 'sip_timestamp'],
  },
  indexValues: {
    id: 'indexValues',
    dir: 'us_indices/values_v1',
    columns: { ticker: 'VARCHAR', value: 'DOUBLE', timestamp: 'BIGINT' },
    required: ['ticker', 'value', 'timestamp'],
  },
};

/** `{root}/{dir}/YYYY/MM/YYYY-MM-DD.csv.gz`, Polygon's key layout. */
export function datasetPath(root: string, id: DatasetId, date: string): string {
  parseIsoDate(date);
  const [y, m] = date.split('-') as [string, string, string];
  return join(root, DATASETS[id].dir, y, m, `${date}.csv.gz`);
}

/**
 * The header each dataset is written with today (the synthetic generator and the recorder write these; option
 * trades in their 2025–26 form without `participant_timestamp`). Readers must not rely on it: they parse by name.
 */
export const POLYGON_HEADERS: Readonly<Record<DatasetId, readonly string[]>> = {
  stockTrades: 'ticker,conditions,correction,exchange,id,participant_timestamp,price,sequence_number,sip_timestamp,size,tape,trf_id,trf_timestamp'.split(','),
  stockQuotes: 'ticker,ask_exchange,ask_price,ask_size,bid_exchange,bid_price,bid_size,conditions,indicators,participant_timestamp,sequence_number,sip_timestamp,tape,trf_timestamp'.split(','),
  stockMinuteAggs: 'ticker,volume,open,close,high,low,window_start,transactions'.split(','),
  optionTrades: 'ticker,conditions,correction,exchange,price,sip_timestamp,size'.split(','),
  optionQuotes: 'ticker,ask_exchange,ask_price,ask_size,bid_exchange,bid_price,bid_size,sequence_number,sip_timestamp'.split(','),
  indexValues: 'ticker,value,timestamp'.split(','),
};
