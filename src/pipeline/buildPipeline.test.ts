import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Observable, lastValueFrom, of, toArray } from 'rxjs';
import { loadConfig } from '../domain/loadConfig.js';
import type { MarketEvent } from '../domain/events.js';
import { nyTimeToMs } from '../domain/time.js';
import { buildPipeline, type PipelineEvent } from './buildPipeline.js';
import { replayPorts } from './environments.js';
import { replayDay } from './replayDay.js';

const storage = mkdtempSync(join(tmpdir(), 'dreambot-pipeline-'));
afterAll(() => rmSync(storage, { recursive: true, force: true }));
const config = loadConfig({
  env: {},
  overrides: { paths: { data: 'fixtures/data', storage }, replay: { symbols: ['SPY', 'SPX', 'QQQ', 'NDX'] } },
});

function run(source$: Observable<MarketEvent>): Promise<PipelineEvent[]> {
  return lastValueFrom(buildPipeline(replayPorts(config, source$), config).pipe(toArray()));
}

describe('buildPipeline', () => {
  it('passes market events through in order and completes; empty source completes with nothing', async () => {
    const t = nyTimeToMs('2025-03-10', 9, 31);
    const evs: MarketEvent[] = [
      { type: 'IndexValue', ts: t, symbol: 'I:SPX', value: 5700 },
      { type: 'IndexValue', ts: t + 1000, symbol: 'I:SPX', value: 5701 },
    ];
    const out = await run(of(...evs));
    expect(out.filter((e) => e.type === 'IndexValue')).toEqual(evs);
    expect(await run(of())).toEqual([]);
  });

  it('a source error errors the pipeline', async () => {
    const bad = new Observable<MarketEvent>((s) => s.error(new Error('feed broke')));
    await expect(run(bad)).rejects.toThrow('feed broke');
  });

  it('unsubscribing stops the source', () => {
    let unsubscribed = false;
    const src = new Observable<MarketEvent>(() => () => void (unsubscribed = true));
    const sub = buildPipeline(replayPorts(config, src), config).subscribe();
    sub.unsubscribe();
    expect(unsubscribed).toBe(true);
  });

  it('the fixture day trades end to end: intents, risk decisions, orders; two runs are identical', async () => {
    const a = await replayDay(config, '2025-03-10');
    const b = await replayDay(config, '2025-03-10');
    const t = a.trading!;
    expect(t.features).toBeGreaterThan(1000);
    expect(Object.values(t.signalsByPlaybook).reduce((x, y) => x + y, 0)).toBeGreaterThan(0);
    expect(Object.keys(t.gateByReason)).toContain('allowed');
    expect(t.ordersApproved + Object.values(t.deniedByReason).reduce((x, y) => x + y, 0)).toBe(t.gateByReason.allowed);
    expect(t.calendarProblem).toBeNull();
    expect(b.trading).toEqual(a.trading);
  });
});
