/**
 * Environment for the live modes (paper | sandbox | live): hosts, keys, tokens and accounts, validated once at the
 * edge with zod, plus the redaction helper every log line goes through.
 *
 * Sources, in precedence order: the process environment, then `.env` (when the file exists). `.env` is parsed
 * with `util.parseEnv` into a local object (the same parser `process.loadEnvFile` uses) and is NOT copied into
 * `process.env`: that is how the live token stays unloaded in other modes — a mode only reads the keys it needs
 * (`KEYS_BY_MODE`), so in paper or sandbox `TRADIER_LIVE_TOKEN` is never read, validated, held or logged, even when
 * it sits in the same `.env` file.
 *
 * Hosts default to the real services (Polygon is now Massive; its legacy polygon.io hosts still work) and are
 * overridable so tests point them at local fake servers.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { z } from 'zod';

export type LiveMode = 'paper' | 'sandbox' | 'live';

export const DEFAULT_HOSTS = {
  POLYGON_WS_URL: 'wss://socket.massive.com',
  POLYGON_REST_URL: 'https://api.massive.com',
  TRADIER_SANDBOX_API_URL: 'https://sandbox.tradier.com/v1',
  TRADIER_LIVE_API_URL: 'https://api.tradier.com/v1',
  TRADIER_SANDBOX_STREAM_URL: 'wss://sandbox-ws.tradier.com/v1/accounts/events',
  TRADIER_LIVE_STREAM_URL: 'wss://ws.tradier.com/v1/accounts/events',
} as const;

/** The only keys each mode reads. The live token appears in exactly one list. */
export const KEYS_BY_MODE: Readonly<Record<LiveMode, readonly string[]>> = {
  paper: ['POLYGON_API_KEY', 'POLYGON_WS_URL', 'POLYGON_REST_URL'],
  sandbox: ['POLYGON_API_KEY', 'POLYGON_WS_URL', 'POLYGON_REST_URL', 'TRADIER_API_URL', 'TRADIER_STREAM_URL', 'TRADIER_SANDBOX_TOKEN', 'TRADIER_SANDBOX_ACCOUNT_ID'],
  live: ['POLYGON_API_KEY', 'POLYGON_WS_URL', 'POLYGON_REST_URL', 'TRADIER_API_URL', 'TRADIER_STREAM_URL', 'TRADIER_LIVE_TOKEN', 'TRADIER_LIVE_ACCOUNT_ID'],
};

const url = (protocols: readonly string[]) =>
  z
    .string()
    .trim()
    .refine((s) => {
      try {
        return protocols.includes(new URL(s).protocol);
      } catch {
        return false;
      }
    }, `must be a ${protocols.join(' or ')} URL`);

const secret = (what: string) => z.string({ error: `${what} is not set` }).trim().min(8, `${what} looks too short`);

export interface TradierEnv {
  readonly apiUrl: string;
  readonly streamUrl: string;
  readonly token: string;
  readonly accountId: string;
}

export interface LiveEnv {
  readonly mode: LiveMode;
  readonly polygon: { readonly apiKey: string; readonly wsUrl: string; readonly restUrl: string };
  /** Null in paper mode (no broker credentials are read). */
  readonly tradier: TradierEnv | null;
  /** Every secret that was read: give these to `redactor` so no log line can carry them. */
  readonly secrets: readonly string[];
}

export class EnvError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

export interface LoadEnvOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** `.env` path (default `.env` in the working directory); read only when it exists. */
  readonly envFile?: string | null;
}

/** The keys `mode` needs, from the environment first and `.env` second. Nothing else is read. */
export function readModeKeys(mode: LiveMode, opts: LoadEnvOptions = {}): Record<string, string | undefined> {
  const env = opts.env ?? process.env;
  const file = opts.envFile === undefined ? '.env' : opts.envFile;
  let fromFile: Record<string, string> = {};
  if (file !== null && existsSync(file)) fromFile = parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;
  const out: Record<string, string | undefined> = {};
  for (const k of KEYS_BY_MODE[mode]) {
    const v = env[k] !== undefined && env[k] !== '' ? env[k] : fromFile[k];
    out[k] = v === '' ? undefined : v;
  }
  return out;
}

export function loadLiveEnv(mode: LiveMode, opts: LoadEnvOptions = {}): LiveEnv {
  const raw = readModeKeys(mode, opts);
  const polygonSchema = z.object({
    POLYGON_API_KEY: secret('POLYGON_API_KEY'),
    POLYGON_WS_URL: url(['wss:', 'ws:']).default(DEFAULT_HOSTS.POLYGON_WS_URL),
    POLYGON_REST_URL: url(['https:', 'http:']).default(DEFAULT_HOSTS.POLYGON_REST_URL),
  });
  const problems: string[] = [];
  const p = polygonSchema.safeParse(raw);
  if (!p.success) for (const i of p.error.issues) problems.push(`${i.path.join('.')}: ${i.message}`);
  let tradier: TradierEnv | null = null;
  if (mode !== 'paper') {
    const prefix = mode === 'live' ? 'TRADIER_LIVE' : 'TRADIER_SANDBOX';
    const t = z
      .object({
        TRADIER_API_URL: url(['https:', 'http:']).default(mode === 'live' ? DEFAULT_HOSTS.TRADIER_LIVE_API_URL : DEFAULT_HOSTS.TRADIER_SANDBOX_API_URL),
        TRADIER_STREAM_URL: url(['wss:', 'ws:']).default(mode === 'live' ? DEFAULT_HOSTS.TRADIER_LIVE_STREAM_URL : DEFAULT_HOSTS.TRADIER_SANDBOX_STREAM_URL),
        [`${prefix}_TOKEN`]: secret(`${prefix}_TOKEN`),
        [`${prefix}_ACCOUNT_ID`]: z.string({ error: `${prefix}_ACCOUNT_ID is not set` }).trim().min(1),
      })
      .safeParse(raw);
    if (!t.success) for (const i of t.error.issues) problems.push(`${i.path.join('.')}: ${i.message}`);
    else {
      const d = t.data as Record<string, string>;
      tradier = { apiUrl: d.TRADIER_API_URL!, streamUrl: d.TRADIER_STREAM_URL!, token: d[`${prefix}_TOKEN`]!, accountId: d[`${prefix}_ACCOUNT_ID`]! };
    }
  }
  if (problems.length || !p.success) throw new EnvError(problems);
  const secrets = [p.data.POLYGON_API_KEY, ...(tradier ? [tradier.token] : [])];
  return {
    mode,
    polygon: { apiKey: p.data.POLYGON_API_KEY, wsUrl: p.data.POLYGON_WS_URL.replace(/\/+$/, ''), restUrl: p.data.POLYGON_REST_URL.replace(/\/+$/, '') },
    tradier,
    secrets,
  };
}

/**
 * `text` with every occurrence of every secret (and its URL-encoded form) replaced by `[REDACTED]`. Secrets
 * shorter than 4 characters are ignored (they would mangle ordinary text and cannot be real keys).
 */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const forms = new Set<string>();
  for (const s of secrets) {
    if (s.length < 4) continue;
    forms.add(s);
    forms.add(encodeURIComponent(s));
    forms.add(JSON.stringify(s).slice(1, -1));
  }
  const list = [...forms].sort((a, b) => b.length - a.length);
  if (list.length === 0) return (t) => t;
  return (text) => {
    let out = text;
    for (const f of list) if (out.includes(f)) out = out.split(f).join('[REDACTED]');
    return out;
  };
}

/** `abcd…wxyz`-style hint that lets an operator tell keys apart without revealing them: last 2 characters only. */
export function secretHint(s: string): string {
  return s.length < 8 ? '***' : `***${s.slice(-2)}`;
}
