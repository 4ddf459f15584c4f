/**
 * Model files of the learner under <paths.storage>/models/:
 *   learner-v<N>-<hash8>.json  — N increases by one per new model; hash8 = the first 8 hex digits of the content
 *   hash. Content is canonical JSON (sorted keys) with no timestamps, so identical calibration inputs give
 *   byte-identical files; writing a model whose hash is already stored reuses that file instead of a new version.
 *
 * Resolution (`learner.model`): 'latest' → highest N (none stored → null: the learner is a pass-through);
 * 'none' → null; anything else is a path (missing or invalid → an error naming it).
 * `loadedModelInfo(config)` says which model a run with this config loads (for manifests and the TUI).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Config } from '../../domain/configSchema.js';
import { sortKeysDeep } from '../../domain/canonicalJson.js';
import { parseLearnerModel, sealModel, type LearnerModel, type LearnerModelBody } from '../../quant/learning/learnerModel.js';

const FILE_RE = /^learner-v(\d+)-([0-9a-f]{8})\.json$/;

export interface ModelInfo {
  /** 'v<N>-<hash8>' for a stored file, else 'custom-<hash8>'. */
  readonly version: string;
  readonly path: string;
  readonly hash: string;
  readonly trainedOn: LearnerModel['trainedOn'];
}

export function modelsDir(config: Pick<Config, 'paths'>): string {
  return join(config.paths.storage, 'models');
}

export function listModels(dir: string): { n: number; path: string }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((f) => ({ f, m: FILE_RE.exec(f) }))
    .filter((x): x is { f: string; m: RegExpExecArray } => x.m !== null)
    .map(({ f, m }) => ({ n: Number(m[1]), path: join(dir, f) }))
    .sort((a, b) => a.n - b.n || (a.path < b.path ? -1 : 1));
}

export function resolveModelPath(config: Pick<Config, 'paths'> & { learner: { model: string } }): string | null {
  const m = config.learner.model;
  if (m === 'none') return null;
  if (m === 'latest') return listModels(modelsDir(config)).at(-1)?.path ?? null;
  if (!existsSync(m)) throw new Error(`learner.model: no model file at ${m}`);
  return m;
}

export function readModelFile(path: string): LearnerModel {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`learner model ${path}: not readable JSON (${(e as Error).message})`);
  }
  return parseLearnerModel(raw, path);
}

export function versionOf(path: string, hash: string): string {
  const m = FILE_RE.exec(basename(path));
  return m ? `v${m[1]}-${m[2]}` : `custom-${hash.slice(0, 8)}`;
}

/** The model the config selects, or null (pass-through). */
export function loadLearnerModel(config: Pick<Config, 'paths'> & { learner: { model: string } }): { model: LearnerModel; info: ModelInfo } | null {
  const path = resolveModelPath(config);
  if (path === null) return null;
  const model = readModelFile(path);
  return { model, info: { version: versionOf(path, model.hash), path, hash: model.hash, trainedOn: model.trainedOn } };
}

/** Which learner model a run with this config uses (null: none, the learner is a pass-through). */
export function loadedModelInfo(config: Pick<Config, 'paths'> & { learner: { model: string } }): ModelInfo | null {
  return loadLearnerModel(config)?.info ?? null;
}

export function serialiseModel(model: LearnerModel): string {
  return JSON.stringify(sortKeysDeep(model), null, 1) + '\n';
}

/**
 * Store a trained model: at `pinnedPath` when given, else as the next version under `dir` (or the existing file
 * with the same hash).
 */
export function writeModel(dir: string, body: LearnerModelBody, pinnedPath?: string): { path: string; model: LearnerModel; version: string; reused: boolean } {
  const model = sealModel(body);
  const text = serialiseModel(model);
  if (pinnedPath !== undefined) {
    writeFileSync(pinnedPath, text);
    return { path: pinnedPath, model, version: versionOf(pinnedPath, model.hash), reused: false };
  }
  const existing = listModels(dir);
  const same = existing.find((e) => basename(e.path).endsWith(`-${model.hash.slice(0, 8)}.json`));
  if (same !== undefined && readFileSync(same.path, 'utf8') === text) return { path: same.path, model, version: versionOf(same.path, model.hash), reused: true };
  const n = (existing.at(-1)?.n ?? 0) + 1;
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `learner-v${n}-${model.hash.slice(0, 8)}.json`);
  writeFileSync(path, text);
  return { path, model, version: versionOf(path, model.hash), reused: false };
}
