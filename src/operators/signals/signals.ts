/**
 * signals: the decision stage — Features and market events in; signal intents, gate decisions and order intents
 * out (order intents go on to risk).
 *
 * Input events (SignalsInput, one stream in ts order):
 *   - Features: classify the underlying's regime (RegimeClassifier), run the enabled playbooks on it
 *     (PlaybookSet, config order), gate what they complete, select a contract for what gating allows.
 *   - OptionQuote: the chain view (latest NBBO per contract) used for the ATM option-spread gate and contract
 *     selection. Other MarketEvents (Trade, Quote, Timer, Heartbeat…) are accepted and ignored: every decision is
 *     taken on a Features record, and time-based state (time stops, cooldowns) is compared against event time
 *     lazily at the next decision.
 *   - TradeClosed: loss cooldown; releases the underlying's active signal.
 *   - ChangePoint: resets that underlying's regime hysteresis (learner seam, see RegimeClassifier).
 * Output events (SignalsOutput), per completed setup, in decreasing strength (ties: config order):
 *   SignalIntent, then exactly one GateDecision for it — allowed (reason `allowed`) followed by its OrderIntent,
 *   or denied with the gate's reason (gatePolicy) or contract selection's (`no-chain`, `no-contract`, `no-iv`,
 *   `spread-too-wide`, `size-too-small`, `premium-too-low`). A signal becomes the underlying's active one only
 *   once its OrderIntent is out.
 * State (per subscription, in this closure): SessionClock, ChainView (expiries before today pruned on a new
 * session date), GateKeeper, a RegimeClassifier per underlying, a PlaybookSet.
 * Warm-up: regime `warming` until ATR/ADX exist; playbooks are silent until their own inputs exist; unknown
 * spreads or IV block (fail closed).
 * Time: event time only, NYSE calendar with early closes. Deterministic: same inputs + config → same outputs.
 */
import { Observable, type OperatorFunction } from 'rxjs';
import { assertNever } from '../../domain/events.js';
import type { Underlying } from '../../domain/instruments.js';
import type { SignalIntent } from '../../domain/orders.js';
import { ChainView } from '../../quant/signals/chainView.js';
import { RegimeClassifier } from '../../quant/signals/regimeClassifier.js';
import { SessionClock } from '../../quant/signals/sessionClock.js';
import type { Features } from '../features/featuresRecord.js';
import { selectContract } from './contractSelection.js';
import { GateKeeper } from './gateKeeper.js';
import { failedBreakoutFade } from './playbooks/failedBreakoutFade.js';
import { openingRangeBreakout } from './playbooks/openingRangeBreakout.js';
import type { PlaybookFactory } from './playbooks/playbook.js';
import { PlaybookSet } from './playbooks/playbookSet.js';
import { trendPullback } from './playbooks/trendPullback.js';
import { vwapReversion } from './playbooks/vwapReversion.js';
import type { SignalsInput, SignalsOutput } from './signalEvents.js';
import { PLAYBOOK_NAMES, type PlaybookName, type SignalsConfig } from './signalsConfig.js';

const PLAYBOOKS: Readonly<Record<PlaybookName, (c: SignalsConfig) => ReturnType<PlaybookFactory>>> = {
  vwapReversion,
  trendPullback,
  openingRangeBreakout,
  failedBreakoutFade,
};

const byStrength = (a: SignalIntent, b: SignalIntent): number => b.strength - a.strength;

export function signals(config: SignalsConfig): OperatorFunction<SignalsInput, SignalsOutput> {
  const factories: PlaybookFactory[] = PLAYBOOK_NAMES.filter((n) => config.playbooks[n].enabled).map((n) => () => PLAYBOOKS[n](config));
  return (source) =>
    new Observable<SignalsOutput>((subscriber) => {
      const clock = new SessionClock();
      const chain = new ChainView();
      const keeper = new GateKeeper(config);
      const books = new PlaybookSet(factories);
      const classifiers = new Map<Underlying, RegimeClassifier>();
      let chainDate: string | null = null;

      const classifierOf = (u: Underlying): RegimeClassifier => {
        let c = classifiers.get(u);
        if (c === undefined) {
          c = new RegimeClassifier(config.regime);
          classifiers.set(u, c);
        }
        return c;
      };

      const decide = (intent: SignalIntent, f: Features, date: string | null): void => {
        subscriber.next(intent);
        const session = clock.at(intent.ts);
        const gate = keeper.evaluate(intent, session, chain);
        const base = { type: 'GateDecision', ts: intent.ts, underlying: intent.underlying, playbook: intent.playbook, intentId: intent.id } as const;
        if (gate !== 'allowed' || date === null) {
          subscriber.next({ ...base, allowed: false, reason: gate });
          return;
        }
        const sel = selectContract(
          { intent, spot: f.price, ts: f.ts, date, fallbackIv: keeper.ivFor(intent.underlying, intent.contract.expiry, f.ts) },
          chain,
          config.selection,
        );
        if (!sel.ok) {
          subscriber.next({ ...base, allowed: false, reason: sel.reason });
          return;
        }
        keeper.allow(intent);
        subscriber.next({ ...base, allowed: true, reason: 'allowed' });
        subscriber.next(sel.order);
      };

      const onFeatures = (f: Features): void => {
        const session = clock.at(f.ts);
        const date = session?.date ?? null;
        if (date !== null && date !== chainDate) {
          chain.prune(date);
          chainDate = date;
        }
        keeper.onRegime(f.underlying, classifierOf(f.underlying).update(f, session).regime);
        keeper.onFeatures(f);
        const done = books.update(f, { session });
        if (done.length === 0) return;
        const ordered = done.length === 1 ? done : [...done].sort(byStrength);
        for (const intent of ordered) decide(intent, f, date);
      };

      return source.subscribe({
        next(ev) {
          switch (ev.type) {
            case 'Features':
              onFeatures(ev);
              return;
            case 'OptionQuote':
              chain.update(ev);
              return;
            case 'TradeClosed':
              keeper.onTradeClosed(ev);
              return;
            case 'ChangePoint':
              classifierOf(ev.underlying).changePoint();
              return;
            case 'Trade':
            case 'Quote':
            case 'Bar':
            case 'IndexValue':
            case 'OptionTrade':
            case 'ChainSnapshot':
            case 'Heartbeat':
            case 'Timer':
              return;
            default:
              return assertNever(ev, 'signals input');
          }
        },
        error(err: unknown) {
          subscriber.error(err);
        },
        complete() {
          subscriber.complete();
        },
      });
    });
}
