import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONTEXT_FEATURES, META_FEATURES } from '../../quant/learning/learnerFeatures.js';
import { LEARNER_MODEL_FORMAT, type LearnerModelBody } from '../../quant/learning/learnerModel.js';
import { listModels, loadedModelInfo, loadLearnerModel, modelsDir, writeModel } from './modelStore.js';

const storage = mkdtempSync(join(tmpdir(), 'dreambot-models-'));
afterAll(() => rmSync(storage, { recursive: true, force: true }));
const cfg = (model = 'latest') => ({ paths: { storage, data: 'data', backtests: 'backtests' }, learner: { model } });

const body = (rows: number): LearnerModelBody => ({
  format: LEARNER_MODEL_FORMAT,
  contextFeatures: [...CONTEXT_FEATURES],
  metaFeatures: [...META_FEATURES],
  metaLabel: null,
  bandit: null,
  trainedOn: { from: '2025-03-03', to: '2025-03-07', days: ['2025-03-03'], rows, positives: 0, seed: 42 },
});

describe('modelStore', () => {
  it('versions models, reuses an identical one, resolves latest / none / a pinned path, exposes loadedModelInfo', () => {
    expect(loadedModelInfo(cfg())).toBeNull();
    const dir = modelsDir(cfg());
    const a = writeModel(dir, body(1));
    expect(a.version).toMatch(/^v1-[0-9a-f]{8}$/);
    const again = writeModel(dir, body(1));
    expect(again).toMatchObject({ path: a.path, reused: true });
    const b = writeModel(dir, body(2));
    expect(b.version).toMatch(/^v2-/);
    expect(listModels(dir).map((m) => m.n)).toEqual([1, 2]);
    expect(loadedModelInfo(cfg())).toMatchObject({ version: b.version, path: b.path, hash: b.model.hash });
    expect(loadedModelInfo(cfg(a.path))?.version).toBe(a.version);
    expect(loadedModelInfo(cfg('none'))).toBeNull();
    expect(() => loadedModelInfo(cfg(join(storage, 'nope.json')))).toThrow(/no model file/);
    expect(loadLearnerModel(cfg())?.model.trainedOn.rows).toBe(2);
  });

  it('same body → byte-identical file; a tampered or malformed file is refused naming it', () => {
    const p1 = join(storage, 'x1.json');
    const p2 = join(storage, 'x2.json');
    writeModel(modelsDir(cfg()), body(7), p1);
    writeModel(modelsDir(cfg()), body(7), p2);
    expect(readFileSync(p1, 'utf8')).toBe(readFileSync(p2, 'utf8'));
    writeFileSync(p2, readFileSync(p1, 'utf8').replace('"rows": 7', '"rows": 8'));
    expect(() => loadedModelInfo(cfg(p2))).toThrow(/does not match its hash/);
    writeFileSync(p2, '{"format": "other"}');
    expect(() => loadedModelInfo(cfg(p2))).toThrow(/x2\.json is invalid/);
  });
});
