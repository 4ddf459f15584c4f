import { mkdtempSync, readFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BrokerPort } from './BrokerPort.js';
import { FileJournal, journalPath, loadJournal } from './journal.js';
import { omsConfigSchema } from './omsConfig.js';
import { reconcile } from './reconcile.js';
import { KIT_DATE, KT0, kitIndex, kitIntent, kitOms, kitQuote } from './omsTestKit.js';
import { SimBroker } from './simBroker.js';

describe('journal', () => {
  it('appends one JSON line per record into DIR/DATE.jsonl (New York date) and loads them back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'journal-'));
    const j = new FileJournal(dir, { fsync: true });
    const intent = kitIntent({ id: 'j1' });
    j.append({ kind: 'intent', ts: KT0, intent });
    j.append({ kind: 'call', ts: KT0, orderId: 'j1', call: 'submitBracket', args: { intent: 'j1' } });
    j.close();
    const text = readFileSync(journalPath(dir, KIT_DATE), 'utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(2);
    const loaded = loadJournal(dir, KIT_DATE);
    expect(loaded.problems).toEqual([]);
    expect(loaded.records[0]).toEqual({ kind: 'intent', ts: KT0, intent });
    expect(loadJournal(dir, '2025-03-11')).toEqual({ records: [], problems: [], exists: false });
  });

  it('reports a torn last line instead of dropping it silently', () => {
    const dir = mkdtempSync(join(tmpdir(), 'journal-'));
    const j = new FileJournal(dir, { fsync: false });
    j.append({ kind: 'intent', ts: KT0, intent: kitIntent({ id: 'j1' }) });
    j.close();
    appendFileSync(journalPath(dir, KIT_DATE), '{"kind":"rep');
    const loaded = loadJournal(dir, KIT_DATE);
    expect(loaded.records).toHaveLength(1);
    expect(loaded.problems).toEqual(['line 2: torn last record (crash mid-write?)']);
  });

  it('the OMS journals the intent and the call before the broker sees the order', () => {
    const k = kitOms();
    let recordsAtSubmit = -1;
    const orig = k.sim.submitBracketSync.bind(k.sim);
    k.sim.submitBracketSync = (i) => {
      recordsAtSubmit = k.journal.records.length;
      return orig(i);
    };
    k.move(5700, KT0);
    k.send(kitIntent({ id: 'w1' }));
    expect(recordsAtSubmit).toBe(2);
    expect(k.journal.records.slice(0, 2).map((r) => r.kind)).toEqual(['intent', 'call']);
    k.move(5700, KT0 + 1_000);
    expect(k.journal.records.some((r) => r.kind === 'report' && r.report.status === 'filled')).toBe(true);
  });
});

/** Run a session until a bracket has an open position with live legs, then "crash". */
function crashedSession() {
  const k = kitOms({ stopSync: { enabled: false } });
  k.move(5700, KT0);
  k.send(kitIntent({ id: 'r1' }));
  k.move(5700, KT0 + 1_000);
  k.move(5700, KT0 + 2_000);
  k.sub.unsubscribe();
  return k;
}

describe('reconcile', () => {
  it('adopts a live bracket by tag (legs not recreated), and the OMS keeps managing it', async () => {
    const k = crashedSession();
    const res = await reconcile({ records: k.journal.records, broker: k.sim, ts: KT0 + 2_500 });
    expect(res.haltEntries).toBeNull();
    expect(res.adopted.map((a) => a.intent.id)).toEqual(['r1']);
    const ordersBefore = k.sim.listOrdersSync().length;

    const k2 = kitOms({ stopSync: { enabled: false } }, { broker: k.sim, reconciled: res });
    expect(k2.of('BracketUpdate')[0]).toMatchObject({ orderId: 'r1', state: 'filled', reason: expect.stringMatching(/adopted/) });
    k2.move(5689, KT0 + 3_000); // through the underlying stop: the adopted bracket is closed
    k2.move(5689, KT0 + 4_000);
    k2.move(5689, KT0 + 5_000);
    expect(k2.of('BracketUpdate').at(-1)?.state).toBe('closed');
    expect(k.sim.listOrdersSync().length).toBe(ordersBefore + 1); // only the exit order; no second bracket
    expect(k.sim.positionsSync()).toEqual([]);
  });

  it('halts entries on an unknown working order', async () => {
    const sim = new SimBroker(omsConfigSchema.parse({}).sim);
    sim.onMarket(kitQuote(5700, KT0));
    sim.submitBracketSync(kitIntent({ id: 'someone-else' }));
    const res = await reconcile({ records: [], broker: sim, ts: KT0 });
    expect(res.unknownOrders).toHaveLength(1);
    expect(res.haltEntries).toMatch(/unknown working order/);
  });

  it('halts entries on a position mismatch (a position the journal does not explain)', async () => {
    const k = crashedSession();
    const withoutIntent = k.journal.records.filter((r) => r.kind !== 'intent');
    const res = await reconcile({ records: withoutIntent, broker: k.sim, ts: KT0 });
    expect(res.mismatches).toEqual([{ optionSymbol: 'O:SPXW250310C05700000', expected: 0, broker: 2 }]);
    expect(res.haltEntries).toMatch(/position mismatch/);
  });

  it('a missing positions report is not flat', async () => {
    const k = crashedSession();
    const broker: BrokerPort = Object.assign(Object.create(k.sim) as BrokerPort, {
      positions: () => Promise.reject(new Error('HTTP 503')),
    });
    const res = await reconcile({ records: k.journal.records, broker, ts: KT0 });
    expect(res.haltEntries).toMatch(/positions unavailable \(a missing positions report is not flat\): HTTP 503/);
    expect(res.adopted).toHaveLength(1); // exits still work on adopted brackets
  });

  it('journal problems halt entries; journaled intents never placed are listed, not adopted', async () => {
    const sim = new SimBroker(omsConfigSchema.parse({}).sim);
    sim.onMarket(kitIndex(5700, KT0));
    const res = await reconcile({
      records: [{ kind: 'intent', ts: KT0, intent: kitIntent({ id: 'lost' }) }],
      journalProblems: ['line 9: not JSON'],
      broker: sim,
      ts: KT0,
    });
    expect(res.notFound).toEqual(['lost']);
    expect(res.adopted).toEqual([]);
    expect(res.haltEntries).toMatch(/journal unreadable/);
  });
});
