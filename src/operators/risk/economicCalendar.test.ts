import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTradingDay } from '../../domain/calendar.js';
import { EconomicCalendar } from './economicCalendar.js';
import { loadEconomicCalendar } from './loadEconomicCalendar.js';
import { ECONOMIC_EVENT_TYPES } from './riskConfig.js';
import { CALENDAR } from './testRisk.js';

const minimal = (over: Record<string, unknown> = {}) => ({
  source: 'test',
  coverage: { from: '2025-01-01', to: '2025-12-31' },
  timezone: 'America/New_York',
  events: [{ date: '2025-03-19', time: '14:00', type: 'FOMC_STATEMENT', title: 'FOMC statement' }],
  ...over,
});

describe('the committed economic calendar', () => {
  it('covers 2025–2026, names its source and has every event type', () => {
    expect(CALENDAR.coverage).toEqual({ from: '2025-01-01', to: '2026-12-31' });
    expect(CALENDAR.source).toMatch(/federalreserve\.gov/);
    expect(CALENDAR.size).toBeGreaterThan(200);
    const types = new Set<string>();
    for (let m = 1; m <= 12; m++) {
      for (let d = 1; d <= 31; d++) {
        for (const y of [2025, 2026]) {
          for (const r of CALENDAR.releasesOn(`${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`)) types.add(r.type);
        }
      }
    }
    expect([...types].sort()).toEqual([...ECONOMIC_EVENT_TYPES].sort());
  });

  it('has the eight FOMC statements (14:00 ET) and press conferences (14:30 ET) of each year', () => {
    for (const year of ['2025', '2026']) {
      const fomc: string[] = [];
      for (let m = 1; m <= 12; m++) {
        for (let d = 1; d <= 31; d++) {
          const date = `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          const rs = CALENDAR.releasesOn(date);
          if (rs.some((r) => r.type === 'FOMC_STATEMENT' && r.time === '14:00')) {
            expect(rs.some((r) => r.type === 'FOMC_PRESS_CONFERENCE' && r.time === '14:30')).toBe(true);
            fomc.push(date);
          }
        }
      }
      expect(fomc).toHaveLength(8);
    }
    expect(CALENDAR.releasesOn('2025-03-19').map((r) => [r.type, r.at])).toEqual([
      ['FOMC_STATEMENT', Date.UTC(2025, 2, 19, 18, 0)],
      ['FOMC_PRESS_CONFERENCE', Date.UTC(2025, 2, 19, 18, 30)],
    ]);
  });

  it('CPI 2025-03-12 08:30 EDT and CPI 2025-02-12 08:30 EST', () => {
    expect(CALENDAR.releasesOn('2025-03-12').find((r) => r.type === 'CPI')?.at).toBe(Date.UTC(2025, 2, 12, 12, 30));
    expect(CALENDAR.releasesOn('2025-02-12').find((r) => r.type === 'CPI')?.at).toBe(Date.UTC(2025, 1, 12, 13, 30));
  });

  it('FOMC, CPI and NFP release on weekdays (NFP may fall on a market holiday, e.g. Good Friday 2026)', () => {
    for (const y of [2025, 2026]) {
      for (let m = 1; m <= 12; m++) {
        for (let d = 1; d <= 31; d++) {
          const date = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          for (const r of CALENDAR.releasesOn(date)) {
            const dow = new Date(`${date}T12:00:00Z`).getUTCDay();
            expect(dow >= 1 && dow <= 5, `${date} ${r.type}`).toBe(true);
            if (r.type.startsWith('FOMC')) expect(isTradingDay(date), `${date} ${r.type}`).toBe(true);
          }
        }
      }
    }
  });
});

describe('EconomicCalendar validation', () => {
  it('states coverage and explains a date outside it', () => {
    const c = EconomicCalendar.fromJson(minimal());
    expect(c.covers('2025-06-01')).toBe(true);
    expect(c.missingReason('2026-01-02')).toBe('economic calendar covers 2025-01-01..2025-12-31, not 2026-01-02: update the calendar file (source: test)');
  });

  it('reports every problem at once', () => {
    const bad = minimal({
      extra: 1,
      coverage: { from: '2025-12-31', to: '2025-01-01' },
      events: [
        { date: '2025-02-30', time: '14:00', type: 'FOMC_STATEMENT', title: 'x' },
        { date: '2025-03-19', time: '2pm', type: 'FOMC_STATEMENT', title: 'x' },
        { date: '2025-03-19', time: '14:00', type: 'EARNINGS', title: 'x' },
      ],
    });
    let msg = '';
    try {
      EconomicCalendar.fromJson(bad);
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/extra/);
    expect(msg).toMatch(/events\.0\.date: want a calendar date/);
    expect(msg).toMatch(/events\.1\.time: want HH:MM/);
    expect(msg).toMatch(/events\.2\.type/);
  });

  it('rejects inverted coverage and events outside the coverage', () => {
    expect(() => EconomicCalendar.fromJson(minimal({ coverage: { from: '2025-12-31', to: '2025-01-01' } }))).toThrow(/coverage\.from is after coverage\.to/);
    expect(() => EconomicCalendar.fromJson(minimal({ coverage: { from: '2025-04-01', to: '2025-12-31' } }))).toThrow(/outside the coverage/);
  });

  it('loadEconomicCalendar names the path on failure', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dreambot-cal-'));
    expect(() => loadEconomicCalendar(join(dir, 'missing.json'))).toThrow(/missing\.json could not be read/);
    writeFileSync(join(dir, 'bad.json'), '{');
    expect(() => loadEconomicCalendar(join(dir, 'bad.json'))).toThrow(/bad\.json is not JSON/);
    writeFileSync(join(dir, 'ok.json'), JSON.stringify(minimal()));
    expect(loadEconomicCalendar(join(dir, 'ok.json')).size).toBe(1);
  });
});
