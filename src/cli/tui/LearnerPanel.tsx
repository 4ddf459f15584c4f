/**
 * Learner: bandit arm estimates (mean reward, pulls), the meta-label probability threshold and the change-point
 * run length per underlying (as the learner reports it; from ChangePoint events alone, the event time since the
 * last change point). Says "not running" until any learner event arrived.
 */
import { Text } from 'ink';
import type { LearnerView } from './dashboardTypes.js';
import { DASH, cell, fmt } from './format.js';
import { Panel } from './Panel.js';

export interface LearnerPanelProps {
  readonly learner: LearnerView;
  readonly now: number | null;
  readonly arms?: number;
  readonly width?: number | string;
  readonly flexGrow?: number;
}

export function LearnerPanel({ learner, now, arms = 4, width, flexGrow }: LearnerPanelProps) {
  const box = { ...(width !== undefined ? { width } : {}), ...(flexGrow !== undefined ? { flexGrow } : {}) };
  if (!learner.running) {
    return (
      <Panel title="Learner" {...box}>
        <Text dimColor>not running</Text>
      </Panel>
    );
  }
  const underlyings = [...new Set([...Object.keys(learner.runLength), ...Object.keys(learner.lastChangePoint)])].sort();
  return (
    <Panel title="Learner" subtitle={`updated ${fmt.time(learner.lastTs)}`} {...box}>
      <Text wrap="truncate">
        meta-label threshold <Text bold>{fmt.num(learner.metaThreshold)}</Text>
        {learner.arms.length === 0 ? <Text dimColor>{'  · no arm estimates'}</Text> : null}
      </Text>
      {[...learner.arms]
        .sort((a, b) => b.mean - a.mean)
        .slice(0, arms)
        .map((a) => (
          <Text key={a.name} wrap="truncate">
            {cell(a.name, 22, 'left')}
            {cell(fmt.num(a.mean, 3), 8)}
            <Text dimColor>{cell(a.pulls === null ? '' : `n=${a.pulls}`, 8)}</Text>
          </Text>
        ))}
      <Text wrap="truncate">change-point run length{underlyings.length === 0 ? ` ${DASH}` : ''}</Text>
      {underlyings.map((u) => {
        const rl = learner.runLength[u];
        const cp = learner.lastChangePoint[u];
        const v = rl !== undefined && rl !== 0 ? fmt.int(rl) : cp !== undefined && now !== null ? `${fmt.age(now - cp)} since ${fmt.time(cp)}` : fmt.int(rl ?? null);
        return (
          <Text key={u} wrap="truncate">
            {'  '}
            {cell(u, 5, 'left')}
            {v}
          </Text>
        );
      })}
    </Panel>
  );
}

