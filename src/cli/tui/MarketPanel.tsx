/**
 * Market, one row per underlying: last, VWAP and its ±1σ band, ATR, ADX and +DI/−DI, regime, one-σ expected move
 * to the close, 0DTE ATM IV and 25Δ skew. "—" is "not known yet" (warming up), never zero.
 */
import { Text } from 'ink';
import { UNDERLYINGS } from '../../domain/instruments.js';
import type { MarketRow } from './dashboardTypes.js';
import { DASH, cell, fmt } from './format.js';
import { Panel } from './Panel.js';

export interface MarketPanelProps {
  readonly market: Readonly<Record<string, MarketRow>>;
  readonly width?: number | string;
}

const HEAD: readonly [string, number][] = [
  ['', 4],
  ['last', 11],
  ['VWAP', 11],
  ['band −1σ … +1σ', 22],
  ['ATR', 7],
  ['ADX', 6],
  ['+DI/−DI', 12],
  ['regime', 14],
  ['exp.move', 9],
  ['ATM IV', 8],
  ['skew', 7],
];

function regimeText(r: MarketRow): string {
  if (r.regime === null) return DASH;
  const arrow = r.regimeDirection === 1 ? ' ↑' : r.regimeDirection === -1 ? ' ↓' : '';
  return r.regime + arrow;
}

export function MarketPanel({ market, width }: MarketPanelProps) {
  const rows = [...UNDERLYINGS.filter((u) => market[u]), ...Object.keys(market).filter((u) => !(UNDERLYINGS as readonly string[]).includes(u))];
  return (
    <Panel title="Market" subtitle={rows.length ? `as of ${fmt.time(Math.max(...rows.map((u) => market[u]!.ts)))} ET` : 'waiting for features'} {...(width !== undefined ? { width } : {})}>
      <Text dimColor wrap="truncate">
        {HEAD.map(([h, w], i) => cell(h, w, i === 0 ? 'left' : 'right')).join('')}
      </Text>
      {rows.map((u) => {
        const r = market[u]!;
        const side = r.vwap === null ? null : r.price >= r.vwap ? 'green' : 'red';
        return (
          <Text key={u} wrap="truncate">
            <Text bold>{cell(u, 4, 'left')}</Text>
            {cell(fmt.num(r.price), 11)}
            <Text {...(side ? { color: side } : {})}>{cell(fmt.num(r.vwap), 11)}</Text>
            {cell(`${fmt.num(r.vwapLower1)} … ${fmt.num(r.vwapUpper1)}`, 22)}
            {cell(fmt.num(r.atr), 7)}
            {cell(fmt.num(r.adx, 1), 6)}
            {cell(`${fmt.num(r.plusDi, 1)}/${fmt.num(r.minusDi, 1)}`, 12)}
            {cell(regimeText(r), 14)}
            {cell(r.expectedMove === null ? DASH : `±${fmt.num(r.expectedMove)}`, 9)}
            {cell(fmt.pct(r.atmIv), 8)}
            {cell(fmt.pct(r.skew25d), 7)}
          </Text>
        );
      })}
    </Panel>
  );
}
