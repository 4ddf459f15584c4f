/**
 * Health: trading state, kill switch, broker connectivity, and per feed cluster its state, message rate (event
 * time), receive lag (live only), reconnects and message count; data-quality counters and OMS errors.
 */
import { Box, Text } from 'ink';
import type { FeedCluster } from '../../operators/risk/riskEvents.js';
import type { HealthState } from './dashboardTypes.js';
import { DASH, cell, fmt } from './format.js';
import { Panel } from './Panel.js';

export interface HealthPanelProps {
  readonly health: HealthState;
  /** Dashboard event time, to tell a quiet cluster from a live one. */
  readonly now: number | null;
  readonly width?: number | string;
}

const CLUSTERS: readonly FeedCluster[] = ['stocks', 'options', 'indices'];
const STATE_COLOR = { ACTIVE: 'green', REDUCING: 'yellow', HALTED: 'red' } as const;
const FEED_COLOR = { LIVE: 'green', STALE: 'red', RECOVERING: 'yellow' } as const;

export function HealthPanel({ health, now, width }: HealthPanelProps) {
  const dq = Object.entries(health.dataQuality).filter(([, n]) => n > 0);
  const dqTotal = dq.reduce((s, [, n]) => s + n, 0);
  const broker = health.brokerReachable === null ? DASH : health.brokerReachable ? 'connected' : 'UNREACHABLE';
  return (
    <Panel title="Health" {...(width !== undefined ? { width } : {})}>
      <Text wrap="truncate">
        trading <Text bold color={STATE_COLOR[health.tradingState]}>{health.tradingState}</Text>
        {health.tradingReason ? <Text dimColor>{' ' + health.tradingReason}</Text> : null}
      </Text>
      <Text wrap="truncate">
        kill switch{' '}
        {health.killSwitch ? (
          <Text bold color="red">
            TRIPPED {health.killSwitch.reason}
          </Text>
        ) : (
          <Text color="green">armed</Text>
        )}
        {'  '}broker <Text color={health.brokerReachable === false ? 'red' : health.brokerReachable ? 'green' : 'gray'}>{broker}</Text>
      </Text>
      <Text dimColor wrap="truncate">
        {cell('feed', 8, 'left')}
        {cell('state', 10, 'left')}
        {cell('msg/s', 8)}
        {cell('lag ms', 8)}
        {cell('reconn', 7)}
        {cell('msgs', 10)}
      </Text>
      {CLUSTERS.map((c) => {
        const f = health.feeds[c];
        const quiet = f.lastTs === null || (now !== null && now - f.lastTs > 30_000);
        const state = f.state ?? (f.lastTs === null ? DASH : quiet ? 'quiet' : 'flowing');
        const color = f.state ? FEED_COLOR[f.state] : quiet ? 'gray' : 'green';
        const rate = f.lastTs === null ? null : quiet ? 0 : f.rate;
        return (
          <Text key={c} wrap="truncate">
            {cell(c, 8, 'left')}
            <Text color={color}>{cell(state, 10, 'left')}</Text>
            {cell(fmt.num(rate, 1), 8)}
            {cell(f.lagMs === null ? DASH : `${fmt.int(f.lagMs)}/${fmt.int(f.lagMaxMs ?? f.lagMs)}`, 8)}
            {cell(String(f.reconnects), 7)}
            {cell(fmt.int(f.messages), 10)}
          </Text>
        );
      })}
      <Box>
        <Text wrap="truncate">
          data quality{' '}
          <Text color={dqTotal > 0 ? 'yellow' : 'green'}>
            {dqTotal === 0 ? '0 dropped' : `${fmt.int(dqTotal)} dropped: ` + dq.slice(0, 3).map(([k, n]) => `${k} ${fmt.int(n)}`).join(', ')}
          </Text>
          {'  '}OMS errors <Text color={health.omsErrors > 0 ? 'red' : 'green'}>{health.omsErrors}</Text>
        </Text>
      </Box>
    </Panel>
  );
}
