/**
 * GateKeeper: the state contextual gating needs, and the one place that turns a SignalIntent plus that state into
 * a `gatePolicy` context. No RxJS; owned by the `gating` and `signals` operators (one per subscription).
 *
 * State, per underlying: the latest Features record; the last non-null ATM IVs and expected move with their time
 * (the surface blinks to null while quotes refresh; values up to `ivMaxAgeSec` old still count); the regime
 * (warming until told); the last losing TradeClosed; the active signal (id, time stop) — released by a
 * TradeClosed on the underlying (matching `signalId` when given) or when event time passes its time stop; and
 * per playbook/underlying/direction the last allowed signal's time.
 */
import type { Session } from '../../domain/calendar.js';
import type { Underlying } from '../../domain/instruments.js';
import type { SignalIntent } from '../../domain/orders.js';
import type { ChainView } from '../../quant/signals/chainView.js';
import { resolveExpiry } from '../../quant/signals/resolveExpiry.js';
import type { Features } from '../features/featuresRecord.js';
import { gatePolicy, type GateReason } from './gatePolicy.js';
import type { TradeClosed } from './signalEvents.js';
import { PLAYBOOK_NAMES, type PlaybookName, type RegimeName, type SignalsConfig } from './signalsConfig.js';

interface UnderlyingGateState {
  features: Features | null;
  iv0: number | null;
  iv0Ts: number;
  ivNext: number | null;
  ivNextTs: number;
  em: number | null;
  emTs: number;
  regime: RegimeName;
  lastLossTs: number | null;
  active: { readonly id: string; readonly until: number } | null;
}

export class GateKeeper {
  private readonly states = new Map<Underlying, UnderlyingGateState>();
  private readonly lastAllowed = new Map<string, number>();

  constructor(private readonly config: SignalsConfig) {}

  onFeatures(f: Features): void {
    const s = this.stateOf(f.underlying);
    s.features = f;
    if (f.atmIv0dte !== null) {
      s.iv0 = f.atmIv0dte;
      s.iv0Ts = f.ts;
    }
    if (f.atmIvNext !== null) {
      s.ivNext = f.atmIvNext;
      s.ivNextTs = f.ts;
    }
    if (f.expectedMoveToClose !== null) {
      s.em = f.expectedMoveToClose;
      s.emTs = f.ts;
    }
  }

  onRegime(u: Underlying, regime: RegimeName): void {
    this.stateOf(u).regime = regime;
  }

  onTradeClosed(t: TradeClosed): void {
    const s = this.stateOf(t.underlying);
    if (t.pnl < 0) s.lastLossTs = t.ts;
    if (s.active !== null && (t.signalId === undefined || t.signalId === s.active.id)) s.active = null;
  }

  /** ATM IV for a contract wish at ts: the wished tenor's last known value, else the other tenor's; null if too old. */
  ivFor(u: Underlying, wish: '0dte' | 'next', ts: number): number | null {
    const s = this.stateOf(u);
    const maxAge = this.config.gating.ivMaxAgeSec * 1000;
    const iv0 = s.iv0 !== null && ts - s.iv0Ts <= maxAge ? s.iv0 : null;
    const ivN = s.ivNext !== null && ts - s.ivNextTs <= maxAge ? s.ivNext : null;
    return wish === '0dte' ? (iv0 ?? ivN) : (ivN ?? iv0);
  }

  evaluate(intent: SignalIntent, session: Session | null, chain: ChainView): GateReason {
    const cfg = this.config;
    const s = this.stateOf(intent.underlying);
    const ts = intent.ts;
    const pb = cfg.playbooks[playbookName(intent.playbook)];
    const f = s.features;
    const maxAge = cfg.selection.maxQuoteAgeSec * 1000;
    let optionSpreadPct: number | null = null;
    if (session !== null) {
      const where = resolveExpiry(intent.underlying, intent.contract.expiry, session.date, chain, ts, maxAge, cfg.selection.fallbackToNext);
      const atm = where === null ? null : chain.nearest(where.root, where.expiry, intent.direction === 'calls' ? 'C' : 'P', intent.refPrice, ts, maxAge);
      if (atm !== null) optionSpreadPct = (atm.ask - atm.bid) / ((atm.ask + atm.bid) / 2);
    }
    return gatePolicy(
      {
        ts,
        session,
        regimes: pb.regimes,
        window: pb.window,
        regime: s.regime,
        strength: intent.strength,
        activeUntil: s.active?.until ?? null,
        lastLossTs: s.lastLossTs,
        lastSameSignalTs: this.lastAllowed.get(sameKey(intent)) ?? null,
        spreadBps: f !== null && f.ts <= ts ? f.spreadBps : null,
        optionSpreadPct,
        iv: this.ivFor(intent.underlying, intent.contract.expiry, ts),
        expectedMove: s.em !== null && ts - s.emTs <= cfg.gating.ivMaxAgeSec * 1000 ? s.em : null,
        price: intent.refPrice,
        targetDistance: Math.abs(intent.underlyingTarget - intent.refPrice),
      },
      cfg.gating,
    );
  }

  /** Record an allowed (and placed) signal: starts its same-signal cooldown and makes it the active one. */
  allow(intent: SignalIntent): void {
    this.lastAllowed.set(sameKey(intent), intent.ts);
    this.stateOf(intent.underlying).active = { id: intent.id, until: intent.timeStop };
  }

  reset(): void {
    this.states.clear();
    this.lastAllowed.clear();
  }

  private stateOf(u: Underlying): UnderlyingGateState {
    let s = this.states.get(u);
    if (s === undefined) {
      s = { features: null, iv0: null, iv0Ts: 0, ivNext: null, ivNextTs: 0, em: null, emTs: 0, regime: 'warming', lastLossTs: null, active: null };
      this.states.set(u, s);
    }
    return s;
  }
}

function sameKey(i: SignalIntent): string {
  return `${i.playbook}|${i.underlying}|${i.direction}`;
}

function playbookName(name: string): PlaybookName {
  if ((PLAYBOOK_NAMES as readonly string[]).includes(name)) return name as PlaybookName;
  throw new Error(`GateKeeper: unknown playbook ${JSON.stringify(name)}`);
}
