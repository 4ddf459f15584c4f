/**
 * Test kit for the Tradier broker: an OrderIntent factory, a broker wired to a FakeTradierServer with short
 * timeouts, a report collector and a `waitFor` helper. Test-only; nothing in production imports it.
 */
import type { Subscription } from 'rxjs';
import type { ExecutionReport, OrderIntent } from '../../../domain/orders.js';
import { FakeTradierServer, type FakeTradierServerOptions } from './fakeTradierServer.js';
import { TradierBroker, type TradierBrokerOptions } from './tradierBroker.js';

export const SPXW_CALL = 'O:SPXW250725C05900000';

export function testIntent(over: Partial<OrderIntent> = {}): OrderIntent {
  return {
    type: 'OrderIntent',
    ts: 1_753_450_000_000,
    id: 'scalp-42',
    signalId: 'sig-42',
    underlying: 'SPX',
    root: 'SPXW',
    optionSymbol: SPXW_CALL,
    right: 'C',
    expiry: '2025-07-25',
    strike: 5900,
    quantity: 1,
    side: 'buy_to_open',
    limitPrice: 4.2,
    takeProfit: 5,
    stopPrice: 3.4,
    underlyingStop: 5880,
    underlyingTarget: 5920,
    timeStop: 1_753_460_000_000,
    playbook: 'test',
    bidAtDecision: 4.1,
    askAtDecision: 4.2,
    ...over,
  };
}

export async function waitFor<T>(probe: () => T | undefined | null | false, timeoutMs = 3_000, what = 'condition'): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface Rig {
  readonly server: FakeTradierServer;
  readonly broker: TradierBroker;
  readonly reports: ExecutionReport[];
  readonly logs: string[];
  subscribe(): void;
  close(): Promise<void>;
}

export async function startRig(
  brokerOpts: Partial<TradierBrokerOptions> = {},
  serverOpts: FakeTradierServerOptions = {},
  existing?: FakeTradierServer,
): Promise<Rig> {
  const server = existing ?? (await FakeTradierServer.start(serverOpts));
  const logs: string[] = [];
  const broker = new TradierBroker({
    baseUrl: server.baseUrl,
    accountId: server.accountId,
    token: server.token,
    proxy: false,
    pollIntervalMs: 50,
    requestTimeoutMs: 500,
    orderTimeoutMs: 300,
    retryBaseMs: 10,
    stream: { heartbeatTimeoutMs: 5_000, reconnectDelayMs: 20 },
    log: (level, msg, fields) => logs.push(`${level} ${msg} ${fields ? JSON.stringify(fields) : ''}`),
    ...brokerOpts,
  });
  const reports: ExecutionReport[] = [];
  let sub: Subscription | null = null;
  return {
    server,
    broker,
    reports,
    logs,
    subscribe() {
      sub ??= broker.reports$.subscribe((r) => reports.push(r));
    },
    async close() {
      sub?.unsubscribe();
      broker.close();
      if (!existing) await server.close();
    },
  };
}
