import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { SignalsPanel } from './SignalsPanel.js';
import { initialDashboardState } from './dashboardState.js';
import { populatedState } from './testDashboard.js';

describe('SignalsPanel', () => {
  it('empty', () => {
    expect(render(<SignalsPanel signals={initialDashboardState().signals} />).lastFrame()).toContain('no signals yet');
  });

  it('counts and the recent intents and denials with reasons, newest first', () => {
    const f = render(<SignalsPanel signals={populatedState().signals} width={130} />).lastFrame()!;
    expect(f).toContain('1 intents · gate 0 ok / 1 blocked · risk 1 approved / 1 denied');
    const lines = f.split('\n');
    const i = (s: string) => lines.findIndex((l) => l.includes(s));
    expect(lines[i('risk ✗')]).toMatch(/12:40:02 risk ✗ QQQ .*stale-data: quote 31 s old/);
    expect(lines[i('gated')]).toMatch(/12:40:01 gated\s+SPX\s+trendPullback\s+regime-mismatch/);
    expect(lines[i('signal')]).toMatch(/12:40:01 signal\s+SPY\s+vwapReversion\s+calls str 0\.62 @569\.10 stop 568\.66 tgt 570\.20/);
    expect(i('risk ✗')).toBeLessThan(i('gated'));
    expect(i('gated')).toBeLessThan(i('signal'));
  });

  it('shows at most `rows` rows', () => {
    const f = render(<SignalsPanel signals={populatedState().signals} rows={1} />).lastFrame()!;
    expect(f).toContain('risk ✗');
    expect(f).not.toContain('gated');
  });
});
