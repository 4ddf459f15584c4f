import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_HOSTS, EnvError, KEYS_BY_MODE, loadLiveEnv, readModeKeys, redactor } from './env.js';

let dir = '';
let envFile = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dreambot-env-'));
  envFile = join(dir, '.env');
  writeFileSync(envFile, 'POLYGON_API_KEY=file_key_abcdefgh\nTRADIER_LIVE_TOKEN=live_secret_token_xyz\nTRADIER_LIVE_ACCOUNT_ID=6YA1\nTRADIER_SANDBOX_TOKEN=sandbox_token_1234\nTRADIER_SANDBOX_ACCOUNT_ID=VA1\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('live environment', () => {
  it('paper reads only the Polygon keys; the live token is read in live mode only', () => {
    expect(KEYS_BY_MODE.paper).not.toContain('TRADIER_LIVE_TOKEN');
    expect(KEYS_BY_MODE.sandbox).not.toContain('TRADIER_LIVE_TOKEN');
    const paper = readModeKeys('paper', { env: {}, envFile });
    expect(Object.values(paper)).not.toContain('live_secret_token_xyz');
    const e = loadLiveEnv('paper', { env: {}, envFile });
    expect(e.tradier).toBeNull();
    expect(e.secrets).toEqual(['file_key_abcdefgh']);
    expect(JSON.stringify(e)).not.toContain('live_secret_token_xyz');
    expect(e.polygon.wsUrl).toBe(DEFAULT_HOSTS.POLYGON_WS_URL);
    expect(process.env.TRADIER_LIVE_TOKEN).toBeUndefined();
    const s = loadLiveEnv('sandbox', { env: {}, envFile });
    expect(s.tradier).toMatchObject({ apiUrl: DEFAULT_HOSTS.TRADIER_SANDBOX_API_URL, accountId: 'VA1' });
    expect(JSON.stringify(s)).not.toContain('live_secret_token_xyz');
    const l = loadLiveEnv('live', { env: {}, envFile });
    expect(l.tradier).toMatchObject({ apiUrl: DEFAULT_HOSTS.TRADIER_LIVE_API_URL, token: 'live_secret_token_xyz' });
  });

  it('the environment overrides .env; problems are reported together', () => {
    expect(loadLiveEnv('paper', { env: { POLYGON_API_KEY: 'env_key_12345678', POLYGON_WS_URL: 'ws://127.0.0.1:1' }, envFile }).polygon).toMatchObject({ apiKey: 'env_key_12345678', wsUrl: 'ws://127.0.0.1:1' });
    try {
      loadLiveEnv('sandbox', { env: { POLYGON_WS_URL: 'http://x' }, envFile: null });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(EnvError);
      expect((e as EnvError).problems.join('\n')).toMatch(/POLYGON_API_KEY[\s\S]*POLYGON_WS_URL[\s\S]*TRADIER_SANDBOX_TOKEN/);
    }
  });

  it('redactor removes every form of every secret', () => {
    const r = redactor(['s3cr3t/key+1']);
    expect(r('a s3cr3t/key+1 b s3cr3t%2Fkey%2B1 c')).toBe('a [REDACTED] b [REDACTED] c');
    expect(redactor([])('x')).toBe('x');
  });
});
