/**
 * Config loading: defaults ← JSON config file ← environment overrides, validated once by `configSchema`.
 * Every problem (bad JSON, unknown keys, out-of-range values, bad env values) is collected and thrown together in
 * one `ConfigError` whose message names the source and the path of each problem.
 */
import { readFileSync, existsSync } from 'node:fs';
import { z } from 'zod';
import { configSchema, type Config } from './configSchema.js';

export class ConfigError extends Error {
  constructor(
    readonly problems: readonly string[],
    source: string,
  ) {
    super(`invalid configuration (${source}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Environment variables that override config keys; values are parsed as JSON when they look like it. */
export const ENV_OVERRIDES: Readonly<Record<string, readonly string[]>> = {
  DREAMBOT_MODE: ['mode'],
  DREAMBOT_SEED: ['seed'],
  DREAMBOT_DATA_DIR: ['paths', 'data'],
  DREAMBOT_STORAGE_DIR: ['paths', 'storage'],
  DREAMBOT_BACKTESTS_DIR: ['paths', 'backtests'],
};

export interface LoadConfigOptions {
  /** Path of a JSON config file; when absent only defaults and env apply. */
  readonly file?: string | undefined;
  readonly env?: NodeJS.ProcessEnv;
  /** Values from CLI flags, applied last (already shaped like the config). */
  readonly overrides?: Record<string, unknown>;
}

export function loadConfig(opts: LoadConfigOptions = {}): Config {
  const env = opts.env ?? process.env;
  const problems: string[] = [];
  let raw: Record<string, unknown> = {};
  const file = opts.file ?? env.DREAMBOT_CONFIG;
  const source = file ? `config file ${file}` : 'defaults and environment';
  if (file) {
    if (!existsSync(file)) throw new ConfigError([`config file not found: ${file}`], source);
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        problems.push('the config file must hold a JSON object');
      } else {
        raw = parsed as Record<string, unknown>;
      }
    } catch (e) {
      problems.push(`not valid JSON: ${(e as Error).message}`);
    }
  }
  for (const [name, path] of Object.entries(ENV_OVERRIDES)) {
    const v = env[name];
    if (v === undefined || v === '') continue;
    setPath(raw, path, coerceEnv(v));
  }
  for (const [k, v] of Object.entries(opts.overrides ?? {})) mergeInto(raw, k, v);
  if (problems.length) throw new ConfigError(problems, source);
  const res = configSchema.safeParse(raw);
  if (!res.success) throw new ConfigError(formatZodIssues(res.error), source);
  return res.data;
}

/** `path.to.key: message` for each issue, unknown keys spelled out. */
export function formatZodIssues(err: z.ZodError): string[] {
  return err.issues.map((i) => {
    const at = i.path.length ? i.path.join('.') : '(root)';
    if (i.code === 'unrecognized_keys') return `${at}: unknown key(s) ${i.keys.map((k) => `"${k}"`).join(', ')}`;
    return `${at}: ${i.message}`;
  });
}

function coerceEnv(v: string): unknown {
  const t = v.trim();
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  if (t === 'true' || t === 'false') return t === 'true';
  if (t.startsWith('[') || t.startsWith('{')) {
    try {
      return JSON.parse(t);
    } catch {
      return v;
    }
  }
  return v;
}

function setPath(obj: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let cur = obj;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i]!;
    const next = cur[k];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[path[path.length - 1]!] = value;
}

function mergeInto(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const cur = obj[key];
    const target = cur !== null && typeof cur === 'object' && !Array.isArray(cur) ? (cur as Record<string, unknown>) : {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) mergeInto(target, k, v);
    obj[key] = target;
  } else if (value !== undefined) {
    obj[key] = value;
  }
}
