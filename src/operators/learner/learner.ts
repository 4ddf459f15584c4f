/**
 * learner: the meta-labeling filter and the playbook bandit, between signals and risk.
 *
 * Input events (LearnerInput, one stream in ts order):
 *   - SignalIntent, GateDecision, OrderIntent from signals: held in a batch (signals emits them, for one Features
 *     record, just BEFORE that record reaches this stage) and decided when the record arrives;
 *   - Features: updates the context (regime via the same RegimeClassifier as signals, session time, the change-point
 *     run length), then decides the batch
 *   - ChangePoint: resets the regime hysteresis (like signals) and starts the optional entry pause;
   (the run-length feature: a MinuteChangeDetector per underlying, fed the same Features as the change-point
 *   stage, so it holds the same posterior);
 *   - TradeClosed: realised R-multiple = pnl / ((limitPrice − stopPrice) × 100 × quantity) of the kept OrderIntent
 *     with that signalId → online bandit update (when `bandit.online`).
 * Output events, in the order received: every SignalIntent (with `pWin` when a meta-label model is loaded), exactly
 * one GateDecision for it, and its OrderIntent only if kept. An allowed intent is turned into a denied GateDecision
 * (same ts/ids) with reason
 *   'change-point-pause'  within `pauseAfterChangeMin` of a change point on its underlying,
 *   'meta-label'          calibrated pWin below the threshold (see learnerConfig: 'breakeven' or a number),
 *   'bandit'              the bandit preferred another candidate of the batch, or 'none' (every UCB ≤ 0 R).
 * Kept OrderIntents are re-sized quantity' = max(1, floor(quantity · min(1, pWin / fullSizeP))).
 * Note: signals already made a dropped intent its underlying's active signal, so like a risk denial it blocks
 * that underlying ('active-signal') until its time stop.
 *
 * Without a model (and without `record`/pause) buildPipeline does not insert this stage at all: a pass-through.
 * With a model lacking a part (no meta-label → no filter, no pWin; no bandit → no bandit) that part is skipped.
 *
 * `record(row)`: called for every SignalIntent with its context vectors (calibration uses it to build training
 * rows from exactly what the online learner sees). `onBanditUpdate(state)`: called after each online update
 * (a port for persisting the bandit between live sessions).
 * State (per subscription): the batch, per-underlying latest context (Features, regime classifier, run length,
 * last change point), a LinUCB copied from the model, kept intents awaiting their TradeClosed.
 * Time: event time only. Deterministic: same inputs + model → same outputs.
 */
import { Observable, type OperatorFunction } from 'rxjs';
import { MULTIPLIER, type Underlying } from '../../domain/instruments.js';
import type { GateDecision, OrderIntent, SignalIntent } from '../../domain/orders.js';
import { CONTEXT_FEATURES, META_FEATURES, contextVector, metaVector, type SignalContext } from '../../quant/learning/learnerFeatures.js';
import type { LearnerModel } from '../../quant/learning/learnerModel.js';
import { LinUcb, type LinUcbState } from '../../quant/learning/linUcb.js';
import { LogisticRegression } from '../../quant/learning/logisticRegression.js';
import { applyPlatt } from '../../quant/learning/plattScaling.js';
import { RegimeClassifier } from '../../quant/signals/regimeClassifier.js';
import { SessionClock } from '../../quant/signals/sessionClock.js';
import { rewardRisk } from '../../quant/learning/tripleBarrier.js';
import type { Features } from '../features/featuresRecord.js';
import type { RegimeName, SignalsConfig } from '../signals/signalsConfig.js';
import { MinuteChangeDetector } from '../../quant/learning/minuteChangeDetector.js';
import { bocpdParams } from './changePoints.js';
import type { LearnerConfig } from './learnerConfig.js';
import type { LearnerInput, LearnerOutput } from './learnerEvents.js';

export interface SignalRecord {
  readonly intent: SignalIntent;
  readonly context: readonly number[];
  readonly meta: readonly number[];
  readonly pWin: number | null;
}

export interface LearnerDeps {
  readonly model: LearnerModel | null;
  /** The signals config: its regime thresholds (the learner classifies regimes exactly like signals). */
  readonly signals: SignalsConfig;
  readonly record?: (row: SignalRecord) => void;
  readonly onBanditUpdate?: (state: LinUcbState) => void;
}

interface UnderlyingState {
  features: Features | null;
  regime: RegimeName;
  readonly classifier: RegimeClassifier;
  readonly detector: MinuteChangeDetector;
  runLengthMin: number | null;
  lastChangeTs: number | null;
}

interface Entry {
  intent: SignalIntent;
  gate: GateDecision | null;
  order: OrderIntent | null;
  pWin: number | null;
  context: number[] | null;
  deny: string | null;
}

const sameNames = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function learner(config: LearnerConfig, deps: LearnerDeps): OperatorFunction<LearnerInput, LearnerOutput> {
  const model = deps.model;
  if (model !== null && (!sameNames(model.contextFeatures, CONTEXT_FEATURES) || !sameNames(model.metaFeatures, META_FEATURES))) {
    throw new Error(`learner model ${model.hash.slice(0, 8)} was trained on other features than this version computes; recalibrate`);
  }
  const logistic = model?.metaLabel && config.filter.enabled ? LogisticRegression.fromJSON(model.metaLabel.logistic) : null;
  const platt = model?.metaLabel?.platt ?? null;
  const cpParams = bocpdParams(config.changePoint);
  return (source) =>
    new Observable<LearnerOutput>((subscriber) => {
      const clock = new SessionClock();
      const states = new Map<Underlying, UnderlyingState>();
      const bandit = model?.bandit && config.bandit.enabled ? LinUcb.fromJSON(model.bandit, config.bandit.alpha) : null;
      const awaiting = new Map<string, { arm: string; x: number[]; risk: number }>();
      const batch: (Entry | GateDecision)[] = [];
      const isGate = (x: Entry | GateDecision): x is GateDecision => 'type' in x;
      const byId = new Map<string, Entry>();

      const stateOf = (u: Underlying): UnderlyingState => {
        let s = states.get(u);
        if (s === undefined) {
          s = { features: null, regime: 'warming', classifier: new RegimeClassifier(deps.signals.regime),
            detector: new MinuteChangeDetector(cpParams, config.changePoint.priorVolBps),
            runLengthMin: null, lastChangeTs: null };
          states.set(u, s);
        }
        return s;
      };

      const contextOf = (intent: SignalIntent): SignalContext | null => {
        const s = states.get(intent.underlying);
        const f = s?.features;
        if (!s || !f) return null;
        const session = clock.at(intent.ts);
        const frac = session ? (intent.ts - session.open) / Math.max(1, session.close - session.open) : 0;
        return { regime: s.regime, sessionFraction: frac, features: f, runLengthMin: s.runLengthMin };
      };

      const flush = (): void => {
        if (batch.length === 0) return;
        const candidates: Entry[] = [];
        for (const item of batch) {
          if (isGate(item)) continue;
          const ctx = contextOf(item.intent);
          if (ctx !== null) {
            const meta = metaVector(ctx, item.intent);
            item.context = contextVector(ctx);
            if (logistic !== null && platt !== null) item.pWin = applyPlatt(platt, logistic.logit(meta));
            deps.record?.({ intent: item.intent, context: item.context, meta, pWin: item.pWin });
          }
          if (item.gate?.allowed !== true || item.order === null) continue;
          const s = states.get(item.intent.underlying);
          if (config.pauseAfterChangeMin > 0 && s?.lastChangeTs != null && item.intent.ts - s.lastChangeTs < config.pauseAfterChangeMin * 60_000) {
            item.deny = 'change-point-pause';
            continue;
          }
          if (item.pWin !== null) {
            const rr = rewardRisk(item.intent) ?? 1;
            const thr = config.filter.threshold === 'breakeven' ? 1 / (1 + rr) : config.filter.threshold;
            if (item.pWin < thr) {
              item.deny = 'meta-label';
              continue;
            }
          }
          candidates.push(item);
        }
        if (bandit !== null && candidates.length > 0) {
          const withCtx = candidates.filter((c) => c.context !== null);
          // One choice per context: candidates are all from the same Features record (same underlying and ts).
          const x = withCtx[0]?.context ?? null;
          if (x !== null) {
            const best = bandit.choose(x, withCtx.map((c) => c.intent.playbook), 0);
            let kept = false;
            for (const c of withCtx) {
              if (!kept && best !== null && c.intent.playbook === best.arm) kept = true;
              else c.deny = 'bandit';
            }
          }
        }
        for (const item of batch) {
          if (isGate(item)) {
            subscriber.next(item);
            continue;
          }
          const intent = item.pWin !== null ? { ...item.intent, pWin: item.pWin } : item.intent;
          subscriber.next(intent);
          if (item.gate !== null) {
            subscriber.next(item.deny !== null ? { ...item.gate, allowed: false, reason: item.deny } : item.gate);
          }
          if (item.order !== null && item.deny === null) {
            let order = item.order;
            if (item.pWin !== null) {
              const q = Math.max(1, Math.floor(order.quantity * Math.min(1, item.pWin / config.filter.fullSizeP)));
              if (q !== order.quantity) order = { ...order, quantity: q };
            }
            subscriber.next(order);
            if (bandit !== null && item.context !== null) {
              const risk = (order.limitPrice - order.stopPrice) * MULTIPLIER * order.quantity;
              if (risk > 0) awaiting.set(order.signalId, { arm: order.playbook, x: item.context, risk });
            }
          }
        }
        batch.length = 0;
        byId.clear();
      };

      return source.subscribe({
        next(ev) {
          switch (ev.type) {
            case 'SignalIntent': {
              const e: Entry = { intent: ev, gate: null, order: null, pWin: null, context: null, deny: null };
              batch.push(e);
              byId.set(ev.id, e);
              return;
            }
            case 'GateDecision': {
              const e = ev.intentId !== undefined ? byId.get(ev.intentId) : undefined;
              if (e !== undefined && e.gate === null) e.gate = ev;
              else batch.push(ev);
              return;
            }
            case 'OrderIntent': {
              const e = byId.get(ev.signalId);
              if (e !== undefined && e.order === null) e.order = ev;
              else {
                flush();
                subscriber.next(ev);
              }
              return;
            }
            case 'Features': {
              const s = stateOf(ev.underlying);
              s.features = ev;
              const session = clock.at(ev.ts);
              s.regime = s.classifier.update(ev, session).regime;
              s.detector.update(ev.ts, ev.price, session);
              const rl = s.detector.value;
              s.runLengthMin = rl !== null ? rl.expectedRunLength : null;
              flush();
              return;
            }
            case 'ChangePoint': {
              flush();
              const s = stateOf(ev.underlying);
              s.classifier.changePoint();
              s.lastChangeTs = ev.ts;
              return;
            }
            case 'TradeClosed': {
              flush();
              const a = ev.signalId !== undefined ? awaiting.get(ev.signalId) : undefined;
              if (a === undefined || bandit === null) return;
              awaiting.delete(ev.signalId!);
              if (!config.bandit.online) return;
              const clip = config.bandit.rewardClip;
              bandit.update(a.arm, a.x, Math.max(-clip, Math.min(clip, ev.pnl / a.risk)));
              deps.onBanditUpdate?.(bandit.toJSON());
              return;
            }
            default: {
              const never: never = ev;
              throw new Error(`learner: unexpected input ${JSON.stringify(never)}`);
            }
          }
        },
        error(e: unknown) {
          subscriber.error(e);
        },
        complete() {
          flush();
          subscriber.complete();
        },
      });
    });
}
