/**
 * testRisk: terse builders and a harness for the risk stage's tests (test support only).
 */
import type { IndexValue, OptionQuote, Quote } from '../../domain/events.js';
import { parseOcc, ROOT_INFO, type OptionRoot } from '../../domain/instruments.js';
import type { ExecutionReport, OrderIntent, OrderStatus, BracketLeg } from '../../domain/orders.js';
import { nyTimeToMs } from '../../domain/time.js';
import type { EconomicCalendar } from './economicCalendar.js';
import { loadEconomicCalendar } from './loadEconomicCalendar.js';
import { riskConfigSchema, type RiskConfig, type RiskConfigInput } from './riskConfig.js';
import { RiskEngine } from './riskEngine.js';
import type { RiskInput, RiskOutput } from './riskEvents.js';

let seq = 0;
let idSeq = 0;

/** The committed calendar, loaded once per test file. */
export const CALENDAR: EconomicCalendar = loadEconomicCalendar('fixtures/calendars/economic-events.json');

export const testRisk = {
  /** 11:00 ET on Monday 2025-03-10 (first week of EDT), a day with no scheduled release. */
  T: nyTimeToMs('2025-03-10', 11, 0),
  SPXW: 'O:SPXW250310C05700000',
  SPXW_PUT: 'O:SPXW250310P05650000',
  SPY: 'O:SPY250310C00570000',
  QQQ: 'O:QQQ250310C00480000',

  cfg(c: RiskConfigInput = {}): RiskConfig {
    return riskConfigSchema.parse(c);
  },

  index(symbol: string, ts: number, value: number): IndexValue {
    return { type: 'IndexValue', ts, symbol, value };
  },

  quote(symbol: string, ts: number, bid: number, ask: number): Quote {
    return { type: 'Quote', ts, symbol, bid, bidSize: 100, ask, askSize: 100, bidExchange: 4, askExchange: 4, seq: ++seq };
  },

  optionQuote(symbol: string, ts: number, bid: number, ask: number): OptionQuote {
    return { type: 'OptionQuote', ts, symbol, bid, bidSize: 10, ask, askSize: 10, bidExchange: 1, askExchange: 1, seq: ++seq };
  },

  /** Fresh underlying prices for every underlying at ts. */
  underlyings(ts: number): RiskInput[] {
    return [
      testRisk.index('I:SPX', ts, 5700),
      testRisk.index('I:NDX', ts, 20000),
      testRisk.quote('SPY', ts, 570, 570.02),
      testRisk.quote('QQQ', ts, 480, 480.02),
    ];
  },

  /** An entry intent on `symbol` whose fields agree with the symbol. */
  intent(symbol: string, ts: number, over: Partial<OrderIntent> = {}): OrderIntent {
    const c = parseOcc(symbol);
    const root = c.root as OptionRoot;
    return {
      type: 'OrderIntent',
      ts,
      id: `i${++idSeq}`,
      signalId: `s${idSeq}`,
      underlying: ROOT_INFO[root].underlying,
      root,
      optionSymbol: symbol,
      right: c.right,
      expiry: c.expiry,
      strike: c.strike,
      quantity: 1,
      side: 'buy_to_open',
      limitPrice: 4.2,
      takeProfit: 5,
      stopPrice: 3,
      underlyingStop: 5690,
      underlyingTarget: 5720,
      timeStop: ts + 600_000,
      playbook: 'test',
      bidAtDecision: 4,
      askAtDecision: 4.2,
      ...over,
    };
  },

  report(orderId: string, symbol: string, leg: BracketLeg, ts: number, fillQuantity: number, fillPrice: number, status: OrderStatus = 'filled', fees = 0): ExecutionReport {
    return {
      type: 'ExecutionReport',
      ts,
      orderId,
      leg,
      optionSymbol: symbol,
      status,
      fillQuantity,
      fillPrice,
      cumulativeQuantity: fillQuantity,
      avgFillPrice: fillPrice,
      fees,
    };
  },

  /** A RiskEngine collecting its outputs. */
  harness(config: RiskConfig = testRisk.cfg(), calendar: EconomicCalendar | null = CALENDAR) {
    const out: RiskOutput[] = [];
    const engine = new RiskEngine(config, { calendar }, (o) => out.push(o));
    return {
      engine,
      out,
      feed(...evs: RiskInput[]): RiskOutput[] {
        const start = out.length;
        for (const ev of evs) engine.onInput(ev);
        return out.slice(start);
      },
    };
  },
};
