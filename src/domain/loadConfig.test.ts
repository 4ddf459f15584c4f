import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './loadConfig.js';

function tmpFile(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'dreambot-config-'));
  const f = join(dir, 'config.json');
  writeFileSync(f, content);
  return f;
}

describe('loadConfig', () => {
  it('gives documented defaults with no file and no env', () => {
    const c = loadConfig({ env: {} });
    expect(c.mode).toBe('replay');
    expect(c.replay.symbols).toEqual(['SPY', 'SPX']);
    expect(c.replay.expiries).toBe(2);
    expect(c.paths.data).toBe('data');
  });

  it('reports every problem together: unknown keys and out-of-range values', () => {
    const f = tmpFile(JSON.stringify({ replay: { strikeWindowPct: 3, expiries: 0, bogus: 1 }, nope: true }));
    let err: unknown;
    try {
      loadConfig({ file: f, env: {} });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.join('\n');
    expect(problems).toMatch(/\(root\): unknown key\(s\) "nope"/);
    expect(problems).toMatch(/replay: unknown key\(s\) "bogus"/);
    expect(problems).toMatch(/replay\.strikeWindowPct/);
    expect(problems).toMatch(/replay\.expiries/);
    expect((err as ConfigError).message).toContain(f);
  });

  it('rejects bad JSON naming the file', () => {
    const f = tmpFile('{ "mode": ');
    expect(() => loadConfig({ file: f, env: {} })).toThrow(/not valid JSON/);
  });

  it('rejects a missing file', () => {
    expect(() => loadConfig({ file: '/nonexistent/dreambot.json', env: {} })).toThrow(/config file not found/);
  });

  it('applies env overrides, then CLI overrides, and validates them', () => {
    const c = loadConfig({ env: { DREAMBOT_SEED: '7', DREAMBOT_DATA_DIR: '/x' }, overrides: { replay: { symbols: ['QQQ'] } } });
    expect(c.seed).toBe(7);
    expect(c.paths.data).toBe('/x');
    expect(c.replay.symbols).toEqual(['QQQ']);
    expect(() => loadConfig({ env: { DREAMBOT_MODE: 'yolo' } })).toThrow(/mode/);
    expect(() => loadConfig({ env: {}, overrides: { replay: { symbols: ['TSLA'] } } })).toThrow(/replay\.symbols\.0/);
  });
});
