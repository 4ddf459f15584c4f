/**
 * SignalsTally: counts of the signals stage's output for summaries (CLI, reports, dashboard): signal intents and
 * order intents per playbook, gate decisions per reason (overall and per playbook). Keys are sorted in
 * `summary()`, so two tallies of the same run compare equal.
 */
import type { SignalsOutput } from './signalEvents.js';

export interface SignalsSummary {
  readonly signals: Readonly<Record<string, number>>;
  readonly orders: Readonly<Record<string, number>>;
  readonly gateReasons: Readonly<Record<string, number>>;
  /** `${playbook} ${reason}` → count. */
  readonly gateByPlaybook: Readonly<Record<string, number>>;
}

export class SignalsTally {
  private readonly signals = new Map<string, number>();
  private readonly orders = new Map<string, number>();
  private readonly reasons = new Map<string, number>();
  private readonly byPlaybook = new Map<string, number>();

  add(o: SignalsOutput): void {
    switch (o.type) {
      case 'SignalIntent':
        bump(this.signals, o.playbook);
        return;
      case 'OrderIntent':
        bump(this.orders, o.playbook);
        return;
      case 'GateDecision':
        bump(this.reasons, o.reason);
        bump(this.byPlaybook, `${o.playbook} ${o.reason}`);
        return;
    }
  }

  summary(): SignalsSummary {
    return { signals: sorted(this.signals), orders: sorted(this.orders), gateReasons: sorted(this.reasons), gateByPlaybook: sorted(this.byPlaybook) };
  }
}

function bump(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

function sorted(m: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
