/**
 * The learner's feature vectors, shared by the online operator and the offline calibration so training and
 * serving compute exactly the same numbers (no train/serve skew).
 *
 * Context (bandit, `CONTEXT_FEATURES`): bias, regime one-hot (warming, trend, range, high-vol, illiquid), time of
 * day (fraction of the session and its square), IV level (0DTE ATM IV, else the next expiry's; 0 + a missing flag
 * when unknown), trend strength (ADX/50), spread (microstructure NBBO spread in bps / 5, capped at 10) and the
 * change-point run length (log(1 + expected run length in minutes) / log(241)).
 *
 * Meta-labeling (`META_FEATURES`): the context plus the signal itself — direction (+1 calls, −1 puts), strength,
 * reward/risk on the underlying levels, stop distance in ATRs, signed distance from VWAP in σ (capped ±5), and the
 * playbook one-hot.
 * Nulls (warming indicators) become 0 — never NaN — so a model always gets a finite row.
 */
import type { SignalIntent } from '../../domain/orders.js';
import type { Features } from '../../operators/features/featuresRecord.js';
import { PLAYBOOK_NAMES, REGIME_NAMES, type RegimeName } from '../../operators/signals/signalsConfig.js';
import { rewardRisk } from './tripleBarrier.js';

export interface SignalContext {
  readonly regime: RegimeName;
  /** Fraction of the session elapsed at the signal, 0..1 (clamped). */
  readonly sessionFraction: number;
  readonly features: Features;
  /** Expected run length of the change-point posterior, minutes; null when no detector runs. */
  readonly runLengthMin: number | null;
}

export const CONTEXT_FEATURES: readonly string[] = [
  'bias',
  ...REGIME_NAMES.map((r) => `regime:${r}`),
  'tod',
  'tod2',
  'iv',
  'ivMissing',
  'adx',
  'spreadBps',
  'runLength',
];

export const META_FEATURES: readonly string[] = [
  ...CONTEXT_FEATURES,
  'direction',
  'strength',
  'rewardRisk',
  'stopAtr',
  'vwapSigma',
  ...PLAYBOOK_NAMES.map((p) => `playbook:${p}`),
];

const clamp = (x: number, lo: number, hi: number) => (x < lo ? lo : x > hi ? hi : x);
const LOG241 = Math.log(241);

export function contextVector(c: SignalContext): number[] {
  const f = c.features;
  const iv = f.atmIv0dte ?? f.atmIvNext;
  const tod = clamp(c.sessionFraction, 0, 1);
  const x: number[] = [1];
  for (const r of REGIME_NAMES) x.push(r === c.regime ? 1 : 0);
  x.push(
    tod,
    tod * tod,
    iv !== null && Number.isFinite(iv) ? clamp(iv, 0, 3) : 0,
    iv !== null && Number.isFinite(iv) ? 0 : 1,
    f.adx !== null ? clamp(f.adx / 50, 0, 2) : 0,
    f.spreadBps !== null ? clamp(f.spreadBps / 5, 0, 10) : 0,
    c.runLengthMin !== null ? clamp(Math.log1p(Math.max(0, c.runLengthMin)) / LOG241, 0, 2) : 0,
  );
  return x;
}

type IntentLevels = Pick<SignalIntent, 'direction' | 'strength' | 'refPrice' | 'underlyingStop' | 'underlyingTarget' | 'playbook'>;

export function metaVector(c: SignalContext, intent: IntentLevels): number[] {
  const f = c.features;
  const dir = intent.direction === 'calls' ? 1 : -1;
  const risk = Math.abs(intent.refPrice - intent.underlyingStop);
  const x = contextVector(c);
  x.push(
    dir,
    clamp(intent.strength, 0, 1),
    clamp(rewardRisk(intent) ?? 0, 0, 20),
    f.atr !== null && f.atr > 0 ? clamp(risk / f.atr, 0, 20) : 0,
    f.vwap !== null && f.vwapSigma !== null && f.vwapSigma > 0 ? clamp((dir * (f.price - f.vwap)) / f.vwapSigma, -5, 5) : 0,
  );
  for (const p of PLAYBOOK_NAMES) x.push(p === intent.playbook ? 1 : 0);
  return x;
}
