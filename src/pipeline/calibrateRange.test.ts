import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../domain/loadConfig.js';
import { loadedModelInfo } from '../operators/learner/modelStore.js';
import { generateSyntheticDay } from '../streams/synthetic/generateDay.js';
import { tradingDaysBetween } from '../domain/calendar.js';
import { calibrateRange } from './calibrateRange.js';
import { replayDay } from './replayDay.js';
import { recordDay } from './recordDay.js';
import { writeBacktest } from '../sinks/reports/writeBacktest.js';

// Three small synthetic days (distinct seeds): calibrate, then replay the last day with and without the model.
const root = mkdtempSync(join(tmpdir(), 'dreambot-calibrate-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const DAYS = ['2025-03-05', '2025-03-06', '2025-03-07'];
const config = loadConfig({
  env: {},
  overrides: {
    paths: { data: join(root, 'data'), storage: join(root, 'storage'), backtests: join(root, 'backtests') },
    replay: { symbols: ['SPY', 'SPX', 'QQQ', 'NDX'] },
  },
});

beforeAll(async () => {
  for (const [i, date] of DAYS.entries()) await generateSyntheticDay({ date, scale: 'small', seed: 500 + i, outDir: join(root, 'data') });
}, 120_000);

describe('calibrateRange', () => {
  it('trading days skip weekends and holidays', () => {
    expect(tradingDaysBetween('2025-04-17', '2025-04-22')).toEqual(['2025-04-17', '2025-04-21', '2025-04-22']);
    expect(() => tradingDaysBetween('2025-03-07', '2025-03-03')).toThrow(/after/);
  });

  it('calibration updates: a calibrate run writes a versioned model that the next replay loads and that changes its decisions; reruns are byte-identical', async () => {
    const before = await replayDay(config, DAYS[2]!);
    expect(loadedModelInfo(config)).toBeNull();

    const r = await calibrateRange(config, { from: DAYS[0]!, to: DAYS[2]!, folds: 2 });
    // Walk-forward: every fold trained only on earlier days.
    expect(r.report.folds.map((f) => f.evalDay)).toEqual(DAYS.slice(1));
    for (const f of r.report.folds) for (const d of f.trainDays) expect(d < f.evalDay).toBe(true);
    expect(r.report.folds[0]!.trainDays).toEqual([DAYS[0]]);
    expect(Object.values(r.report.rowsPerDay).every((n) => n > 0)).toBe(true);
    expect(r.report.outOfSample.rows).toBeGreaterThan(0);
    expect(r.report.outOfSample.brier).not.toBeNull();
    expect(existsSync(r.reportPath)).toBe(true);
    expect(JSON.parse(readFileSync(r.reportPath, 'utf8')).outOfSample.pnl.baseline).toBeDefined();

    const info = loadedModelInfo(config);
    expect(info).toMatchObject({ path: r.modelPath, version: r.report.model.version });
    expect(info!.version).toMatch(/^v1-[0-9a-f]{8}$/);

    const after = await replayDay(config, DAYS[2]!);
    expect(after.trading!.decisionsHash).not.toBe(before.trading!.decisionsHash);
    // The backtest of that replay names the model in manifest.json and calibration.json.
    const day = await recordDay(config, DAYS[2]!, { runId: 'with-model', parquet: false });
    const out = writeBacktest({ dir: join(root, 'bt'), runId: 'with-model', config, days: [day], startedAt: new Date(0), finishedAt: new Date(0), workers: 1 });
    const manifest = JSON.parse(readFileSync(out.files['manifest.json']!, 'utf8'));
    expect(manifest.models.learner.version).toBe(info!.version);
    const cal = JSON.parse(readFileSync(out.files['calibration.json']!, 'utf8'));
    expect(JSON.stringify(cal)).toContain(info!.version);
    const none = await replayDay({ ...config, learner: { ...config.learner, model: 'none' } }, DAYS[2]!);
    expect(none.trading!.decisionsHash).toBe(before.trading!.decisionsHash);

    const pinned = join(root, 'pinned.json');
    const again = await calibrateRange(config, { from: DAYS[0]!, to: DAYS[2]!, folds: 2, modelPath: pinned });
    expect(readFileSync(pinned, 'utf8')).toBe(readFileSync(r.modelPath, 'utf8'));
    expect(again.report.outOfSample).toEqual(r.report.outOfSample);
  }, 240_000);
});
