/**
 * DecisionTally: the running summary of a pipeline's output, shared by replay (replayDay) and live (runLive) so
 * both count and fingerprint a run the same way. `decisionsHash` covers every non-market item in order
 * (EventHasher); `parityHash` only the decision items (PARITY_TYPES) — what a recorded live session and its replay
 * must agree on.
 */
import { isMarketEvent } from '../domain/events.js';
import type { PipelineEvent } from './buildPipeline.js';
import { EventHasher } from './eventHasher.js';

/** Items whose equality defines parity: intents, risk decisions and state, order commands, execution reports. */
const PARITY_TYPES = new Set(['SignalIntent', 'GateDecision', 'OrderIntent', 'OrderDenied', 'TradingStateChanged', 'CancelAllOrders', 'FlattenAll', 'FlatVerified', 'ExecutionReport', 'TradeClosed']);

const bump = (m: Record<string, number>, k: string, by = 1) => {
  m[k] = (m[k] ?? 0) + by;
};

export class DecisionTally {
  private readonly all = new EventHasher();
  private readonly parity = new EventHasher();
  features = 0;
  intents = 0;
  readonly signalsByPlaybook: Record<string, number> = {};
  readonly gateByReason: Record<string, number> = {};
  approved = 0;
  readonly denied: Record<string, number> = {};
  readonly stateChanges: string[] = [];
  fills = 0;
  trades = 0;
  wins = 0;
  netPnl = 0;
  readonly pnlByPlaybook: Record<string, number> = {};
  omsErrors = 0;

  onEvent = (e: PipelineEvent): void => {
    if (isMarketEvent(e)) return;
    this.all.add(e);
    if (PARITY_TYPES.has(e.type)) this.parity.add(e);
    switch (e.type) {
      case 'Features':
        this.features++;
        return;
      case 'SignalIntent':
        this.intents++;
        bump(this.signalsByPlaybook, e.playbook);
        return;
      case 'GateDecision':
        bump(this.gateByReason, e.reason);
        return;
      case 'OrderIntent':
        this.approved++;
        return;
      case 'OrderDenied':
        bump(this.denied, e.reason);
        return;
      case 'TradingStateChanged':
        this.stateChanges.push(`${e.from}→${e.to}: ${e.reason}`);
        return;
      case 'ExecutionReport':
        if (e.fillQuantity > 0) this.fills++;
        return;
      case 'TradeClosed':
        this.trades++;
        if (e.pnl > 0) this.wins++;
        this.netPnl += e.pnl;
        bump(this.pnlByPlaybook, e.playbook, e.pnl);
        return;
      case 'OmsError':
        this.omsErrors++;
        return;
      default:
        return;
    }
  };

  digest(): { decisionsHash: string; parityHash: string } {
    return { decisionsHash: this.all.digest(), parityHash: this.parity.digest() };
  }
}
