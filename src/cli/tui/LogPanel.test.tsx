import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { LogPanel } from './LogPanel.js';
import { populatedState } from './testDashboard.js';

describe('LogPanel', () => {
  it('empty', () => {
    expect(render(<LogPanel log={[]} />).lastFrame()).toContain('nothing yet');
  });

  it('the last `rows` lines, newest at the bottom, with event times', () => {
    const f = render(<LogPanel log={populatedState().log} rows={2} width={120} />).lastFrame()!;
    expect(f).not.toContain('order 1×');
    const lines = f.split('\n');
    const filled = lines.findIndex((l) => l.includes('12:40:10 bracket SPY 250310 C570 working → filled (entry filled)'));
    const closed = lines.findIndex((l) => l.includes('12:40:12 closed SPX trendPullback P&L -8.70'));
    expect(filled).toBeGreaterThan(0);
    expect(closed).toBe(filled + 1);
  });
});
