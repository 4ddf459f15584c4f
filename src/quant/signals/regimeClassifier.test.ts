import { describe, expect, it } from 'vitest';
import { sessionFor } from '../../domain/calendar.js';
import type { Features } from '../../operators/features/featuresRecord.js';
import { signalsConfigSchema } from '../../operators/signals/signalsConfig.js';
import { TEST_DATE, feat, ny } from '../../operators/signals/testFeatures.js';
import { RegimeClassifier } from './regimeClassifier.js';

const cfg = signalsConfigSchema.parse({ regime: { vwapSlopeWindowSec: 10 } }).regime;
const session = sessionFor(TEST_DATE);
const T = ny(11);

/** Up-trending record at second `s`: VWAP rising 0.02/s (0.2 over the 10 s window = 0.5 ATR), +DI > −DI. */
const up = (s: number, adx: number, o: Partial<Features> = {}) =>
  feat(T + s * 1000, 571, { vwap: 570 + 0.02 * s, adx, plusDi: 30, minusDi: 15, ...o });

function run(c: RegimeClassifier, recs: Features[]): string[] {
  return recs.map((f) => c.update(f, session).regime);
}

describe('RegimeClassifier', () => {
  it('enters trend on enter thresholds and holds it through the hysteresis band (ADX 22 between exit 20 and enter 25)', () => {
    const c = new RegimeClassifier(cfg);
    const seq = Array.from({ length: 200 }, (_, s) => up(s, s < 20 ? 30 : 22));
    const out = run(c, seq);
    expect(out.slice(11)).toEqual(Array(189).fill('trend'));
    // A fresh classifier with ADX 22 never enters trend.
    const fresh = new RegimeClassifier(cfg);
    expect(run(fresh, Array.from({ length: 60 }, (_, s) => up(s, 22))).at(-1)).toBe('range');
  });

  it('does not flap: an exit indication shorter than confirmSec is ignored; a longer one switches after confirmSec', () => {
    const c = new RegimeClassifier(cfg);
    const recs: Features[] = [];
    for (let s = 0; s < 300; s++) recs.push(up(s, 30));
    for (let s = 300; s < 320; s++) recs.push(up(s, 15)); // 20 s below exit: too short
    for (let s = 320; s < 400; s++) recs.push(up(s, 30));
    for (let s = 400; s < 460; s++) recs.push(up(s, 15)); // 60 s below exit
    const out = run(c, recs);
    expect(out.slice(11, 400).every((r) => r === 'trend')).toBe(true);
    const firstRange = out.indexOf('range', 400);
    expect(firstRange).toBe(430); // indicated from 400, confirmed 30 s later
    expect(out.slice(430).every((r) => r === 'range')).toBe(true);
  });

  it('holds a regime for at least minDwellSec even when the change is confirmed earlier', () => {
    const c = new RegimeClassifier(cfg);
    const recs: Features[] = [];
    for (let s = 0; s < 20; s++) recs.push(up(s, 30)); // trend from s = 10 (slope window covered)
    for (let s = 20; s < 200; s++) recs.push(up(s, 15));
    const out = run(c, recs);
    const since = out.indexOf('trend');
    expect(since).toBe(10);
    expect(out.indexOf('range', since)).toBe(since + cfg.minDwellSec);
  });

  it('ChangePoint seam: forgets the dwell and confirmation, so the next record is classified afresh', () => {
    const c = new RegimeClassifier(cfg);
    run(c, Array.from({ length: 20 }, (_, s) => up(s, 30)));
    expect(c.update(up(20, 15), session).regime).toBe('trend');
    c.changePoint();
    expect(c.update(up(21, 15), session)).toEqual({ regime: 'range', direction: 0, since: T + 21_000 });
  });

  it('illiquid on a one-sided NBBO or a wide spread, high-vol on a realised-vol burst, warming without ADX', () => {
    const at = (s: number, o: Partial<Features>) => new RegimeClassifier(cfg).update(feat(T + s, 571, o), session).regime;
    expect(at(0, { spreadBps: null })).toBe('illiquid');
    expect(at(0, { spreadBps: 6 })).toBe('illiquid');
    expect(at(0, { realizedVolShort: 0.4, realizedVolLong: 0.2 })).toBe('high-vol');
    expect(at(0, { realizedVolShort: 0.7, realizedVolLong: 0.7 })).toBe('high-vol');
    expect(at(0, { adx: null })).toBe('warming');
    expect(new RegimeClassifier(cfg).update(feat(ny(9, 31), 571), session).regime).toBe('high-vol'); // opening minutes
  });

  it('leaves warming immediately once the indicators exist', () => {
    const c = new RegimeClassifier(cfg);
    expect(c.update(feat(T, 571, { adx: null }), session).regime).toBe('warming');
    expect(c.update(feat(T + 5000, 571), session).regime).toBe('warming'); // slope window (10 s) not covered yet
    expect(c.update(feat(T + 10_000, 571), session)).toEqual({ regime: 'range', direction: 0, since: T + 10_000 });
  });
});
