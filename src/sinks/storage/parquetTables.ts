/**
 * The run tables stored under storage/parquet/: what a run decided and did, one Parquet file per (table, day, run):
 *
 *   storage/parquet/<table>/date=YYYY-MM-DD/<run-id>.parquet      (Hive partitioning: DuckDB, Polars, Spark read
 *                                                                  `…/<table>/**\/*.parquet` with a `date` column)
 * Tables (snake_case columns, ts = event time epoch ms, every row carries run_id):
 *   features         every Features record
 *   intents          SignalIntents (playbook wishes)
 *   gate_decisions   GateDecisions (contextual gating, allowed or not with the reason)
 *   risk_decisions   risk's answers: approved (OrderIntent), denied (OrderDenied), trading-state changes
 *   orders           approved OrderIntents (the brackets sent to the broker)
 *   order_events     bracket lifecycle (BracketUpdate) and stop moves (StopAdjusted)
 *   executions       every ExecutionReport (fills and non-fill statuses; fill_quantity 0 for the latter)
 *
 * Column types are fixed here (not inferred) so files of different runs and days union cleanly.
 */
import type { ExecutionReport, GateDecision, OrderDenied, OrderIntent, SignalIntent, TradingStateChanged } from '../../domain/orders.js';
import type { Features } from '../../operators/features/featuresRecord.js';
import type { BracketUpdate, StopAdjusted } from '../oms/omsEvents.js';
import { FEATURE_COLUMNS, snake } from '../reports/featureColumns.js';
import type { RecorderTables } from '../reports/runRecorder.js';

export type ColumnType = 'DOUBLE' | 'VARCHAR' | 'BOOLEAN';
export type CellValue = number | string | boolean | null | undefined;
export interface ColumnSpec<R> {
  readonly name: string;
  readonly type: ColumnType;
  readonly get: (row: R) => CellValue;
}
export interface TableSpec<R> {
  readonly name: keyof RecorderTables;
  readonly columns: readonly ColumnSpec<R>[];
}

const d = <R>(name: string, get: (r: R) => CellValue): ColumnSpec<R> => ({ name, type: 'DOUBLE', get });
const s = <R>(name: string, get: (r: R) => CellValue): ColumnSpec<R> => ({ name, type: 'VARCHAR', get });
const b = <R>(name: string, get: (r: R) => CellValue): ColumnSpec<R> => ({ name, type: 'BOOLEAN', get });

type RiskRow = OrderIntent | OrderDenied | TradingStateChanged;
type OrderEventRow = BracketUpdate | StopAdjusted;

const features: TableSpec<Features> = {
  name: 'features',
  columns: [
    d('ts', (r) => r.ts),
    s('underlying', (r) => r.underlying),
    s('micro_symbol', (r) => r.microSymbol),
    ...FEATURE_COLUMNS.map((c) => d<Features>(snake(c), (r) => r[c])),
  ],
};

const intents: TableSpec<SignalIntent> = {
  name: 'intents',
  columns: [
    d('ts', (r) => r.ts),
    s('id', (r) => r.id),
    s('underlying', (r) => r.underlying),
    s('direction', (r) => r.direction),
    s('playbook', (r) => r.playbook),
    d('strength', (r) => r.strength),
    s('reason', (r) => r.reason),
    d('ref_price', (r) => r.refPrice),
    d('underlying_stop', (r) => r.underlyingStop),
    d('underlying_target', (r) => r.underlyingTarget),
    d('time_stop', (r) => r.timeStop),
    s('contract_expiry', (r) => r.contract.expiry),
    d('contract_target_delta', (r) => r.contract.targetDelta),
    d('p_win', (r) => r.pWin),
  ],
};

const gate: TableSpec<GateDecision> = {
  name: 'gate_decisions',
  columns: [
    d('ts', (r) => r.ts),
    s('underlying', (r) => r.underlying),
    s('playbook', (r) => r.playbook),
    b('allowed', (r) => r.allowed),
    s('reason', (r) => r.reason),
    s('intent_id', (r) => r.intentId),
  ],
};

const risk: TableSpec<RiskRow> = {
  name: 'risk_decisions',
  columns: [
    d('ts', (r) => r.ts),
    s('decision', (r) => (r.type === 'OrderIntent' ? 'approved' : r.type === 'OrderDenied' ? 'denied' : 'state')),
    s('intent_id', (r) => (r.type === 'OrderIntent' ? r.id : r.type === 'OrderDenied' ? r.intentId : null)),
    s('underlying', (r) => (r.type === 'TradingStateChanged' ? null : r.underlying)),
    s('playbook', (r) => (r.type === 'OrderIntent' ? r.playbook : null)),
    s('reason', (r) => (r.type === 'OrderIntent' ? null : r.reason)),
    s('detail', (r) => (r.type === 'OrderDenied' ? r.detail : r.type === 'TradingStateChanged' ? `${r.from}->${r.to}` : null)),
  ],
};

const orders: TableSpec<OrderIntent> = {
  name: 'orders',
  columns: [
    d('ts', (r) => r.ts),
    s('id', (r) => r.id),
    s('signal_id', (r) => r.signalId),
    s('underlying', (r) => r.underlying),
    s('root', (r) => r.root),
    s('option_symbol', (r) => r.optionSymbol),
    s('right', (r) => r.right),
    s('expiry', (r) => r.expiry),
    d('strike', (r) => r.strike),
    d('quantity', (r) => r.quantity),
    s('side', (r) => r.side),
    d('limit_price', (r) => r.limitPrice),
    d('take_profit', (r) => r.takeProfit),
    d('stop_price', (r) => r.stopPrice),
    d('underlying_stop', (r) => r.underlyingStop),
    d('underlying_target', (r) => r.underlyingTarget),
    d('time_stop', (r) => r.timeStop),
    s('playbook', (r) => r.playbook),
    d('bid_at_decision', (r) => r.bidAtDecision),
    d('ask_at_decision', (r) => r.askAtDecision),
  ],
};

const orderEvents: TableSpec<OrderEventRow> = {
  name: 'order_events',
  columns: [
    d('ts', (r) => r.ts),
    s('type', (r) => r.type),
    s('order_id', (r) => r.orderId),
    s('state', (r) => (r.type === 'BracketUpdate' ? r.state : null)),
    s('prev', (r) => (r.type === 'BracketUpdate' ? r.prev : null)),
    d('open_quantity', (r) => (r.type === 'BracketUpdate' ? r.openQuantity : null)),
    s('reason', (r) => r.reason),
    d('stop_from', (r) => (r.type === 'StopAdjusted' ? r.from : null)),
    d('stop_to', (r) => (r.type === 'StopAdjusted' ? r.to : null)),
    s('why', (r) => (r.type === 'StopAdjusted' ? r.why : null)),
    b('accepted', (r) => (r.type === 'StopAdjusted' ? r.accepted : null)),
  ],
};

const executions: TableSpec<ExecutionReport> = {
  name: 'executions',
  columns: [
    d('ts', (r) => r.ts),
    s('order_id', (r) => r.orderId),
    s('broker_order_id', (r) => r.brokerOrderId),
    s('leg', (r) => r.leg),
    s('option_symbol', (r) => r.optionSymbol),
    s('status', (r) => r.status),
    d('fill_quantity', (r) => r.fillQuantity),
    d('fill_price', (r) => r.fillPrice),
    d('cumulative_quantity', (r) => r.cumulativeQuantity),
    d('avg_fill_price', (r) => r.avgFillPrice),
    d('fees', (r) => r.fees),
    s('reason', (r) => r.reason),
  ],
};

/** Every stored table, in write order. */
export const TABLE_SPECS: readonly TableSpec<never>[] = [features, intents, gate, risk, orders, orderEvents, executions] as unknown as TableSpec<never>[];
