/**
 * Input and output events of the learner stage. The change-point stage emits signals' `ChangePoint`
 * (signalEvents.ts); the run-length feature is recomputed inside the learner from the same Features (no extra
 * event type flows through the pipeline).
 */
import type { GateDecision, OrderIntent, SignalIntent } from '../../domain/orders.js';
import type { Features } from '../features/featuresRecord.js';
import type { ChangePoint, TradeClosed } from '../signals/signalEvents.js';

export type LearnerInput = SignalIntent | GateDecision | OrderIntent | Features | ChangePoint | TradeClosed;
export type LearnerOutput = SignalIntent | GateDecision | OrderIntent;
