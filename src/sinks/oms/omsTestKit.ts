/**
 * Test helpers for the OMS: a SPXW 0DTE world whose option quotes are Black-Scholes prices of the index level, so
 * implied vol and greeks are well defined; an OMS wired to a SimBroker behind a Subject. Test-only (imported by
 * *.test.ts files), no state at module level.
 */
import { Subject } from 'rxjs';
import { sessionFor } from '../../domain/calendar.js';
import type { IndexValue, OptionQuote } from '../../domain/events.js';
import { roundToTick } from '../../domain/instruments.js';
import type { OrderIntent } from '../../domain/orders.js';
import { bsPrice } from '../../quant/options/blackScholes.js';
import { yearFraction } from '../../quant/options/yearFraction.js';
import type { BrokerPort } from './BrokerPort.js';
import { MemoryJournal } from './journal.js';
import { oms, type OmsDeps } from './oms.js';
import { omsConfigSchema, type OmsConfigInput } from './omsConfig.js';
import type { OmsInput, OmsOutput } from './omsEvents.js';
import { SimBroker } from './simBroker.js';

export const KIT_DATE = '2025-03-10';
export const KIT_SESSION = sessionFor(KIT_DATE)!;
/** 10:30 ET. */
export const KT0 = KIT_SESSION.open + 3_600_000;
export const KIT_CALL = 'O:SPXW250310C05700000';
export const KIT_PUT = 'O:SPXW250310P05700000';
export const KIT_VOL = 0.15;

/** Bid/ask of the 5700 SPXW at index level S: BS value ± one tick, on the tick grid. */
export function kitQuote(S: number, ts: number, symbol = KIT_CALL, size = 20): OptionQuote {
  const right = symbol === KIT_PUT ? 'P' : 'C';
  const v = bsPrice({ right, spot: S, strike: 5700, t: yearFraction(ts, KIT_DATE, 'PM'), vol: KIT_VOL, rate: 0.045 });
  const bid = Math.max(0.05, roundToTick('SPXW', v - 0.05, 'down'));
  const ask = roundToTick('SPXW', Math.max(v + 0.05, bid + 0.05), 'up');
  return { type: 'OptionQuote', ts, symbol, bid, ask, bidSize: size, askSize: size, bidExchange: 0, askExchange: 0, seq: 0 };
}

export function kitIndex(S: number, ts: number): IndexValue {
  return { type: 'IndexValue', ts, symbol: 'I:SPX', value: S };
}

export function kitIntent(over: Partial<OrderIntent> & { id: string }, S = 5700, ts = KT0): OrderIntent {
  const symbol = over.optionSymbol ?? KIT_CALL;
  const q = kitQuote(S, ts, symbol);
  const right = symbol === KIT_PUT ? 'P' : 'C';
  const dir = right === 'C' ? 1 : -1;
  return {
    type: 'OrderIntent',
    ts,
    signalId: `sig-${over.id}`,
    underlying: 'SPX',
    root: 'SPXW',
    optionSymbol: symbol,
    right,
    expiry: KIT_DATE,
    strike: 5700,
    quantity: 2,
    side: 'buy_to_open',
    limitPrice: q.ask,
    takeProfit: roundToTick('SPXW', q.ask * 1.8, 'up'),
    stopPrice: roundToTick('SPXW', q.bid * 0.5, 'down'),
    underlyingStop: S - dir * 10,
    underlyingTarget: S + dir * 20,
    timeStop: ts + 30 * 60_000,
    playbook: 'kit',
    bidAtDecision: q.bid,
    askAtDecision: q.ask,
    ...over,
  };
}

export function kitOms(cfg: OmsConfigInput = {}, deps: Partial<OmsDeps> = {}) {
  const config = omsConfigSchema.parse(cfg);
  const sim = new SimBroker(config.sim);
  const broker: BrokerPort = deps.broker ?? sim;
  const journal = new MemoryJournal();
  const input = new Subject<OmsInput>();
  const out: OmsOutput[] = [];
  const errors: unknown[] = [];
  let completed = false;
  const sub = input.pipe(oms(config, { journal, ...deps, broker })).subscribe({
    next: (o) => out.push(o),
    error: (e: unknown) => errors.push(e),
    complete: () => (completed = true),
  });
  const send = (...evs: OmsInput[]) => evs.forEach((e) => input.next(e));
  /** Underlying at S and the option quote consistent with it, at ts. */
  const move = (S: number, ts: number, symbol = KIT_CALL) => send(kitIndex(S, ts), kitQuote(S, ts, symbol));
  const of = <T extends OmsOutput['type']>(type: T) => out.filter((o): o is Extract<OmsOutput, { type: T }> => o.type === type);
  return { config, sim, broker, journal, input, out, errors, send, move, of, sub, isCompleted: () => completed };
}
