/**
 * Signals: counts of intents, gate verdicts, risk approvals and denials, then the most recent intents and
 * denials (gate blocks and risk rejections) with their reasons, newest first.
 */
import { Text } from 'ink';
import type { SignalRowKind, SignalsState } from './dashboardTypes.js';
import { cell, fmt } from './format.js';
import { Panel } from './Panel.js';

export interface SignalsPanelProps {
  readonly signals: SignalsState;
  /** How many recent rows to show. */
  readonly rows?: number;
  readonly width?: number | string;
  readonly flexGrow?: number;
}

const KIND: Record<SignalRowKind, { label: string; color: string }> = {
  intent: { label: 'signal', color: 'cyan' },
  gate: { label: 'gated', color: 'yellow' },
  denied: { label: 'risk ✗', color: 'red' },
};

export function SignalsPanel({ signals, rows = 6, width, flexGrow }: SignalsPanelProps) {
  const s = signals;
  return (
    <Panel
      title="Signals"
      subtitle={`${s.intents} intents · gate ${s.gateAllowed} ok / ${s.gateBlocked} blocked · risk ${s.approved} approved / ${s.riskDenied} denied`}
      {...(width !== undefined ? { width } : {})}
      {...(flexGrow !== undefined ? { flexGrow } : {})}
    >
      {s.recent.length === 0 ? <Text dimColor>no signals yet</Text> : null}
      {s.recent.slice(0, rows).map((r, i) => (
        <Text key={i} wrap="truncate">
          <Text dimColor>{fmt.time(r.ts)} </Text>
          <Text color={KIND[r.kind].color}>{cell(KIND[r.kind].label, 7, 'left')}</Text>
          <Text bold>{cell(r.underlying, 4, 'left')}</Text>
          {r.playbook ? cell(r.playbook, 20, 'left') : cell('', 20, 'left')}
          {r.text}
        </Text>
      ))}
    </Panel>
  );
}
