/**
 * The shared broker lifecycle contract (src/sinks/oms/brokerContract.ts) run against TradierBroker talking to the
 * local FakeTradierServer. The harness plays the market: each `quote` fills the fake's working legs the way the
 * SimBroker fill model does (scriptedMarket.ts), and the broker's report clock is the harness's event time.
 */
import { runBrokerContract, type BrokerHarness } from '../brokerContract.js';
import { FakeTradierServer } from './fakeTradierServer.js';
import { ScriptedMarket } from './scriptedMarket.js';
import { TradierBroker } from './tradierBroker.js';

runBrokerContract('TradierBroker + fake Tradier server', async (): Promise<BrokerHarness> => {
  const server = await FakeTradierServer.start();
  const market = new ScriptedMarket(server);
  const broker = new TradierBroker({
    baseUrl: server.baseUrl,
    accountId: server.accountId,
    token: server.token,
    proxy: false,
    pollIntervalMs: 25,
    requestTimeoutMs: 1_000,
    orderTimeoutMs: 1_000,
    retryBaseMs: 10,
    stream: { heartbeatTimeoutMs: 5_000, reconnectDelayMs: 20 },
    reportClock: () => market.eventTime,
    settlementValue: (underlying) => market.lastUnderlying(underlying),
  });
  return {
    broker,
    timeoutMs: 3_000,
    quote: (symbol, bid, ask, sizes, ts) => market.quote(symbol, bid, ask, sizes, ts),
    underlying: (price, ts) => market.underlying('SPX', price, ts),
    advanceTo: (ts) => market.advanceTo(ts),
    closeSession: (closeTs) => market.closeSession(closeTs),
    settle: () => broker.pollNow(),
    async dispose() {
      broker.close();
      await server.close();
    },
  };
});
