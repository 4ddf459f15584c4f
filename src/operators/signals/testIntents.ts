/**
 * testIntents: helpers for the playbook marble tests (test support only).
 */
import { map, type OperatorFunction } from 'rxjs';
import type { SignalIntent } from '../../domain/orders.js';

const r6 = (x: number): number => Math.round(x * 1e6) / 1e6;

export interface PickedIntent {
  readonly id: string;
  readonly direction: string;
  readonly strength: number;
  readonly refPrice: number;
  readonly stop: number;
  readonly target: number;
  readonly timeStop: number;
}

/** The fields the playbook tests assert on, rounded to 1e-6 so float noise does not fail deep equality. */
export function pickIntent(): OperatorFunction<SignalIntent, PickedIntent> {
  return map((s) => ({
    id: s.id,
    direction: s.direction,
    strength: r6(s.strength),
    refPrice: r6(s.refPrice),
    stop: r6(s.underlyingStop),
    target: r6(s.underlyingTarget),
    timeStop: s.timeStop,
  }));
}
