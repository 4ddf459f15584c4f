/**
 * buildPipeline(ports, config): the only place the stages are wired. Replay and live run this same function; they
 * differ only in the ports (source, broker, journal, control inputs) assembled in environments.ts.
 *
 *   source ─┐                                                                                          ┌─▶ output
 *   control ┼─▶ trampoline ─▶ features ─▶ change points ─▶ signals ─▶ learner ─▶ risk ─▶ OMS ─▶ round trips ┤
 *   feedback┘      ▲                                                                                      │
 *                  └──────── ExecutionReport, TradeClosed, BrokerPositions, BrokerState (the one feedback Subject)
 *
 * One sequential chain: every item passes every stage in order (`stage`): a stage hands the item to its operator
 * if it accepts it, the operator's outputs go on at once, then the item itself unless the stage consumes it. Risk
 * consumes the raw OrderIntents from signals and emits only the approved ones, so nothing unapproved reaches the
 * OMS.
 *
 * Learner (src/operators/learner): the change-point stage (when `learner.changePoint.enabled`) reads Features and
 * emits ChangePoint events before the record that completed the minute, so signals resets that underlying's regime
 * hysteresis first. The learner stage sits between signals and risk: it consumes signals' SignalIntent /
 * GateDecision / OrderIntent and re-emits them (pWin set, denials 'meta-label' / 'bandit' / 'change-point-pause',
 * quantity scaled) once the Features record that caused them arrives; it sees TradeClosed on the feedback pass.
 * The model comes from `ports.learnerModel` when given (null = none), else from `learner.model` under
 * <storage>/models. With no model (and no `learnerRecord` hook, no entry pause) the learner stage is not inserted —
 * decisions are exactly those of signals — and the change-point stage emits only ChangePoint events.
 *
 * Feedback: what the OMS reports (fills, flat-position snapshots, broker reachability) and the round trips built
 * from it go into the single feedback Subject. The trampoline at the head queues them and runs each through the
 * chain right after the item that caused it has finished its pass — never in the middle of another stage's work
 * — so risk sees fills before the next market event and replay stays deterministic. Fed-back items are not
 * output a second time and are not re-counted by the round-trip stage.
 *
 * Time: event time only; the control input (kill switch, pause/resume) is stamped by risk with the current event
 * time.
 */
import { Observable, Subject, type OperatorFunction } from 'rxjs';
import type { Config } from '../domain/configSchema.js';
import { isMarketEvent, type MarketEvent } from '../domain/events.js';
import type { ExecutionReport, OrderIntent } from '../domain/orders.js';
import { features } from '../operators/features/features.js';
import type { Features } from '../operators/features/featuresRecord.js';
import type { EconomicCalendar } from '../operators/risk/economicCalendar.js';
import { risk } from '../operators/risk/risk.js';
import type { BrokerPositions, BrokerState, KillSwitch, RiskInput, TradingControl } from '../operators/risk/riskEvents.js';
import type { SignalsInput, TradeClosed } from '../operators/signals/signalEvents.js';
import { signals } from '../operators/signals/signals.js';
import { regime } from '../operators/signals/regime.js';
import type { ChangePoint, RegimeState } from '../operators/signals/signalEvents.js';
import { roundTrips } from '../operators/trades/roundTrips.js';
import type { BrokerPort } from '../sinks/oms/BrokerPort.js';
import type { Journal } from '../sinks/oms/journal.js';
import { oms, type OmsDeps } from '../sinks/oms/oms.js';
import type { OmsInput } from '../sinks/oms/omsEvents.js';
import { stage } from './stage.js';
import type { LearnerModel } from '../quant/learning/learnerModel.js';
import { changePoints } from '../operators/learner/changePoints.js';
import { learner, type LearnerDeps } from '../operators/learner/learner.js';
import type { LearnerInput } from '../operators/learner/learnerEvents.js';
import { loadLearnerModel } from '../operators/learner/modelStore.js';

export interface PipelinePorts {
  /** One ordered stream of market events (replay: the day's catalog; live: the sockets + heartbeats). */
  readonly source$: Observable<MarketEvent>;
  readonly broker: BrokerPort;
  readonly journal?: Journal | null;
  /** Economic calendar for halt windows; null → risk allows no entries ('calendar-missing'). */
  readonly calendar: EconomicCalendar | null;
  /** Manual controls: kill switch, pause/resume. */
  readonly control$?: Observable<KillSwitch | TradingControl>;
  readonly reconciled?: OmsDeps['reconciled'];
  /** Learner model; undefined → the one `learner.model` selects under <storage>/models; null → none. */
  readonly learnerModel?: LearnerModel | null;
  /** Calibration hook: every SignalIntent with its context vectors (runs the learner stage even without a model). */
  readonly learnerRecord?: LearnerDeps['record'];
  /** Called after every online bandit update (persisting the bandit across live sessions). */
  readonly onBanditUpdate?: LearnerDeps['onBanditUpdate'];
}

type Feedback = ExecutionReport | TradeClosed | BrokerPositions | BrokerState;

/** Everything that flows: market events, features, decisions, orders, reports. */
export type PipelineEvent = Item;
type Item =
  | MarketEvent
  | Features
  | SignalsInput
  | import('../operators/signals/signalEvents.js').SignalsOutput
  | import('../operators/risk/riskEvents.js').RiskOutput
  | import('../sinks/oms/omsEvents.js').OmsOutput
  | RiskInput
  | TradeClosed
  | RegimeState;

export function buildPipeline(ports: PipelinePorts, config: Config): Observable<PipelineEvent> {
  return new Observable<PipelineEvent>((subscriber) => {
    let model: LearnerModel | null;
    try {
      model = ports.learnerModel !== undefined ? ports.learnerModel : (loadLearnerModel(config)?.model ?? null);
    } catch (e) {
      subscriber.error(e);
      return;
    }
    const learnerOn = model !== null || ports.learnerRecord !== undefined || config.learner.pauseAfterChangeMin > 0;
    const identity: OperatorFunction<Item, Item> = (s) => s;
    const feedback = new Subject<Feedback>();
    const fedBack = new WeakSet<object>();

    const isSignalsInput = (x: Item): x is SignalsInput =>
      x.type === 'Features' || x.type === 'OptionQuote' || x.type === 'TradeClosed' || x.type === 'ChangePoint' || x.type === 'Timer';
    const isRiskInput = (x: Item): x is RiskInput =>
      isMarketEvent(x) ||
      x.type === 'OrderIntent' ||
      x.type === 'ExecutionReport' ||
      x.type === 'FeedState' ||
      x.type === 'BrokerState' ||
      x.type === 'KillSwitch' ||
      x.type === 'TradingControl' ||
      x.type === 'BrokerPositions';
    const isOmsInput = (x: Item): x is OmsInput =>
      isMarketEvent(x) || x.type === 'OrderIntent' || x.type === 'CancelAllOrders' || x.type === 'FlattenAll' || x.type === 'FlatVerified';
    const isFeatures = (x: Item): x is Features => x.type === 'Features';
    const isLearnerInput = (x: Item): x is LearnerInput =>
      x.type === 'SignalIntent' ||
      x.type === 'GateDecision' ||
      x.type === 'OrderIntent' ||
      x.type === 'Features' ||
      x.type === 'ChangePoint' ||
      x.type === 'TradeClosed';
    const isDecision = (x: Item) => x.type === 'SignalIntent' || x.type === 'GateDecision' || x.type === 'OrderIntent';
    const learnerDeps: LearnerDeps = {
      model,
      signals: config.signals,
      ...(ports.learnerRecord ? { record: ports.learnerRecord } : {}),
      ...(ports.onBanditUpdate ? { onBanditUpdate: ports.onBanditUpdate } : {}),
    };
    const isRegimeInput = (x: Item): x is Features | ChangePoint => x.type === 'Features' || x.type === 'ChangePoint';
    const isTradeInput = (x: Item): x is OrderIntent | ExecutionReport =>
      (x.type === 'OrderIntent' || x.type === 'ExecutionReport') && !fedBack.has(x);

    const chain: OperatorFunction<Item, Item> = (head) =>
      head.pipe(
        stage<Item, MarketEvent, Item>(features(config.features) as OperatorFunction<MarketEvent, Item>, isMarketEvent),
        config.learner.changePoint.enabled
          ? stage(changePoints(config.learner.changePoint) as OperatorFunction<Features, Item>, isFeatures)
          : identity,
        // Regime changes for the outputs (dashboard, reports): the same classifier and config signals gates with,
        // fed the same Features and change points, published once per change.
        stage(regime(config.signals.regime) as OperatorFunction<Features | ChangePoint, Item>, isRegimeInput),
        stage(signals(config.signals) as OperatorFunction<SignalsInput, Item>, isSignalsInput),
        learnerOn ? stage(learner(config.learner, learnerDeps) as OperatorFunction<LearnerInput, Item>, isLearnerInput, isDecision) : identity,
        stage(risk(config.risk, { calendar: ports.calendar }) as OperatorFunction<RiskInput, Item>, isRiskInput, (x) => x.type === 'OrderIntent'),
        stage(
          oms(config.oms, { broker: ports.broker, journal: ports.journal ?? null, ...(ports.reconciled ? { reconciled: ports.reconciled } : {}) }) as OperatorFunction<OmsInput, Item>,
          isOmsInput,
        ),
        stage(roundTrips() as OperatorFunction<OrderIntent | ExecutionReport, Item>, isTradeInput),
      );

    // Trampoline: one item at a time through the whole chain; feedback queued behind the current item.
    const head = new Observable<Item>((h) => {
      const queue: Item[] = [];
      let draining = false;
      let sourceDone = false;
      const drain = () => {
        if (draining) return;
        draining = true;
        try {
          while (queue.length > 0 && !h.closed) h.next(queue.shift()!);
        } finally {
          draining = false;
        }
        if (sourceDone && queue.length === 0) h.complete();
      };
      const enqueue = (x: Item) => {
        queue.push(x);
        drain();
      };
      const fb = feedback.subscribe((x) => {
        fedBack.add(x);
        enqueue(x);
      });
      const ctl = ports.control$?.subscribe({ next: enqueue, error: (e: unknown) => h.error(e) });
      const src = ports.source$.subscribe({
        next: enqueue,
        error: (e: unknown) => h.error(e),
        complete: () => {
          sourceDone = true;
          drain();
        },
      });
      return () => {
        src.unsubscribe();
        ctl?.unsubscribe();
        fb.unsubscribe();
      };
    });

    const sub = head.pipe(chain).subscribe({
      next: (x) => {
        if (fedBack.has(x)) return;
        switch (x.type) {
          case 'ExecutionReport':
          case 'TradeClosed':
          case 'BrokerPositions':
          case 'BrokerState':
            subscriber.next(x);
            feedback.next(x);
            return;
          default:
            subscriber.next(x);
        }
      },
      error: (e: unknown) => subscriber.error(e),
      complete: () => subscriber.complete(),
    });
    return () => {
      sub.unsubscribe();
      feedback.complete();
    };
  });
}
