import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { LearnerPanel } from './LearnerPanel.js';
import { initialDashboardState } from './dashboardState.js';
import { reduceAll, T0 } from './testDashboard.js';

describe('LearnerPanel', () => {
  it('says not running without learner events', () => {
    const s = initialDashboardState();
    expect(render(<LearnerPanel learner={s.learner} now={s.now} />).lastFrame()).toContain('not running');
  });

  it('arm estimates best first, meta-label threshold, run lengths', () => {
    const s = reduceAll([
      { type: 'LearnerState', ts: T0, arms: [{ name: 'trendPullback', mean: -0.05, pulls: 3 }, { name: 'vwapReversion', mean: 0.121, pulls: 12 }], metaLabelThreshold: 0.55, runLength: { SPX: 42 } } as never,
      { type: 'ChangePoint', ts: T0 + 1000, underlying: 'NDX' },
      { type: 'IndexValue', ts: T0 + 91_000, symbol: 'I:NDX', value: 1 },
    ]);
    const f = render(<LearnerPanel learner={s.learner} now={s.now} />).lastFrame()!;
    expect(f).not.toContain('not running');
    expect(f).toContain('meta-label threshold 0.55');
    expect(f.indexOf('vwapReversion')).toBeLessThan(f.indexOf('trendPullback'));
    expect(f).toMatch(/vwapReversion\s+0\.121\s+n=12/);
    expect(f).toMatch(/NDX\s+1m30s since 12:40:01/);
    expect(f).toMatch(/SPX\s+42/);
  });
});
