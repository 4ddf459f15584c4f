/**
 * Order journal: `DIR/YYYY-MM-DD.jsonl` (New York date of the record's event time), one JSON record a line.
 *
 * Write-ahead rule: intents, commands and every broker call are appended — and fsynced — BEFORE the call is made;
 * call results and execution reports after they arrive. After a crash the journal therefore names every order
 * that might exist at the broker, which is what start-up reconciliation matches by tag (see reconcile.ts).
 *
 * Appends are synchronous (`writeSync` + `fsyncSync`): the write must be durable before the broker call, and a
 * synchronous append keeps replay deterministic. Intents and reports are rare next to market events, so the cost
 * is off the hot path. Reading is the edge: every line is validated; a torn last line (crash mid-write) and any
 * unparsable line are reported as problems, never silently dropped.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { ExecutionReport, OrderIntent } from '../../domain/orders.js';
import { toNy } from '../../domain/time.js';
import type { OmsCommand } from './omsEvents.js';

export type BrokerCallName = 'submitBracket' | 'modifyLeg' | 'cancel' | 'closePosition' | 'findByTag' | 'positions';

export type JournalRecord =
  | { readonly kind: 'intent'; readonly ts: number; readonly intent: OrderIntent }
  | { readonly kind: 'command'; readonly ts: number; readonly command: OmsCommand }
  | { readonly kind: 'call'; readonly ts: number; readonly orderId: string | null; readonly call: BrokerCallName; readonly args: Readonly<Record<string, unknown>> }
  | { readonly kind: 'result'; readonly ts: number; readonly orderId: string | null; readonly call: BrokerCallName; readonly result: unknown }
  | { readonly kind: 'report'; readonly ts: number; readonly report: ExecutionReport }
  | { readonly kind: 'adopt'; readonly ts: number; readonly orderId: string; readonly brokerOrderId: string; readonly note: string };

export interface Journal {
  append(rec: JournalRecord): void;
}

/** For replay runs that should leave no files, and for tests. */
export class MemoryJournal implements Journal {
  readonly records: JournalRecord[] = [];
  append(rec: JournalRecord): void {
    this.records.push(rec);
  }
}

export class FileJournal implements Journal {
  private readonly fds = new Map<string, number>();

  constructor(
    private readonly dir: string,
    private readonly opts: { readonly fsync: boolean } = { fsync: true },
  ) {
    mkdirSync(dir, { recursive: true });
  }

  append(rec: JournalRecord): void {
    const date = toNy(rec.ts).date;
    let fd = this.fds.get(date);
    if (fd === undefined) {
      fd = openSync(journalPath(this.dir, date), 'a');
      this.fds.set(date, fd);
    }
    writeSync(fd, `${JSON.stringify(rec)}\n`);
    if (this.opts.fsync) fsyncSync(fd);
  }

  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }
}

export function journalPath(dir: string, date: string): string {
  return join(dir, `${date}.jsonl`);
}

const recordSchema = z.looseObject({
  kind: z.enum(['intent', 'command', 'call', 'result', 'report', 'adopt']),
  ts: z.number(),
});
const payloadSchemas = {
  intent: z.looseObject({ intent: z.looseObject({ type: z.literal('OrderIntent'), id: z.string() }) }),
  command: z.looseObject({ command: z.looseObject({ type: z.string() }) }),
  call: z.looseObject({ call: z.string(), args: z.record(z.string(), z.unknown()) }),
  result: z.looseObject({ call: z.string() }),
  report: z.looseObject({ report: z.looseObject({ type: z.literal('ExecutionReport'), orderId: z.string(), cumulativeQuantity: z.number() }) }),
  adopt: z.looseObject({ orderId: z.string(), brokerOrderId: z.string() }),
} as const;

export interface LoadedJournal {
  readonly records: readonly JournalRecord[];
  /** Unreadable lines ("line 7: …"); any problem means the journal cannot be trusted to be complete. */
  readonly problems: readonly string[];
  readonly exists: boolean;
}

export function loadJournal(dir: string, date: string): LoadedJournal {
  const path = journalPath(dir, date);
  if (!existsSync(path)) return { records: [], problems: [], exists: false };
  const lines = readFileSync(path, 'utf8').split('\n');
  const records: JournalRecord[] = [];
  const problems: string[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      const torn = i === lines.length - 1 || (i === lines.length - 2 && lines[lines.length - 1] === '');
      problems.push(`line ${i + 1}: ${torn ? 'torn last record (crash mid-write?)' : 'not JSON'}`);
      return;
    }
    const head = recordSchema.safeParse(raw);
    if (!head.success) {
      problems.push(`line ${i + 1}: not a journal record`);
      return;
    }
    const body = payloadSchemas[head.data.kind].safeParse(raw);
    if (!body.success) {
      problems.push(`line ${i + 1}: bad ${head.data.kind} record`);
      return;
    }
    records.push(raw as JournalRecord);
  });
  return { records, problems, exists: true };
}
