/**
 * Smoke: the bundled fixture day (fixtures/data, 2025-03-10; SPY, SPX, QQQ, NDX) through replay → features →
 * signals yields a non-empty, deterministic set of intents and gate decisions (same output twice).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connect, filter, lastValueFrom, merge, tap, toArray } from 'rxjs';
import { loadConfig } from '../../domain/loadConfig.js';
import { openReplay } from '../../streams/replay/openReplay.js';
import { features } from '../features/features.js';
import { featuresConfigSchema } from '../features/featuresConfig.js';
import type { SignalsOutput } from './signalEvents.js';
import { signals } from './signals.js';
import { signalsConfigSchema } from './signalsConfig.js';
import { SignalsTally, type SignalsSummary } from './signalsTally.js';

const storage = mkdtempSync(join(tmpdir(), 'dreambot-signals-'));
afterAll(() => rmSync(storage, { recursive: true, force: true }));

async function runDay(): Promise<{ out: SignalsOutput[]; summary: SignalsSummary }> {
  const config = loadConfig({ env: {}, overrides: { paths: { data: 'fixtures/data', storage }, replay: { symbols: ['SPY', 'SPX', 'QQQ', 'NDX'] } } });
  const day = await openReplay(config, '2025-03-10');
  const tally = new SignalsTally();
  const out = await lastValueFrom(
    day.events$.pipe(
      // Features first, then the raw event: a record built at a boundary precedes the event that crossed it.
      connect((ev$) => merge(ev$.pipe(features(featuresConfigSchema.parse({}))), ev$.pipe(filter((e) => e.type === 'OptionQuote')))),
      signals(signalsConfigSchema.parse({})),
      tap((o) => tally.add(o)),
      toArray(),
    ),
  );
  return { out, summary: tally.summary() };
}

describe('signals on the fixture day', () => {
  it('yields non-empty, deterministic intents and gate decisions', async () => {
    const a = await runDay();
    const b = await runDay();
    expect(a.out.length).toBeGreaterThan(0);
    expect(Object.keys(a.summary.signals).length).toBeGreaterThan(0);
    expect(Object.values(a.summary.orders).reduce((x, y) => x + y, 0)).toBeGreaterThan(0);
    expect(Object.keys(a.summary.gateReasons).filter((r) => r !== 'allowed').length).toBeGreaterThan(0);
    expect(b.summary).toEqual(a.summary);
    expect(JSON.stringify(b.out)).toBe(JSON.stringify(a.out));
    // One GateDecision per SignalIntent, one OrderIntent per allowed decision.
    const n = (t: SignalsOutput['type']) => a.out.filter((o) => o.type === t).length;
    expect(n('GateDecision')).toBe(n('SignalIntent'));
    expect(n('OrderIntent')).toBe(a.summary.gateReasons.allowed ?? 0);
    console.log(JSON.stringify(a.summary, null, 1));
  });
});
