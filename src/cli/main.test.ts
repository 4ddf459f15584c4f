import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DAY, writeDay } from '../streams/replay/replayTestDay.js';

const BIN = resolve('bin/dreambot.js');
let root = '';

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, DREAMBOT_STORAGE_DIR: join(root, 'storage'), DREAMBOT_BACKTESTS_DIR: join(root, 'backtests'), DREAMBOT_CONFIG: '' },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'dreambot-cli-'));
  writeDay(join(root, 'data'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('dreambot CLI', () => {
  it('replay prints counts per type, data quality, events/s and the summary table; writes the backtest folder and a log; exit 0', () => {
    const r = run(['replay', '--date', DAY, '--data', join(root, 'data'), '--symbols', 'SPY,SPX', '--out', join(root, 'out')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/IndexValue\s+60/);
    expect(r.stdout).toMatch(/data quality: .* 0 dropped as bad/);
    expect(r.stdout).toMatch(/events\/s/);
    expect(r.stdout).toMatch(/^scope\s+group\s+trades\s+win%/m);
    expect(r.stdout).toMatch(/^total\s+all\s+0\s/m);
    const dir = /^backtest (.+)$/m.exec(r.stdout)?.[1] ?? '';
    expect(dir.startsWith(join(root, 'out', `${DAY}-`))).toBe(true);
    for (const f of ['summary.csv', 'fill_quality.csv', 'trades.csv', 'calibration.json', 'report.html', 'manifest.json']) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    expect(readFileSync(join(dir, 'summary.csv'), 'utf8')).toMatch(/^total,all,all,0,/m);
    const log = /^log (.+)$/m.exec(r.stdout)?.[1] ?? '';
    expect(log.startsWith(join(root, 'storage', 'logs'))).toBe(true);
    expect(JSON.parse(readFileSync(log, 'utf8').split('\n')[0]!).msg).toBe('replay started');
  });

  it('--json prints machine-readable output (with the summary rows) and reuses the catalog', () => {
    const r = run(['replay', '--date', DAY, '--data', join(root, 'data'), '--symbols', 'SPY,SPX', '--json', '--out', join(root, 'out')]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.catalog.built).toBe(false);
    expect(j.events).toBe(j.catalog.rows);
    expect(j.summary.at(-1)).toMatchObject({ scope: 'total', group: 'all', trades: 0 });
    expect(existsSync(j.outputs.files['summary.csv'])).toBe(true);
  });

  it('replay --from/--to skips the weekend; a range with no trading day exits 1', () => {
    const r = run(['replay', '--from', '2025-03-08', '--to', DAY, '--data', join(root, 'data'), '--symbols', 'SPY,SPX', '--json', '--out', join(root, 'out')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).days.map((d: { date: string }) => d.date)).toEqual([DAY]);
    const none = run(['replay', '--from', '2025-03-08', '--to', '2025-03-09', '--data', join(root, 'data')]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no NYSE trading day between 2025-03-08 and 2025-03-09/);
  });

  it('ingest builds the catalog only', () => {
    const r = run(['ingest', '--date', DAY, '--data', join(root, 'data'), '--symbols', 'QQQ']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^catalog .* built: \d+ rows/);
  });

  it('a refused day exits 1 with a one-line reason', () => {
    const r = run(['replay', '--date', '2025-12-25', '--data', join(root, 'data')]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^dreambot: cannot replay 2025-12-25: not an NYSE trading day \(Christmas Day\)/);
  });

  it('bad usage exits 2; bad config lists every problem', () => {
    expect(run(['replay']).code).toBe(2);
    expect(run(['frobnicate']).code).toBe(2);
    const bad = run(['replay', '--date', DAY, '--symbols', 'TSLA,SPY']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/invalid configuration/);
    expect(bad.stderr).toMatch(/replay\.symbols\.0/);
    expect(run(['replay', '--date', '2025-13-01']).stderr).toMatch(/not a calendar date|not a date/);
  });

  it('kill writes the watched kill file with the reason; --clear removes it', () => {
    const r = run(['kill', '--reason', 'test halt']);
    expect(r.code).toBe(0);
    const path = join(root, 'storage', 'KILL');
    expect(readFileSync(path, 'utf8')).toBe('test halt\n');
    expect(run(['kill', '--clear']).code).toBe(0);
    expect(existsSync(path)).toBe(false);
  });

  it('--help works on every command', () => {
    for (const c of ['replay', 'ingest', 'synth', 'kill']) {
      const r = run([c, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`dreambot ${c}`);
    }
  });
});
