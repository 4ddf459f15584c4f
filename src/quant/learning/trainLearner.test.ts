import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Prng } from '../prng.js';
import { CONTEXT_FEATURES, META_FEATURES } from './learnerFeatures.js';
import { assertNoLookAhead, trainFold, trainLearner, walkForwardFolds, DEFAULT_TRAIN, type TrainingRow } from './trainLearner.js';

const DAYS = ['2025-03-03', '2025-03-04', '2025-03-05', '2025-03-06', '2025-03-07'];

function rows(days: readonly string[], perDay: number, seed: number): TrainingRow[] {
  const rng = new Prng(seed);
  const out: TrainingRow[] = [];
  for (const date of days) {
    for (let i = 0; i < perDay; i++) {
      const context = CONTEXT_FEATURES.map((_, j) => (j === 0 ? 1 : rng.uniform(0, 1)));
      const meta = [...context, ...META_FEATURES.slice(context.length).map(() => rng.uniform(0, 1))];
      const label = rng.chance(meta[7]! > 0.5 ? 0.7 : 0.2) ? 1 : 0;
      out.push({ date, id: `${date}-${i}`, ts: i, playbook: rng.pick(['vwapReversion', 'trendPullback']), context, meta, label, r: label ? 1.5 : -1 });
    }
  }
  return out;
}

describe('walk-forward training', () => {
  it('folds: every training day precedes its evaluated day (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 28 }), { minLength: 2, maxLength: 20 }), fc.integer({ min: 1, max: 30 }), (ds, k) => {
        const days = ds.map((d) => `2025-02-${String(d).padStart(2, '0')}`);
        const folds = walkForwardFolds(days, k);
        expect(folds.length).toBe(Math.min(k, days.length - 1));
        for (const f of folds) {
          expect(f.train.length).toBeGreaterThan(0);
          for (const t of f.train) expect(t < f.test).toBe(true);
        }
      }),
    );
    expect(() => walkForwardFolds(['2025-03-03'], 2)).toThrow(/at least 2 days/);
  });

  it('no look-ahead: training for an evaluated day fails if any row is from that day or later', () => {
    const all = rows(DAYS, 20, 1);
    const evalDay = '2025-03-06';
    const before = all.filter((r) => r.date < evalDay);
    expect(() => trainFold(before, evalDay, DEFAULT_TRAIN, { from: DAYS[0]!, to: '2025-03-05' })).not.toThrow();
    expect(() => trainFold([...before, all.find((r) => r.date === evalDay)!], evalDay, DEFAULT_TRAIN, { from: DAYS[0]!, to: evalDay })).toThrow(/look-ahead/);
    expect(() => assertNoLookAhead([...before, all.find((r) => r.date === '2025-03-07')!], evalDay)).toThrow(/2025-03-07/);
  });

  it('trains a meta-label model and a bandit; identical inputs → identical bodies; too few of a class → no meta-label', () => {
    const all = rows(DAYS, 60, 2);
    const a = trainLearner(all, DEFAULT_TRAIN, { from: DAYS[0]!, to: DAYS[4]! });
    const b = trainLearner([...all].reverse(), DEFAULT_TRAIN, { from: DAYS[0]!, to: DAYS[4]! });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.metaLabel).not.toBeNull();
    expect(a.bandit?.arms.vwapReversion?.n).toBeGreaterThan(0);
    expect(a.trainedOn.days).toEqual(DAYS);
    const none = trainLearner(all.map((r) => ({ ...r, label: 0 as const })), DEFAULT_TRAIN, { from: DAYS[0]!, to: DAYS[4]! });
    expect(none.metaLabel).toBeNull();
  });
});
