/**
 * testEvents: terse MarketEvent constructors for the feature operators' marble tests (test support only).
 */
import type { Heartbeat, IndexValue, OptionQuote, Quote, Trade } from '../../domain/events.js';

let seq = 0;

export const testEvents = {
  trade(symbol: string, ts: number, price: number, size = 100, eligible = true): Trade {
    return { type: 'Trade', ts, symbol, price, size, exchange: 4, conditions: [], eligible, seq: ++seq };
  },
  quote(symbol: string, ts: number, bid: number, ask: number, bidSize = 100, askSize = 100): Quote {
    return { type: 'Quote', ts, symbol, bid, bidSize, ask, askSize, bidExchange: 4, askExchange: 4, seq: ++seq };
  },
  index(symbol: string, ts: number, value: number): IndexValue {
    return { type: 'IndexValue', ts, symbol, value };
  },
  heartbeat(ts: number): Heartbeat {
    return { type: 'Heartbeat', ts };
  },
  optionQuote(symbol: string, ts: number, bid: number, ask: number, bidSize = 10, askSize = 10): OptionQuote {
    return { type: 'OptionQuote', ts, symbol, bid, bidSize, ask, askSize, bidExchange: 1, askExchange: 1, seq: ++seq };
  },
};
