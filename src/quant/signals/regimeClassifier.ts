/**
 * RegimeClassifier: one underlying's market regime from its Features stream — trend / range / high-vol /
 * illiquid, or warming before the indicators it needs exist.
 *
 * Indication per record, first match wins (thresholds from `signals.regime`):
 *   1. high-vol during the first `openingVolatileSec` after the open (price discovery, whatever the indicators say);
 *   2. illiquid when the microstructure NBBO is one-sided/unknown or its spread ≥ `spreadBpsEnter`;
 *   3. high-vol when short realised vol ≥ `rvAbsEnter`, or short/long realised vol ≥ `rvRatioEnter`;
 *   4. warming while ATR or ADX/DI are still null, or the VWAP slope window is not yet covered;
 *   5. trend when ADX ≥ `adxTrendEnter`, |+DI − −DI| ≥ `diSpreadMin` and the VWAP slope over
 *      `vwapSlopeWindowSec` (in ATRs) is ≥ `vwapSlopeEnterAtr` in the dominant DI's direction;
 *   6. range otherwise.
 * Hysteresis: the regime currently held is tested with its looser exit thresholds (spreadBpsExit, rvAbsExit /
 * rvRatioExit, adxTrendExit / vwapSlopeExitAtr, DI still aligned), the others with their enter thresholds. A new
 * indication must persist `confirmSec` of event time, and the held regime must have lasted `minDwellSec`, before
 * the classifier switches (a trend flipping direction counts as a switch). Leaving `warming` is immediate.
 *
 * Change-point seam: `changePoint()` (the learner's detector, via a `ChangePoint` event) forgets the held regime,
 * its dwell and any pending indication, so the next record is classified afresh with enter thresholds and no
 * confirmation delay. A new New York session date does the same.
 *
 * State: held regime, since, direction, pending indication, VWAP samples of the slope window. Time: event time only.
 */
import type { Session } from '../../domain/calendar.js';
import type { Features } from '../../operators/features/featuresRecord.js';
import type { RegimeConfig, RegimeName } from '../../operators/signals/signalsConfig.js';

export interface RegimeValue {
  readonly regime: RegimeName;
  readonly since: number;
  readonly direction: -1 | 0 | 1;
}

interface Indication {
  readonly regime: RegimeName;
  readonly direction: -1 | 0 | 1;
}

export class RegimeClassifier {
  private held: RegimeValue | null = null;
  private pending: (Indication & { readonly since: number }) | null = null;
  private sessionDate: string | null = null;
  private readonly vwapTs: number[] = [];
  private readonly vwapVal: number[] = [];
  private head = 0;

  constructor(private readonly cfg: RegimeConfig) {}

  get value(): RegimeValue | null {
    return this.held;
  }

  update(f: Features, session: Session | null): RegimeValue {
    const date = session?.date ?? null;
    if (date !== this.sessionDate) {
      this.reset();
      this.sessionDate = date;
    }
    const slope = this.vwapSlope(f);
    const ind = this.indicate(f, session, slope);
    const held = this.held;
    if (held === null || held.regime === 'warming') {
      this.pending = null;
      if (held === null || ind.regime !== 'warming') this.held = { ...ind, since: f.ts };
      return this.held ?? { ...ind, since: f.ts };
    }
    if (ind.regime === held.regime && ind.direction === held.direction) {
      this.pending = null;
      return held;
    }
    const p = this.pending;
    if (p === null || p.regime !== ind.regime || p.direction !== ind.direction) this.pending = { ...ind, since: f.ts };
    const pending = this.pending!;
    const c = this.cfg;
    if (f.ts - pending.since >= c.confirmSec * 1000 && f.ts - held.since >= c.minDwellSec * 1000) {
      this.held = { regime: ind.regime, direction: ind.direction, since: f.ts };
      this.pending = null;
    }
    return this.held!;
  }

  /** Learner seam: forget hysteresis so the next record is classified afresh (see header). */
  changePoint(): void {
    this.held = null;
    this.pending = null;
  }

  reset(): void {
    this.held = null;
    this.pending = null;
    this.sessionDate = null;
    this.vwapTs.length = 0;
    this.vwapVal.length = 0;
    this.head = 0;
  }

  private indicate(f: Features, session: Session | null, slope: number | null): Indication {
    const c = this.cfg;
    const cur = this.held?.regime ?? null;
    if (session !== null && f.ts >= session.open && f.ts - session.open < c.openingVolatileSec * 1000) {
      return { regime: 'high-vol', direction: 0 };
    }
    if (f.spreadBps === null) return { regime: 'illiquid', direction: 0 };
    if (f.spreadBps >= (cur === 'illiquid' ? c.spreadBpsExit : c.spreadBpsEnter)) return { regime: 'illiquid', direction: 0 };
    const rvS = f.realizedVolShort;
    const rvL = f.realizedVolLong;
    if (rvS !== null) {
      const hv = cur === 'high-vol';
      const ratio = rvL !== null && rvL > 0 ? rvS / rvL : null;
      if (rvS >= (hv ? c.rvAbsExit : c.rvAbsEnter) || (ratio !== null && ratio >= (hv ? c.rvRatioExit : c.rvRatioEnter))) {
        return { regime: 'high-vol', direction: 0 };
      }
    }
    if (f.atr === null || f.adx === null || f.plusDi === null || f.minusDi === null || slope === null) {
      return { regime: 'warming', direction: 0 };
    }
    const di = f.plusDi - f.minusDi;
    const dir: -1 | 1 = di >= 0 ? 1 : -1;
    const s = slope;
    const holding = cur === 'trend' && this.held?.direction === dir;
    const trend = holding
      ? f.adx >= c.adxTrendExit && s * dir >= c.vwapSlopeExitAtr
      : f.adx >= c.adxTrendEnter && Math.abs(di) >= c.diSpreadMin && s * dir >= c.vwapSlopeEnterAtr;
    if (trend) return { regime: 'trend', direction: dir };
    return { regime: 'range', direction: 0 };
  }

  /** Change of the session VWAP over the slope window, in ATRs; null until the window is covered. */
  private vwapSlope(f: Features): number | null {
    if (f.vwap === null) return null;
    this.vwapTs.push(f.ts);
    this.vwapVal.push(f.vwap);
    const horizon = f.ts - this.cfg.vwapSlopeWindowSec * 1000;
    // Keep the newest sample at or before the horizon as the window's start.
    while (this.head + 1 < this.vwapTs.length && this.vwapTs[this.head + 1]! <= horizon) this.head++;
    if (this.head > 1024 && this.head * 2 > this.vwapTs.length) {
      this.vwapTs.splice(0, this.head);
      this.vwapVal.splice(0, this.head);
      this.head = 0;
    }
    const t0 = this.vwapTs[this.head]!;
    if (t0 > horizon || f.atr === null || !(f.atr > 0)) return null;
    return (f.vwap - this.vwapVal[this.head]!) / f.atr;
  }
}
