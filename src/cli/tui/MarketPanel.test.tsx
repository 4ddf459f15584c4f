import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { MarketPanel } from './MarketPanel.js';
import { populatedState } from './testDashboard.js';

describe('MarketPanel', () => {
  it('waits for features', () => {
    expect(render(<MarketPanel market={{}} />).lastFrame()).toContain('waiting for features');
  });

  it('one row per underlying in the fixed order, warming values as —', () => {
    const f = render(<MarketPanel market={populatedState().market} width={130} />).lastFrame()!;
    const lines = f.split('\n');
    const row = (u: string) => lines.find((l) => l.includes(`│ ${u} `))!;
    expect(lines.findIndex((l) => l.includes('│ SPX '))).toBeLessThan(lines.findIndex((l) => l.includes('│ SPY ')));
    expect(row('SPX')).toMatch(/5,712\.30\s+5,711\.30\s+5,710\.30 … 5,712\.30\s+1\.25\s+23\.4\s+28\.1\/14\.2\s+—\s+±4\.56\s+15\.3%\s+4\.2%/);
    expect(row('SPY')).toContain('trend ↑');
    expect(row('QQQ')).toMatch(/1\.25\s+—\s+—\/—/);
    expect(f).toContain('as of 12:40:00 ET');
  });
});
