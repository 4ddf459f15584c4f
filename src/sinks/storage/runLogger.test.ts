import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLogger } from './runLogger.js';

const dir = mkdtempSync(join(tmpdir(), 'dreambot-logs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runLogger', () => {
  it('writes one JSON line per entry to storage/logs/<run-id>.log with secrets redacted by key and by value', () => {
    const planted = 'PLANTED-s3cr3t-9f8e7d';
    const envSecret = 'ENV-tok-1234567890';
    const quoted = 'q"uo\\te-s3cret'; // JSON escapes it in the written line: still found and masked
    const log = runLogger(dir, 'run-1', { env: { TRADIER_TOKEN: envSecret, POLYGON_API_KEY: 'short', OTHER_SECRET: quoted, HOME: '/root' } });
    log.logger.info({ config: { tradier: { token: planted, accountId: 'VA123' }, polygon: { apiKey: planted } } }, 'started');
    log.logger.info({ headers: { Authorization: `Bearer ${planted}` } }, 'http');
    log.logger.warn({ url: `wss://x/?token=${envSecret}` }, `connect failed with ${envSecret}`);
    log.logger.info({ password: planted, nested: { a: { secret: planted } } }, 'deep');
    log.logger.info({ detail: { note: `saw ${quoted} here` } }, 'escaped');
    log.close();
    const text = readFileSync(join(dir, 'run-1.log'), 'utf8');
    expect(text).not.toContain(planted);
    expect(text).not.toContain(envSecret);
    expect(text).not.toContain(JSON.stringify(quoted).slice(1, -1));
    const lines = text.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(5);
    expect(lines[4].detail.note).toBe('saw [REDACTED] here');
    expect(lines[0]).toMatchObject({ runId: 'run-1', msg: 'started', config: { tradier: { token: '[REDACTED]', accountId: 'VA123' } } });
    expect(lines[2].msg).toBe('connect failed with [REDACTED]');
    expect(lines[2].url).toBe('wss://x/?token=[REDACTED]');
  });
});
