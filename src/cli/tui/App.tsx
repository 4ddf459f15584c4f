/**
 * The dashboard screen for one DashboardState: header, market, health, orders and positions, signals, learner,
 * log tail and the always-visible help line. Keys dispatch DashboardCommands through `onCommand`:
 *
 *   k  kill switch — asks first; `y` confirms, any other key cancels
 *   p  pause new entries (exits still work)      r  resume
 *   q  quit — asks first when positions are open (Ctrl+C is the same key)
 *
 * Stateless apart from the pending confirmation and the last action's acknowledgement.
 */
import { useRef, useState } from 'react';
import { Box, Text, useInput, useStdin } from 'ink';
import { hasOpenPositions } from './dashboardState.js';
import type { DashboardCommand, DashboardState } from './dashboardTypes.js';
import { fmt } from './format.js';
import { HealthPanel } from './HealthPanel.js';
import { HelpLine } from './HelpLine.js';
import { LearnerPanel } from './LearnerPanel.js';
import { LogPanel } from './LogPanel.js';
import { MarketPanel } from './MarketPanel.js';
import { OrdersPanel } from './OrdersPanel.js';
import { SignalsPanel } from './SignalsPanel.js';

export interface AppProps {
  readonly state: DashboardState;
  readonly title: string;
  readonly onCommand: (cmd: DashboardCommand) => void;
}

type Pending = 'kill' | 'quit' | null;

const PROMPT: Record<'kill' | 'quit', string> = {
  kill: 'KILL SWITCH: cancel all orders, flatten every position and halt trading?',
  quit: 'Positions are open. Quit the dashboard (stops the pipeline) anyway?',
};

const ACK: Record<DashboardCommand['type'], string> = {
  kill: 'kill switch sent',
  pause: 'pause sent: new entries stop, exits continue',
  resume: 'resume sent',
  quit: 'quitting…',
};

export function App({ state, title, onCommand }: AppProps) {
  const [pending, setPending] = useState<Pending>(null);
  const [ack, setAck] = useState<string | null>(null);
  const pendingRef = useRef<Pending>(null);
  const { isRawModeSupported } = useStdin();

  const ask = (p: Pending) => {
    pendingRef.current = p;
    setPending(p);
  };
  const send = (cmd: DashboardCommand) => {
    setAck(ACK[cmd.type]);
    onCommand(cmd);
  };

  useInput(
    (input, key) => {
      const p = pendingRef.current;
      if (p !== null) {
        ask(null);
        if (input === 'y' || input === 'Y') send({ type: p });
        else setAck(p === 'kill' ? 'kill switch cancelled' : 'quit cancelled');
        return;
      }
      const quit = input === 'q' || (key.ctrl && input === 'c');
      if (input === 'k') ask('kill');
      else if (input === 'p') send({ type: 'pause' });
      else if (input === 'r') send({ type: 'resume' });
      else if (quit) {
        if (hasOpenPositions(state)) ask('quit');
        else send({ type: 'quit' });
      }
    },
    { isActive: isRawModeSupported },
  );

  const stream = state.stream === 'running' ? <Text color="green">running</Text> : state.stream === 'completed' ? <Text color="cyan">complete</Text> : <Text color="red">FAILED</Text>;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text bold color="magenta">
          DreamBot
        </Text>
        {'  ' + title + '  '}
        <Text bold>{fmt.time(state.now)} ET</Text>
        {'  '}
        {stream}
        <Text dimColor>{`  ${fmt.int(state.events)} events`}</Text>
      </Text>
      <MarketPanel market={state.market} />
      <Box>
        <HealthPanel health={state.health} now={state.now} width={58} />
        <OrdersPanel orders={state.orders} market={state.market} flexGrow={1} />
      </Box>
      <Box>
        <SignalsPanel signals={state.signals} rows={6} flexGrow={1} />
        <LearnerPanel learner={state.learner} now={state.now} width={44} />
      </Box>
      <LogPanel log={state.log} rows={5} />
      <Box>
        <HelpLine prompt={pending === null ? null : PROMPT[pending]} />
        {pending === null && ack ? <Text dimColor wrap="truncate">{'   · ' + ack}</Text> : null}
      </Box>
    </Box>
  );
}
