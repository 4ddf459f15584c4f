/**
 * FillTracker: turns snapshots of Tradier order legs (from REST polls, the account stream, or the read after a
 * placement) into de-duplicated ExecutionReports.
 *
 * Tradier reports cumulative state per leg (`exec_quantity`, `avg_fill_price`, `status`), never individual fills,
 * and the same state arrives on several paths (stream fast path, poll authority) in any order. So per leg id we
 * keep the last cumulative quantity and average price we reported and emit a fill only when the cumulative
 * quantity grows: fillQuantity = Δexec, fillPrice = Δ(avg×exec)/Δexec. A repeated or stale snapshot (same or lower
 * exec) yields nothing — that is the de-duplication. A snapshot with exec > 0 but avg 0 (fill data lags status,
 * spec §8.6) is not consumed, so the fill is reported once the price is known.
 *
 * Status reports: one per upward transition pending → working → partially_filled → final (filled, cancelled,
 * rejected, expired); stale snapshots cannot move a leg backwards, and a final status is reported once. A
 * `filled` status whose quantities have not caught up is held back until they do. Fills that arrive after a
 * final cancel/expire (a race on Tradier's side) are still reported: a fill is a fact.
 *
 * State: per leg id {key, cumulative qty, avg price, last reported status}. Time: `ts` is passed in by the caller.
 */
import type { BracketLeg, ExecutionReport, OrderStatus } from '../../../domain/orders.js';

export interface LegKey {
  readonly legId: string;
  /** Bracket client id (Tradier tag); the broker order id when the order carries no tag. */
  readonly orderId: string;
  readonly brokerOrderId: string;
  readonly leg: BracketLeg;
  /** Polygon form. */
  readonly optionSymbol: string;
  readonly quantity: number;
}

export interface LegSnapshot {
  readonly status: OrderStatus;
  readonly execQuantity: number;
  readonly avgFillPrice: number;
  readonly reason?: string | undefined;
}

interface LegState {
  key: LegKey;
  cum: number;
  avg: number;
  status: OrderStatus;
}

const EPS = 1e-9;

function rank(s: OrderStatus): number {
  switch (s) {
    case 'unknown':
      return -1;
    case 'pending':
      return 0;
    case 'working':
      return 1;
    case 'partially_filled':
      return 2;
    case 'filled':
    case 'cancelled':
    case 'rejected':
    case 'expired':
      return 3;
    default: {
      const never: never = s;
      throw new Error(`unhandled status ${String(never)}`);
    }
  }
}

const round = (x: number, dp = 6): number => Math.round(x * 10 ** dp) / 10 ** dp;

export class FillTracker {
  private readonly legs = new Map<string, LegState>();

  constructor(private readonly feePerContract = 0) {}

  has(legId: string): boolean {
    return this.legs.has(legId);
  }

  key(legId: string): LegKey | undefined {
    return this.legs.get(legId)?.key;
  }

  /**
   * Start tracking a leg. With `baseline`, the snapshot becomes the starting point silently (orders that existed
   * before this process: reconciliation owns their past); without, the leg starts at pending/0 and the next
   * `observe` reports everything.
   */
  register(key: LegKey, baseline?: LegSnapshot): void {
    const existing = this.legs.get(key.legId);
    if (existing) {
      existing.key = key;
      return;
    }
    this.legs.set(key.legId, {
      key,
      cum: baseline && baseline.avgFillPrice > 0 ? baseline.execQuantity : 0,
      avg: baseline && baseline.avgFillPrice > 0 ? baseline.avgFillPrice : 0,
      status: baseline ? baseline.status : 'pending',
    });
  }

  /** Reports for whatever in `snap` is new for this leg (none for an untracked leg). */
  observe(legId: string, snap: LegSnapshot, ts: number): ExecutionReport[] {
    const st = this.legs.get(legId);
    if (!st) return [];
    const out: ExecutionReport[] = [];
    const k = st.key;
    const base = {
      type: 'ExecutionReport' as const,
      ts,
      orderId: k.orderId,
      brokerOrderId: k.brokerOrderId,
      leg: k.leg,
      optionSymbol: k.optionSymbol,
    };

    if (snap.execQuantity > st.cum + EPS && snap.avgFillPrice > 0) {
      const dq = round(snap.execQuantity - st.cum);
      const notional = snap.avgFillPrice * snap.execQuantity - st.avg * st.cum;
      let px = round(notional / dq, 4);
      if (!(px > 0)) px = snap.avgFillPrice;
      st.cum = snap.execQuantity;
      st.avg = snap.avgFillPrice;
      const status: OrderStatus = st.cum + EPS >= k.quantity ? 'filled' : 'partially_filled';
      out.push({
        ...base,
        status,
        fillQuantity: dq,
        fillPrice: px,
        cumulativeQuantity: st.cum,
        avgFillPrice: st.avg,
        fees: round(dq * this.feePerContract, 4),
      });
      if (rank(status) > rank(st.status) || status === 'filled') st.status = status;
    }

    let next = snap.status;
    if (next === 'filled' && st.cum + EPS < k.quantity) next = st.cum > EPS ? 'partially_filled' : st.status;
    if (next === 'partially_filled' && st.cum <= EPS) next = 'working';
    if (rank(next) > rank(st.status) && next !== 'partially_filled' && next !== 'filled') {
      st.status = next;
      out.push({
        ...base,
        status: next,
        fillQuantity: 0,
        fillPrice: 0,
        cumulativeQuantity: st.cum,
        avgFillPrice: st.avg,
        fees: 0,
        ...(snap.reason !== undefined && (next === 'rejected' || next === 'cancelled' || next === 'expired')
          ? { reason: snap.reason }
          : {}),
      });
    }
    return out;
  }
}
