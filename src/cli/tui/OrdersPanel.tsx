/**
 * Orders and positions: each working bracket (contract, state, open/ordered contracts, entry fill vs limit, mark,
 * option target and stop, and the underlying's price against its target and stop levels, unrealised P&L), the
 * latest fills, realised and unrealised P&L, and the broker's own position list when it differs from ours.
 */
import { Box, Text } from 'ink';
import type { MarketRow, OrdersState } from './dashboardTypes.js';
import { DASH, cell, fmt, shortOption } from './format.js';
import { Panel } from './Panel.js';
import { unrealizedPnl } from './unrealizedPnl.js';
import { MULTIPLIER } from '../../domain/instruments.js';

export interface OrdersPanelProps {
  readonly orders: OrdersState;
  readonly market: Readonly<Record<string, MarketRow>>;
  readonly fills?: number;
  readonly width?: number | string;
  readonly flexGrow?: number;
}

const pnlColor = (x: number | null) => (x === null || x === 0 ? undefined : x > 0 ? 'green' : 'red');

export function OrdersPanel({ orders, market, fills = 3, width, flexGrow }: OrdersPanelProps) {
  const brackets = Object.values(orders.brackets);
  const unreal = unrealizedPnl(orders.brackets);
  const realColor = pnlColor(orders.realized);
  const unrealColor = pnlColor(unreal);
  return (
    <Panel
      title="Orders & positions"
      subtitle={`${brackets.length} working · ${orders.trades} round trips, ${orders.wins} won`}
      {...(width !== undefined ? { width } : {})}
      {...(flexGrow !== undefined ? { flexGrow } : {})}
    >
      <Text wrap="truncate">
        realised <Text bold {...(realColor ? { color: realColor } : {})}>{fmt.money(orders.realized)}</Text>
        {'   '}unrealised <Text bold {...(unrealColor ? { color: unrealColor } : {})}>{unreal === null ? DASH : fmt.money(unreal)}</Text>
      </Text>
      {brackets.length === 0 ? <Text dimColor>no working brackets</Text> : null}
      {brackets.map((b) => {
        const und = market[b.underlying]?.price ?? null;
        const upnl = b.entryFill !== null && b.mark !== null && b.openQuantity !== 0 ? (b.mark - b.entryFill) * b.openQuantity * MULTIPLIER : null;
        const upnlColor = pnlColor(upnl);
        return (
          <Box key={b.orderId} flexDirection="column">
            <Text wrap="truncate">
              <Text bold>{cell(shortOption(b.optionSymbol), 17, 'left')}</Text>
              <Text color={b.openQuantity !== 0 ? 'green' : 'yellow'}>{cell(b.state, 9, 'left')}</Text>
              {cell(`${b.openQuantity}/${fmt.int(b.quantity)}`, 5, 'left')}
              {' entry '}
              {b.entryFill === null ? `lmt ${fmt.num(b.entryLimit)}` : fmt.num(b.entryFill)}
              {'  mark '}
              {fmt.num(b.mark)}
              {'  '}
              <Text bold {...(upnlColor ? { color: upnlColor } : {})}>{upnl === null ? '' : fmt.money(upnl)}</Text>
            </Text>
            <Text wrap="truncate">
              {'  tgt '}
              <Text color="green">{fmt.num(b.target)}</Text>
              {' stop '}
              <Text color="red">{fmt.num(b.stop)}</Text>
              {`   ${b.underlying} ${fmt.num(und)}  `}
              <Text color="green">{`▲ ${fmt.num(b.underlyingTarget)}`}</Text>
              <Text color="red">{`  ▼ ${fmt.num(b.underlyingStop)}`}</Text>
              <Text dimColor>{`  ${b.playbook}`}</Text>
            </Text>
          </Box>
        );
      })}
      {orders.fills.slice(0, fills).map((f, i) => (
        <Text key={`f${i}`} wrap="truncate" dimColor>
          {fmt.time(f.ts)} fill {cell(f.leg, 7, 'left')}
          {cell(shortOption(f.optionSymbol), 17, 'left')}
          {f.quantity} @ {fmt.num(f.price)}
        </Text>
      ))}
      {orders.brokerPositions && orders.brokerPositions.length > 0 ? (
        <Text wrap="truncate">
          broker positions: {orders.brokerPositions.map((p) => `${shortOption(p.optionSymbol)} ${p.quantity}`).join(', ')}
        </Text>
      ) : null}
    </Panel>
  );
}
