import { omsConfigSchema } from './omsConfig.js';
import { runBrokerContract, type BrokerHarness } from './brokerContract.js';
import { SimBroker } from './simBroker.js';
import type { OptionQuote } from '../../domain/events.js';

function simHarness(): BrokerHarness {
  const sim = new SimBroker(omsConfigSchema.parse({}).sim);
  let seq = 0;
  return {
    broker: sim,
    quote(symbol, bid, ask, sizes, ts) {
      const q: OptionQuote = { type: 'OptionQuote', ts, symbol, bid, ask, bidSize: sizes.bid, askSize: sizes.ask, bidExchange: 0, askExchange: 0, seq: ++seq };
      sim.onMarket(q);
    },
    underlying(price, ts) {
      sim.onMarket({ type: 'IndexValue', ts, symbol: 'I:SPX', value: price });
    },
    advanceTo(ts) {
      sim.onMarket({ type: 'Heartbeat', ts });
    },
    closeSession(closeTs) {
      sim.onMarket({ type: 'Timer', ts: closeTs, name: 'SessionClose', at: closeTs });
    },
  };
}

runBrokerContract('SimBroker', simHarness);
