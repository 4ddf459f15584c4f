import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { OrdersPanel } from './OrdersPanel.js';
import { initialDashboardState } from './dashboardState.js';
import { fill, bracket, orderIntent, populatedState, reduceAll, T0 } from './testDashboard.js';

describe('OrdersPanel', () => {
  it('nothing working', () => {
    const s = initialDashboardState();
    const f = render(<OrdersPanel orders={s.orders} market={s.market} />).lastFrame()!;
    expect(f).toContain('no working brackets');
    expect(f).toContain('realised +$0.00   unrealised —');
  });

  it('working bracket: entry, mark, option target/stop, underlying levels, realised and unrealised P&L, fills', () => {
    const s = populatedState();
    const f = render(<OrdersPanel orders={s.orders} market={s.market} width={130} />).lastFrame()!;
    expect(f).toContain('1 working · 1 round trips, 0 won');
    expect(f).toContain('realised -$8.70   unrealised +$4.00');
    expect(f).toMatch(/SPY 250310 C570\s+filled\s+1\/1\s+entry 0\.47\s+mark 0\.51\s+\+\$4\.00/);
    expect(f).toMatch(/tgt 0\.70 stop 0\.30\s+SPY 569\.10\s+▲ 570\.20\s+▼ 568\.66/);
    expect(f).toMatch(/12:40:10 fill entry\s+SPY 250310 C570\s+1 @ 0\.47/);
  });

  it('a working (unfilled) entry shows its limit; closed brackets leave the list', () => {
    const working = reduceAll([orderIntent(T0), bracket(T0, 'working', 'pending', 0)]);
    expect(render(<OrdersPanel orders={working.orders} market={working.market} width={130} />).lastFrame()).toMatch(/working\s+0\/1\s+entry lmt 0\.48\s+mark 0\.47/);
    const closed = reduceAll([fill(T0 + 20_000, 'target', 0.7), bracket(T0 + 20_000, 'closed', 'filled', 0)], populatedState());
    const f = render(<OrdersPanel orders={closed.orders} market={closed.market} width={130} />).lastFrame()!;
    expect(f).toContain('no working brackets');
    expect(f).toMatch(/fill target\s+SPY 250310 C570\s+1 @ 0\.70/);
  });

  it("the broker's own positions when reported", () => {
    const s = reduceAll([{ type: 'BrokerPositions', ts: T0, positions: [{ optionSymbol: 'O:SPXW250310P05700000', quantity: -1 }] }]);
    expect(render(<OrdersPanel orders={s.orders} market={s.market} />).lastFrame()).toContain('broker positions: SPXW 250310 P5700 -1');
  });
});
