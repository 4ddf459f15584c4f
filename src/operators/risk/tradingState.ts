/**
 * TradingState: ACTIVE (entries and exits) / REDUCING (exits only) / HALTED (no orders; the kill switch's
 * cancel-and-flatten commands are the only way out of positions). Every change is a TradingStateChanged event
 * carrying its reason; asking for the state already in force changes nothing and records nothing.
 */
import type { TradingStateChanged, TradingStateName } from '../../domain/orders.js';

export class TradingState {
  private current: TradingStateName;

  constructor(initial: TradingStateName = 'ACTIVE') {
    this.current = initial;
  }

  get name(): TradingStateName {
    return this.current;
  }

  /** Move to `to`; the event to record, or null when already there. */
  transition(to: TradingStateName, reason: string, ts: number): TradingStateChanged | null {
    if (to === this.current) return null;
    const ev: TradingStateChanged = { type: 'TradingStateChanged', ts, from: this.current, to, reason };
    this.current = to;
    return ev;
  }
}
