/**
 * tradierWire: the zod edge for Tradier's JSON (specs/tradier.md §1, §3, §4.6, §5, §7.2) and the status mapping.
 *
 * Tradier's JSON is an XML→JSON translation: a one-element collection is an object, an empty one is the string
 * "null", numbers may be null/0.0 when not applicable (and strings on streams). Every collection goes through
 * `asArray` before validation, so nothing past this file sees those shapes. Objects are `z.object` (not strict):
 * Tradier adds fields over time and an unknown field must not reject a fill.
 *
 * Tradier order status → OrderStatus (leg and order level):
 *   open                                   → working
 *   partially_filled                       → partially_filled
 *   filled                                 → filled
 *   canceled                               → cancelled
 *   expired                                → expired
 *   rejected, error                        → rejected
 *   pending_cancel                         → working   (still live until the cancel is confirmed)
 *   pending, submitted, calculated,
 *   accepted_for_bidding, held             → pending   (accepted but not (yet) working at a market center;
 *                                                       OTOCO exit legs wait here until the entry fills)
 *   anything else                          → unknown   (fail closed: the order manager treats it as unknown)
 */
import { z } from 'zod';
import type { OrderStatus } from '../../../domain/orders.js';

/** Tradier collection → array: `"null"`/null/undefined → [], object → [object], array → itself. */
export function asArray(v: unknown): unknown[] {
  if (v === undefined || v === null || v === 'null' || v === '') return [];
  return Array.isArray(v) ? v : [v];
}

/** A float that may arrive as a number, a numeric string, null or be absent (→ 0). */
const num = z
  .union([z.number(), z.string(), z.null()])
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v === null || v === '') return 0;
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isFinite(n)) {
      ctx.addIssue({ code: 'custom', message: `not a number: ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return n;
  });

const optStr = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((v) => (v === undefined || v === null ? undefined : String(v)));

export interface TradierOrder {
  readonly id: number;
  readonly class: string | undefined;
  readonly type: string | undefined;
  readonly symbol: string | undefined;
  readonly option_symbol: string | undefined;
  readonly side: string | undefined;
  readonly quantity: number;
  readonly exec_quantity: number;
  readonly avg_fill_price: number;
  readonly price: number;
  readonly stop_price: number;
  readonly status: string;
  readonly tag: string | undefined;
  readonly reason_description: string | undefined;
  readonly leg: readonly TradierOrder[];
}

export const tradierOrderSchema: z.ZodType<TradierOrder, unknown> = z.lazy(() =>
  z.object({
    id: z.union([z.number(), z.string()]).transform(Number),
    class: optStr,
    type: optStr,
    symbol: optStr,
    option_symbol: optStr,
    side: optStr,
    quantity: num,
    exec_quantity: num,
    avg_fill_price: num,
    price: num,
    stop_price: num,
    status: z.string(),
    tag: optStr,
    reason_description: optStr,
    leg: z.preprocess(asArray, z.array(tradierOrderSchema)),
  }),
);

export const ordersResponseSchema = z.object({
  orders: z.preprocess(
    (v) => (v === 'null' || v === null || v === undefined ? { order: [] } : v),
    z.object({ order: z.preprocess(asArray, z.array(tradierOrderSchema)) }),
  ),
});

export const orderResponseSchema = z.object({ order: tradierOrderSchema });

/** Place/modify/cancel acknowledgement: `{"order":{"id":257459,"status":"ok","partner_id":"…"}}`. */
export const orderAckSchema = z.object({
  order: z.object({ id: z.union([z.number(), z.string()]).transform(Number), status: z.string() }),
});

export const positionsResponseSchema = z.object({
  positions: z.preprocess(
    (v) => (v === 'null' || v === null || v === undefined ? { position: [] } : v),
    z.object({
      position: z.preprocess(
        asArray,
        z.array(z.object({ symbol: z.string(), quantity: num, cost_basis: num, date_acquired: optStr, id: optStr })),
      ),
    }),
  ),
});

const subBalances = z.object({ option_buying_power: num, cash_available: num }).optional();

export const balancesResponseSchema = z.object({
  balances: z.object({
    total_cash: num,
    total_equity: num,
    account_type: optStr,
    margin: subBalances,
    cash: subBalances,
    pdt: subBalances,
  }),
});

/** Validation errors: `{"errors":{"error":["…"]}}` (`error` may be a single string). */
export const errorsBodySchema = z.object({
  errors: z.object({ error: z.preprocess(asArray, z.array(z.union([z.string(), z.number()]).transform(String))) }),
});

/** Apigee gateway fault: `{"fault":{"faultstring":"Invalid Access Token","detail":{"errorcode":"…"}}}`. */
export const faultBodySchema = z.object({
  fault: z.object({ faultstring: z.string(), detail: z.object({ errorcode: z.string().optional() }).optional() }),
});

export const streamSessionSchema = z.object({ stream: z.object({ url: z.string().optional(), sessionid: z.string() }) });

/** Account stream frames (§7.2): heartbeats and order events; events carry no symbol/side — join on `id`. */
export const accountEventSchema = z.union([
  z.object({ event: z.literal('heartbeat') }),
  z.object({
    event: z.literal('order'),
    id: z.union([z.number(), z.string()]).transform(Number),
    parent_id: z
      .union([z.number(), z.string(), z.null()])
      .optional()
      .transform((v) => (v === undefined || v === null || v === '' ? undefined : Number(v))),
    status: z.string(),
    exec_quantity: num,
    avg_fill_price: num,
    remaining_quantity: num,
    tag: optStr,
    reason_description: optStr,
  }),
]);
export type AccountEvent = z.infer<typeof accountEventSchema>;

/** The error text of a validation or fault body, or null when the body is neither. */
export function errorMessageOf(body: unknown): string | null {
  const e = errorsBodySchema.safeParse(body);
  if (e.success) return e.data.errors.error.join('; ') || 'errors (empty)';
  const f = faultBodySchema.safeParse(body);
  if (f.success) {
    const code = f.data.fault.detail?.errorcode;
    return code ? `${f.data.fault.faultstring} (${code})` : f.data.fault.faultstring;
  }
  return null;
}

export function mapTradierStatus(status: string): OrderStatus {
  switch (status) {
    case 'open':
    case 'pending_cancel':
      return 'working';
    case 'partially_filled':
      return 'partially_filled';
    case 'filled':
      return 'filled';
    case 'canceled':
    case 'cancelled':
      return 'cancelled';
    case 'expired':
      return 'expired';
    case 'rejected':
    case 'error':
      return 'rejected';
    case 'pending':
    case 'submitted':
    case 'calculated':
    case 'accepted_for_bidding':
    case 'held':
      return 'pending';
    default:
      return 'unknown';
  }
}
