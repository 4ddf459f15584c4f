import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { HealthPanel } from './HealthPanel.js';
import { initialDashboardState } from './dashboardState.js';
import { populatedState, reduceAll, T0 } from './testDashboard.js';

describe('HealthPanel', () => {
  it('before any event: ACTIVE, kill switch armed, broker unknown, no feed data', () => {
    const s = initialDashboardState();
    const f = render(<HealthPanel health={s.health} now={s.now} />).lastFrame()!;
    expect(f).toContain('Health');
    expect(f).toContain('trading ACTIVE');
    expect(f).toContain('kill switch armed');
    expect(f).toContain('broker —');
    expect(f).toMatch(/stocks\s+—/);
    expect(f).toContain('data quality 0 dropped');
  });

  it('feed states, rates, lag, reconnects, broker, trading state, data quality, OMS errors, tripped kill switch', () => {
    const quotes = Array.from({ length: 51 }, (_, i) => ({ type: 'Quote', ts: T0 + i * 100, tsRecv: T0 + i * 100 + 12, symbol: 'SPY', bid: 1, bidSize: 1, ask: 1.01, askSize: 1, bidExchange: 1, askExchange: 1, seq: i }) as const);
    const s = reduceAll(
      [
        ...quotes,
        { type: 'FeedState', ts: T0 + 5000, cluster: 'options', state: 'RECOVERING' },
        { type: 'BrokerState', ts: T0 + 5000, reachable: true },
        { type: 'TradingStateChanged', ts: T0 + 5000, from: 'ACTIVE', to: 'HALTED', reason: 'kill switch' },
        { type: 'KillSwitch', ts: T0 + 5000, source: 'manual', reason: 'dashboard kill key' },
        { type: 'OmsError', ts: T0 + 5000, orderId: null, reason: 'timeout' },
      ],
      initialDashboardState({ 'stocks/crossed': 3, 'options/locked': 2 }),
    );
    const f = render(<HealthPanel health={s.health} now={s.now} />).lastFrame()!;
    expect(f).toContain('trading HALTED kill switch');
    expect(f).toContain('TRIPPED dashboard kill key');
    expect(f).toContain('broker connected');
    expect(f).toMatch(/stocks\s+flowing\s+10\.2\s+12\/12\s+0\s+51/);
    expect(f).toMatch(/options\s+RECOVERING\s+—\s+—\s+1\s+0/);
    expect(f).toContain('5 dropped: stocks/crossed 3, options/locked 2');
    expect(f).toContain('OMS errors 1');
  });

  it('a cluster silent for 30 s of event time shows quiet and rate 0', () => {
    const s = populatedState();
    const later = reduceAll([{ type: 'IndexValue', ts: T0 + 120_000, symbol: 'I:SPX', value: 1 }], s);
    expect(render(<HealthPanel health={later.health} now={later.now} />).lastFrame()).toMatch(/options\s+quiet\s+0\.0/);
  });
});
