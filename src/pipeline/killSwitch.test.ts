/**
 * The kill switch end to end in replay: with an open position and working exit legs, a manual KillSwitch on the
 * control input → HALTED, every working order cancelled, the position flattened with a marketable limit and
 * verified flat against the broker; a second trigger does nothing extra; nothing is approved afterwards.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Subject } from 'rxjs';
import { loadConfig } from '../domain/loadConfig.js';
import type { KillSwitch, TradingControl } from '../operators/risk/riskEvents.js';
import { openReplay } from '../streams/replay/openReplay.js';
import { buildPipeline, type PipelineEvent } from './buildPipeline.js';
import { replayPorts } from './environments.js';

const storage = mkdtempSync(join(tmpdir(), 'dreambot-kill-'));
afterAll(() => rmSync(storage, { recursive: true, force: true }));

describe('kill switch in replay', () => {
  it('cancels, flattens, verifies flat and halts; a second trigger is a no-op', async () => {
    const config = loadConfig({
      env: {},
      overrides: { paths: { data: 'fixtures/data', storage }, replay: { symbols: ['SPY', 'SPX', 'QQQ', 'NDX'] } },
    });
    const day = await openReplay(config, '2025-03-10');
    const control = new Subject<KillSwitch | TradingControl>();
    const out: PipelineEvent[] = [];
    let killedAt = -1;
    let secondAt = -1;
    await new Promise<void>((resolve, reject) => {
      buildPipeline({ ...replayPorts(config, day.events$), control$: control }, config).subscribe({
        next: (e) => {
          out.push(e);
          if (killedAt < 0 && e.type === 'ExecutionReport' && e.leg === 'entry' && e.fillQuantity > 0) {
            killedAt = out.length;
            control.next({ type: 'KillSwitch', ts: e.ts, source: 'manual', reason: 'test: manual kill' });
          } else if (killedAt > 0 && secondAt < 0 && e.type === 'FlatVerified') {
            secondAt = out.length;
            control.next({ type: 'KillSwitch', ts: e.ts, source: 'manual', reason: 'test: second trigger' });
          }
        },
        error: reject,
        complete: resolve,
      });
    });
    expect(killedAt).toBeGreaterThan(0);
    const after = out.slice(killedAt);
    const halted = after.findIndex((e) => e.type === 'TradingStateChanged' && e.to === 'HALTED');
    expect(halted).toBeGreaterThanOrEqual(0);
    const cancelAll = after.filter((e) => e.type === 'CancelAllOrders');
    const flatten = after.filter((e) => e.type === 'FlattenAll');
    expect(cancelAll.length).toBeGreaterThanOrEqual(1);
    expect(flatten.length).toBeGreaterThanOrEqual(1);
    // Working exit legs were cancelled and the position was sold back.
    expect(after.some((e) => e.type === 'ExecutionReport' && e.status === 'cancelled' && (e.leg === 'target' || e.leg === 'stop'))).toBe(true);
    expect(after.some((e) => e.type === 'ExecutionReport' && e.leg !== 'entry' && e.fillQuantity > 0)).toBe(true);
    expect(after.some((e) => e.type === 'TradeClosed')).toBe(true);
    expect(secondAt).toBeGreaterThan(0);
    // The second trigger changes nothing: no new state change, no new commands.
    const afterSecond = out.slice(secondAt);
    expect(afterSecond.filter((e) => e.type === 'TradingStateChanged' || e.type === 'CancelAllOrders' || e.type === 'FlattenAll')).toEqual([]);
    // Nothing approved once halted.
    expect(after.slice(halted).some((e) => e.type === 'OrderIntent')).toBe(false);
  });
});
