/**
 * Config section `signals` (mounted as `signals` in the root schema by the lead). Strict: unknown keys and
 * out-of-range values are errors. Every threshold of the regime classifier, the playbooks, contextual gating and
 * contract selection lives here; the defaults are what a user gets with no config at all.
 *
 * Units are in the key names: `Sec`/`Min` event-time durations, `Atr` multiples of the underlying's 1m ATR,
 * `Sigma` multiples of the session VWAP σ, `Bps` basis points of the price, `Pct` fractions (0.1 = 10%).
 */
import { z } from 'zod';
import { dividendYieldSchema, rateSchema } from '../../quant/options/pricingInputsSchema.js';

export const REGIME_NAMES = ['warming', 'trend', 'range', 'high-vol', 'illiquid'] as const;
export type RegimeName = (typeof REGIME_NAMES)[number];
const regimeName = z.enum(REGIME_NAMES);

export const PLAYBOOK_NAMES = ['vwapReversion', 'trendPullback', 'openingRangeBreakout', 'failedBreakoutFade'] as const;
export type PlaybookName = (typeof PLAYBOOK_NAMES)[number];

const ratio = z.number().min(0).max(1);
const atrMult = z.number().min(0).max(50);

/** Fields every playbook has: switch, weight, where (regimes) and when (window) it may act, holding and contract. */
function playbookCommon(d: {
  regimes: RegimeName[];
  startMin: number;
  endMinBeforeClose: number;
  holdMin: number;
  targetDelta: number;
}) {
  return {
    enabled: z.boolean().default(true),
    /** Multiplies the playbook's raw strength (clamped to 1); 0 mutes it without disabling its gate decisions. */
    weight: z.number().min(0).max(2).default(1),
    /** Regimes it may act in (gated: a setup in another regime is blocked with `regime-mismatch`). */
    regimes: z.array(regimeName).min(1).default(d.regimes),
    /** Minutes after the open / before the close delimiting when it may act (gated: `outside-playbook-window`). */
    window: z
      .strictObject({
        startMin: z.number().min(0).max(390).default(d.startMin),
        endMinBeforeClose: z.number().min(0).max(390).default(d.endMinBeforeClose),
      })
      .prefault({}),
    /** Time stop: minutes after the signal (capped at `timeStopBeforeCloseMin` before the close). */
    holdMin: z.number().min(1).max(390).default(d.holdMin),
    /** Contract wish: today's expiry (0DTE) or the next one, and the target |delta|. */
    expiry: z.enum(['0dte', 'next']).default('0dte'),
    targetDelta: z.number().min(0.05).max(0.95).default(d.targetDelta),
  };
}

export const signalsConfigSchema = z
  .strictObject({
    /** Time stops end at the latest this many minutes before the close (before the 15:50 flatten by default). */
    timeStopBeforeCloseMin: z.number().min(0).max(120).default(12),

    regime: z
      .strictObject({
        /** Trend needs ADX ≥ enter to start and keeps it until ADX < exit (hysteresis band). */
        adxTrendEnter: z.number().min(0).max(100).default(25),
        adxTrendExit: z.number().min(0).max(100).default(20),
        /** … and |+DI − −DI| ≥ this, with the VWAP slope pointing the same way as the dominant DI. */
        diSpreadMin: z.number().min(0).max(100).default(5),
        /** VWAP slope = change of the session VWAP over this window, in ATRs. */
        vwapSlopeWindowSec: z.number().int().min(10).max(7200).default(600),
        vwapSlopeEnterAtr: z.number().min(0).max(20).default(0.25),
        vwapSlopeExitAtr: z.number().min(0).max(20).default(0.1),
        /** High-vol: short/long realised vol ratio, or short realised vol (annual decimal) above an absolute level. */
        rvRatioEnter: z.number().min(1).max(20).default(1.6),
        rvRatioExit: z.number().min(1).max(20).default(1.25),
        rvAbsEnter: z.number().min(0).max(10).default(0.6),
        rvAbsExit: z.number().min(0).max(10).default(0.45),
        /** Illiquid: microstructure NBBO spread (bps of mid) at or above enter; one-sided NBBO counts as illiquid. */
        spreadBpsEnter: z.number().min(0).max(1000).default(5),
        spreadBpsExit: z.number().min(0).max(1000).default(3),
        /** The first seconds after the open are price discovery: classified high-vol whatever the indicators say. */
        openingVolatileSec: z.number().int().min(0).max(3600).default(120),
        /** A different regime must be indicated continuously this long before the classifier switches … */
        confirmSec: z.number().min(0).max(3600).default(30),
        /** … and a regime is held at least this long once entered (minimum dwell, event time). */
        minDwellSec: z.number().min(0).max(7200).default(120),
      })
      .refine((r) => r.adxTrendExit <= r.adxTrendEnter, { message: 'adxTrendExit must be ≤ adxTrendEnter' })
      .refine((r) => r.rvRatioExit <= r.rvRatioEnter && r.rvAbsExit <= r.rvAbsEnter, {
        message: 'high-vol exit thresholds must be ≤ enter thresholds',
      })
      .refine((r) => r.spreadBpsExit <= r.spreadBpsEnter, { message: 'spreadBpsExit must be ≤ spreadBpsEnter' })
      .refine((r) => r.vwapSlopeExitAtr <= r.vwapSlopeEnterAtr, { message: 'vwapSlopeExitAtr must be ≤ vwapSlopeEnterAtr' })
      .prefault({}),

    playbooks: z
      .strictObject({
        /** Fade a stretch beyond the ±bandSigma VWAP band once price closes back inside it; target VWAP. */
        vwapReversion: z
          .strictObject({
            ...playbookCommon({ regimes: ['range'], startMin: 15, endMinBeforeClose: 30, holdMin: 20, targetDelta: 0.4 }),
            bandSigma: z.number().min(0.5).max(4).default(2),
            /** An excursion counts only when its extreme got this many ATRs beyond the band … */
            minExcursionAtr: atrMult.default(0.25),
            /** … and it ends (the signal) only when price is this many ATRs back inside the band (hysteresis). */
            reentryAtr: atrMult.default(0.1),
            /** Stop beyond the excursion's extreme by this many ATRs. */
            stopAtr: atrMult.default(0.5),
            /** Skip when |target − ref| / |ref − stop| is below this. */
            minRewardRisk: z.number().min(0).max(10).default(1),
          })
          .prefault({}),
        /** In a trend, buy the pullback to VWAP or the 1σ band once price resumes in the trend's direction. */
        trendPullback: z
          .strictObject({
            ...playbookCommon({ regimes: ['trend'], startMin: 30, endMinBeforeClose: 30, holdMin: 30, targetDelta: 0.45 }),
            adxMin: z.number().min(0).max(100).default(25),
            /** Price within this many ATRs of VWAP or the 1σ band (trend side) counts as a pullback. */
            touchAtr: atrMult.default(0.25),
            /** Resumption: price back this many ATRs off the pullback extreme, in the trend's direction. */
            resumeAtr: atrMult.default(0.5),
            /** Medium-window order-flow imbalance must not be against the trade by more than this. */
            maxAdverseOfi: ratio.default(0.3),
            stopAtr: atrMult.default(0.5),
            targetAtr: atrMult.default(2),
          })
          .prefault({}),
        /** Break of the first `rangeMin` minutes' high/low, confirmed by order-flow imbalance. */
        openingRangeBreakout: z
          .strictObject({
            ...playbookCommon({
              regimes: ['warming', 'range', 'trend', 'high-vol'],
              startMin: 15,
              endMinBeforeClose: 240,
              holdMin: 30,
              targetDelta: 0.45,
            }),
            rangeMin: z.number().min(1).max(120).default(15),
            /** The opening range is only valid when the feed started within this many seconds of the open. */
            startGraceSec: z.number().min(0).max(600).default(60),
            /** Breakout = beyond the range edge by this fraction of the range width. */
            bufferPct: z.number().min(0).max(2).default(0.05),
            /** Medium-window order-flow imbalance in the breakout's direction at least this. */
            minOfi: ratio.default(0.3),
            /** Stop at the range edge minus this fraction of the width back inside (0.5 = the range midpoint). */
            stopRangeFrac: z.number().min(0).max(1).default(0.5),
            /** Target: breakout edge plus this many range widths. */
            targetRangeMult: z.number().min(0.1).max(10).default(1),
            /** At most this many signals per direction per session. */
            maxPerDirection: z.number().int().min(1).max(20).default(1),
          })
          .prefault({}),
        /** A poke beyond a band or the opening-range edge that fails: back inside within failSec on reversed flow. */
        failedBreakoutFade: z
          .strictObject({
            ...playbookCommon({
              regimes: ['warming', 'range', 'high-vol'],
              startMin: 15,
              endMinBeforeClose: 30,
              holdMin: 15,
              targetDelta: 0.4,
            }),
            /** Levels: the ±bandSigma VWAP band and (once complete) the opening-range edges. */
            bandSigma: z.number().min(0.5).max(4).default(2),
            rangeMin: z.number().min(1).max(120).default(15),
            /** A poke must go beyond the level by at least this many ATRs … */
            pokeAtr: atrMult.default(0.1),
            /** … and be back inside within this many seconds. */
            failSec: z.number().min(1).max(3600).default(180),
            /** Short-window order-flow imbalance against the poke at least this at the re-entry (signed flow reversal). */
            minReversalOfi: ratio.default(0.3),
            stopAtr: atrMult.default(0.5),
            targetAtr: atrMult.default(1.5),
          })
          .prefault({}),
      })
      .prefault({}),

    gating: z
      .strictObject({
        /** No entries in the first seconds after the open … */
        openingDelaySec: z.number().int().min(0).max(3600).default(300),
        /** … nor in the last minutes before the close (13:00 on early-close days, via the NYSE calendar). */
        entryCutoffMin: z.number().min(0).max(390).default(30),
        /** Microstructure NBBO spread cap (bps of mid); an unknown spread blocks (fail closed). */
        maxUnderlyingSpreadBps: z.number().min(0).max(1000).default(3),
        /** ATM option (wished expiry, right of the signal) spread cap as a fraction of its mid. */
        maxOptionSpreadPct: z.number().gt(0).max(2).default(0.2),
        /** After a losing TradeClosed on an underlying, no entries on it for this long. */
        lossCooldownSec: z.number().min(0).max(86_400).default(600),
        /** After an allowed signal, the same playbook/underlying/direction waits this long. */
        sameSignalCooldownSec: z.number().min(0).max(86_400).default(300),
        /** At most one active (allowed, not yet closed or timed out) signal per underlying. */
        oneActivePerUnderlying: z.boolean().default(true),
        /** ATM IV (of the wished expiry, else the other) must be within [minIv, maxIv]. */
        minIv: z.number().min(0).max(5).default(0.05),
        maxIv: z.number().min(0).max(5).default(0.8),
        /** The last known IV / expected move stay usable this long (the surface blinks while quotes refresh). */
        ivMaxAgeSec: z.number().min(0).max(3600).default(300),
        /** One-σ expected move to the close must be at least this many bps of the price (theta eats the rest) … */
        minExpectedMoveBps: z.number().min(0).max(10_000).default(5),
        /** … and the target no farther than this many expected moves. */
        maxTargetToExpectedMove: z.number().min(0).max(20).default(1.5),
        /** Signals weaker than this (after weighting) are blocked. */
        minStrength: ratio.default(0.1),
      })
      .refine((g) => g.minIv <= g.maxIv, { message: 'minIv must be ≤ maxIv' })
      .prefault({}),

    selection: z
      .strictObject({
        /** When the wish is 0DTE and no 0DTE chain is quoted, try the next expiry. */
        fallbackToNext: z.boolean().default(true),
        /** Option quotes older than this are not used. */
        maxQuoteAgeSec: z.number().min(1).max(3600).default(30),
        /** Candidates: strikes within this fraction of the price. */
        strikeWindowPct: z.number().gt(0).max(0.5).default(0.03),
        /** Candidates within this |delta| distance of the target, nearest first. */
        deltaTolerance: z.number().min(0).max(0.5).default(0.15),
        /** Spread cap as a fraction of mid (a one-tick spread always passes). */
        maxSpreadPct: z.number().gt(0).max(2).default(0.1),
        /** Minimum displayed size, in contracts, on both sides (the ask also needs `quantity`). */
        minDisplayedSize: z.number().int().min(0).max(10_000).default(1),
        /** Entry limit = mid + fraction·(ask − mid), rounded up onto the tick grid, never above the ask. */
        entryFraction: ratio.default(0.5),
        /** Skip contracts cheaper than this (per share): no room for a stop. */
        minPremium: z.number().min(0).max(1000).default(0.2),
        /** Contracts per order intent. */
        quantity: z.number().int().min(1).max(1000).default(1),
        /** Pricing inputs for deltas (as in features.options). */
        rate: rateSchema,
        dividendYield: dividendYieldSchema,
      })
      .prefault({}),
  })
  .prefault({});

export type SignalsConfig = z.output<typeof signalsConfigSchema>;
export type SignalsConfigInput = z.input<typeof signalsConfigSchema>;
export type RegimeConfig = SignalsConfig['regime'];
export type GatingConfig = SignalsConfig['gating'];
export type SelectionConfig = SignalsConfig['selection'];
export type PlaybooksConfig = SignalsConfig['playbooks'];
