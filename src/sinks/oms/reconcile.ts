/**
 * Start-up reconciliation: what the journal says we sent vs what the broker says exists, before any new entry.
 *
 * 1. Intents come from the journal (`intent` records); bracket tags are intent ids, closing orders `<id>-xN`.
 * 2. The broker's orders and positions are fetched. Failing to get positions halts entries: a missing positions
 *    report is not "flat".
 * 3. Each broker order is matched by tag. A journaled bracket with a working leg or open contracts is ADOPTED (its
 *    live legs are kept, never recreated), with its live closing orders. A working order whose tag the journal does
 *    not know (another client, a lost journal line, our own `flat-…` flatten order) is unknown → halt entries.
 * 4. Positions must equal the open contracts of the adopted brackets, symbol by symbol; any difference (including
 *    a position with no order today — Tradier lists only today's orders by default) → halt entries.
 * 5. Unreadable journal lines → halt entries (the journal cannot be trusted to name every order).
 * Journaled intents the broker does not know were never placed (the POST did not arrive); they are listed in
 * `notFound` and not halted on: the rule "reject an unknown submission only after a grace period" has been met by
 * the restart itself, and nothing exists to manage.
 * Exits always work: a halt blocks entries only; adopted brackets keep their stops and exits.
 */
import { parseExitOrderId, type OrderIntent } from '../../domain/orders.js';
import type { BrokerOrder, BrokerPort, BrokerPosition } from './BrokerPort.js';
import type { JournalRecord } from './journal.js';
import type { AdoptedBracket } from './orderManager.js';

export interface PositionMismatch {
  readonly optionSymbol: string;
  /** Open contracts according to the journal's adopted brackets. */
  readonly expected: number;
  /** What the broker reports (null: positions unavailable). */
  readonly broker: number | null;
}

export interface ReconcileResult {
  readonly ts: number;
  /** null = entries allowed; otherwise why not (all reasons joined). */
  readonly haltEntries: string | null;
  readonly reasons: readonly string[];
  readonly adopted: readonly AdoptedBracket[];
  readonly unknownOrders: readonly BrokerOrder[];
  readonly mismatches: readonly PositionMismatch[];
  /** Journaled intents with no order at the broker. */
  readonly notFound: readonly string[];
}

const FINAL = new Set(['filled', 'cancelled', 'rejected', 'expired']);

export async function reconcile(args: {
  readonly records: readonly JournalRecord[];
  readonly journalProblems?: readonly string[];
  readonly broker: BrokerPort;
  /** Event time of the start-up (stamped on adoptions). */
  readonly ts: number;
}): Promise<ReconcileResult> {
  const reasons: string[] = [];
  for (const p of args.journalProblems ?? []) reasons.push(`journal unreadable: ${p}`);

  const intents = new Map<string, OrderIntent>();
  for (const r of args.records) if (r.kind === 'intent') intents.set(r.intent.id, r.intent);

  let orders: readonly BrokerOrder[] = [];
  try {
    orders = await args.broker.listOrders();
  } catch (err) {
    reasons.push(`broker orders unavailable: ${errMsg(err)}`);
  }
  let positions: readonly BrokerPosition[] | null = null;
  try {
    positions = await args.broker.positions();
  } catch (err) {
    reasons.push(`broker positions unavailable (a missing positions report is not flat): ${errMsg(err)}`);
  }

  const brackets = new Map<string, BrokerOrder>();
  const exits = new Map<string, BrokerOrder[]>();
  const unknownOrders: BrokerOrder[] = [];
  for (const o of orders) {
    const live = o.legs.some((l) => !FINAL.has(l.status)) || !FINAL.has(o.status);
    const tag = o.tag ?? '';
    if (intents.has(tag)) {
      brackets.set(tag, o);
      continue;
    }
    const base = parseExitOrderId(tag)?.bracketId;
    if (base !== undefined && intents.has(base)) {
      exits.set(base, [...(exits.get(base) ?? []), o]);
      continue;
    }
    if (live) {
      unknownOrders.push(o);
      reasons.push(`unknown working order ${o.brokerOrderId} (tag ${o.tag === null ? 'none' : JSON.stringify(o.tag)})`);
    }
  }

  const adopted: AdoptedBracket[] = [];
  const expected = new Map<string, number>();
  const notFound: string[] = [];
  for (const [id, intent] of intents) {
    const o = brackets.get(id);
    if (!o) {
      notFound.push(id);
      continue;
    }
    const xs = exits.get(id) ?? [];
    const qty = (leg: string) => o.legs.filter((l) => l.leg === leg).reduce((n, l) => n + l.execQuantity, 0);
    const sold = qty('target') + qty('stop') + xs.reduce((n, x) => n + x.legs.reduce((m, l) => m + l.execQuantity, 0), 0);
    const open = qty('entry') - sold;
    const live = o.legs.some((l) => !FINAL.has(l.status));
    const liveExits = xs.filter((x) => x.legs.some((l) => !FINAL.has(l.status)));
    if (live || open > 0 || liveExits.length > 0) {
      adopted.push({ intent, order: o, exits: xs });
      if (open !== 0) expected.set(intent.optionSymbol, (expected.get(intent.optionSymbol) ?? 0) + open);
    }
  }
  const perUnderlying = new Map<string, number>();
  for (const a of adopted) perUnderlying.set(a.intent.underlying, (perUnderlying.get(a.intent.underlying) ?? 0) + 1);
  for (const [u, n] of perUnderlying) if (n > 1) reasons.push(`${n} live brackets on ${u} (one allowed)`);

  const mismatches: PositionMismatch[] = [];
  if (positions !== null) {
    const actual = new Map<string, number>();
    for (const p of positions) actual.set(p.optionSymbol, (actual.get(p.optionSymbol) ?? 0) + p.quantity);
    for (const sym of [...new Set([...expected.keys(), ...actual.keys()])].sort()) {
      const e = expected.get(sym) ?? 0;
      const b = actual.get(sym) ?? 0;
      if (e !== b) {
        mismatches.push({ optionSymbol: sym, expected: e, broker: b });
        reasons.push(`position mismatch ${sym}: journal ${e}, broker ${b}`);
      }
    }
  } else {
    for (const [sym, e] of expected) mismatches.push({ optionSymbol: sym, expected: e, broker: null });
  }

  return {
    ts: args.ts,
    haltEntries: reasons.length > 0 ? reasons.join('; ') : null,
    reasons,
    adopted,
    unknownOrders,
    mismatches,
    notFound,
  };
}

function errMsg(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
