import { afterAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, reduce } from 'rxjs';
import { loadConfig } from '../domain/loadConfig.js';
import { openReplay } from '../streams/replay/openReplay.js';
import { replayDay } from './replayDay.js';

// The bundled fixture day (synthetic, Polygon layout): every file kind, all four underlyings.
const storage = mkdtempSync(join(tmpdir(), 'dreambot-fixture-'));
afterAll(() => rmSync(storage, { recursive: true, force: true }));
const config = loadConfig({
  env: {},
  overrides: { paths: { data: 'fixtures/data', storage }, replay: { symbols: ['SPY', 'SPX', 'QQQ', 'NDX'] } },
});

async function hashOfDay(rebuild: boolean): Promise<{ hash: string; n: number; monotonic: boolean }> {
  const day = await openReplay(config, '2025-03-10', { rebuild });
  return lastValueFrom(
    day.events$.pipe(
      reduce(
        (acc, e) => {
          acc.h.update(JSON.stringify(e));
          if (e.ts < acc.last) acc.monotonic = false;
          acc.last = e.ts;
          acc.n++;
          return acc;
        },
        { h: createHash('sha256'), last: -Infinity, monotonic: true, n: 0 },
      ),
    ),
  ).then((a) => ({ hash: a.h.digest('hex'), n: a.n, monotonic: a.monotonic }));
}

describe('replay of the bundled fixture day', () => {
  it('streams every file kind in non-decreasing ts and replays identically twice (hash compare, catalog rebuilt)', async () => {
    const a = await hashOfDay(true);
    const b = await hashOfDay(true);
    expect(a.n).toBeGreaterThan(100_000);
    expect(a.monotonic).toBe(true);
    expect(b).toEqual(a);
  });

  it('counts every event type the fixture holds, with a clean data-quality report', async () => {
    const r = await replayDay(config, '2025-03-10');
    for (const t of ['Trade', 'Quote', 'Bar', 'IndexValue', 'OptionTrade', 'OptionQuote'] as const) expect(r.counts[t]).toBeGreaterThan(0);
    expect(r.events).toBe(r.meta.rows);
    expect(r.meta.dataQuality.malformed.total).toBe(0);
    expect(Object.keys(r.meta.dataQuality.options).sort()).toEqual(['NDX', 'QQQ', 'SPX', 'SPY']);
  });
});
