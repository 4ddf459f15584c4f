/**
 * Log tail: the last lines of what happened (orders, brackets, round trips, trading-state changes, feed and
 * broker state, kill switch and controls, OMS errors), oldest first so the newest is at the bottom.
 */
import { Text } from 'ink';
import type { LogLevel, LogLine } from './dashboardTypes.js';
import { fmt } from './format.js';
import { Panel } from './Panel.js';

export interface LogPanelProps {
  readonly log: readonly LogLine[];
  readonly rows?: number;
  readonly width?: number | string;
  readonly flexGrow?: number;
}

const COLOR: Record<LogLevel, string | undefined> = { info: undefined, warn: 'yellow', error: 'red' };

export function LogPanel({ log, rows = 5, width, flexGrow }: LogPanelProps) {
  const tail = log.slice(Math.max(0, log.length - rows));
  return (
    <Panel title="Log" {...(width !== undefined ? { width } : {})} {...(flexGrow !== undefined ? { flexGrow } : {})}>
      {tail.length === 0 ? <Text dimColor>nothing yet</Text> : null}
      {tail.map((l, i) => {
        const c = COLOR[l.level];
        return (
          <Text key={i} wrap="truncate">
            <Text dimColor>{fmt.time(l.ts)} </Text>
            <Text {...(c ? { color: c } : {})}>{l.text}</Text>
          </Text>
        );
      })}
    </Panel>
  );
}
