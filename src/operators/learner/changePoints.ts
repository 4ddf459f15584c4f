/**
 * changePoints: Bayesian online change-point detection per underlying (MinuteChangeDetector → Bocpd, Adams &
 * MacKay, src/quant/learning).
 *
 * Input events: Features (any cadence). The last price of each session minute closes it; each completed minute is
 * one observation: the 1-minute log return in units of `priorVolBps`. The normal-gamma model has unknown mean and
 * variance, so a shift in the level of returns or in their volatility both move the run-length posterior.
 * Output events: `ChangePoint {source: 'bocpd'}` when P(run < shortRunMin) crosses `threshold` (at most once per
 * `minSeparationMin`), stamped with the ts of the Features record that completed the minute — emitted BEFORE that
 * record, so signals resets the underlying's regime hysteresis before classifying it.
 * State (per subscription): a MinuteChangeDetector per underlying (reset on a new session date).
 * Warm-up: no observation until two minutes have closed; no change point before shortRunMin + 1 observations and
 * minSeparationMin minutes into the session.
 * Time: event time only.
 */
import { Observable, type OperatorFunction } from 'rxjs';
import type { Underlying } from '../../domain/instruments.js';
import type { BocpdParams } from '../../quant/learning/bocpd.js';
import { MinuteChangeDetector } from '../../quant/learning/minuteChangeDetector.js';
import { SessionClock } from '../../quant/signals/sessionClock.js';
import type { Features } from '../features/featuresRecord.js';
import type { ChangePoint } from '../signals/signalEvents.js';
import type { ChangePointConfig } from './learnerConfig.js';

export function bocpdParams(c: ChangePointConfig): BocpdParams {
  return {
    hazardLambda: c.hazardMin,
    maxRun: c.maxRunMin,
    mu0: 0,
    kappa0: 1,
    alpha0: 1,
    beta0: 1,
    shortRun: c.shortRunMin,
    threshold: c.threshold,
    minSeparation: c.minSeparationMin,
  };
}

export function changePoints(config: ChangePointConfig): OperatorFunction<Features, ChangePoint> {
  const params = bocpdParams(config);
  return (source) =>
    new Observable<ChangePoint>((subscriber) => {
      const clock = new SessionClock();
      const detectors = new Map<Underlying, MinuteChangeDetector>();
      return source.subscribe({
        next(f) {
          let d = detectors.get(f.underlying);
          if (d === undefined) {
            d = new MinuteChangeDetector(params, config.priorVolBps);
            detectors.set(f.underlying, d);
          }
          const step = d.update(f.ts, f.price, clock.at(f.ts));
          if (step?.changed) subscriber.next({ type: 'ChangePoint', ts: f.ts, underlying: f.underlying, source: 'bocpd' });
        },
        error: (e: unknown) => subscriber.error(e),
        complete: () => subscriber.complete(),
      });
    });
}
