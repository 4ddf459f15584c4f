/**
 * One pino JSON log per run: storage/logs/<run-id>.log (synchronous writes: a run's log is complete when the run
 * returns, and a crash loses at most the line being written).
 *
 * Secrets never reach the file, two ways:
 *  - by key: any property named like a credential (token, apiKey, api_key, secret, password, authorization,
 *    accessToken, key …) up to four levels deep is replaced by `[REDACTED]` (pino's fast-redact paths);
 *  - by value: the values of credential-like environment variables (…TOKEN, …KEY, …SECRET, …PASSWORD), when set,
 *    are masked wherever they appear in the written line (message or any field, at any depth), by `redactor`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { redactor } from '../../domain/env.js';

export const SECRET_KEYS = [
  'token', 'accessToken', 'access_token', 'apiKey', 'api_key', 'apikey', 'secret', 'password', 'authorization',
  'Authorization', 'key', 'privateKey', 'clientSecret',
] as const;

const SECRET_ENV = /(TOKEN|KEY|SECRET|PASSWORD)$/i;

export function redactPaths(depth = 4): string[] {
  const out: string[] = [];
  for (const k of SECRET_KEYS) {
    let prefix = '';
    for (let i = 0; i < depth; i++) {
      out.push(`${prefix}${k}`);
      prefix += '*.';
    }
  }
  return out;
}

export function secretValues(env: NodeJS.ProcessEnv = process.env): string[] {
  return Object.entries(env)
    .filter(([k, v]) => SECRET_ENV.test(k) && typeof v === 'string' && v.length >= 6)
    .map(([, v]) => v!)
    .sort((a, b) => b.length - a.length);
}

export interface RunLog {
  readonly logger: Logger;
  readonly path: string;
  close(): void;
}

export function runLogger(logsDir: string, runId: string, opts: { env?: NodeJS.ProcessEnv; level?: string } = {}): RunLog {
  mkdirSync(logsDir, { recursive: true });
  const path = join(logsDir, `${runId}.log`);
  const dest = pino.destination({ dest: path, sync: true, mkdir: true });
  const secrets = secretValues(opts.env);
  // By value: each serialised line passes the redactor once (raw, URL-encoded and JSON-escaped forms of every
  // secret), whatever field or message carried it.
  const redact = redactor(secrets);
  const out = secrets.length ? { write: (line: string) => dest.write(redact(line)) } : dest;
  const logger = pino(
    {
      level: opts.level ?? 'info',
      base: { runId },
      redact: { paths: redactPaths(), censor: '[REDACTED]' },
    },
    out,
  );
  return {
    logger,
    path,
    close() {
      dest.flushSync();
      dest.end();
    },
  };
}
