/**
 * Config section `features` (mounted in the root schema by the pipeline). Strict: unknown keys and out-of-range
 * values are errors. The defaults below are what a user gets with no config at all.
 */
import { z } from 'zod';
import { dividendYieldSchema, rateSchema } from '../../quant/options/pricingInputsSchema.js';
import { UNDERLYINGS } from '../../domain/instruments.js';

const underlying = z.enum(UNDERLYINGS as unknown as ['SPX', 'NDX', 'SPY', 'QQQ']);
const barInterval = z.enum(['1s', '1m']);
const windowMs = z.number().int().min(1_000).max(3_600_000);

export const featuresConfigSchema = z
  .strictObject({
    /** Underlyings to emit Features for. SPX/NDX read I:SPX/I:NDX for price and SPY/QQQ for microstructure. */
    underlyings: z.array(underlying).min(1).default(['SPX', 'NDX', 'SPY', 'QQQ']),
    /**
     * When to emit, in event time: `bar` = at each close of the underlying's price bar of `interval` (default: every
     * 1s bar, so quiet seconds without prints emit nothing); `interval` = every `everyMs` of event time, aligned
     * to the epoch (one record per boundary crossed; after a gap, only the latest boundary).
     */
    cadence: z
      .discriminatedUnion('kind', [
        z.strictObject({ kind: z.literal('bar'), interval: barInterval.default('1s') }),
        z.strictObject({ kind: z.literal('interval'), everyMs: z.number().int().min(100).max(3_600_000) }),
      ])
      .default({ kind: 'bar', interval: '1s' }),
    /** Wilder ATR period, in 1m bars. */
    atrPeriod: z.number().int().min(1).max(500).default(14),
    /** Wilder ADX/DI period, in 1m bars (ADX needs 2·period bars). */
    adxPeriod: z.number().int().min(2).max(500).default(14),
    /** Anchor of `anchoredVwap`: the session open, the session high/low (re-anchors on each new extreme), or an instant. */
    anchoredVwap: z
      .union([z.enum(['sessionOpen', 'highOfDay', 'lowOfDay']), z.strictObject({ at: z.iso.datetime({ offset: true }) })])
      .default('highOfDay'),
    /** Event-time windows for order-flow imbalance and trade intensity (short < medium < long). */
    flowWindowsMs: z
      .strictObject({ short: windowMs.default(5_000), medium: windowMs.default(30_000), long: windowMs.default(60_000) })
      .refine((w) => w.short < w.medium && w.medium < w.long, { message: 'flow windows must satisfy short < medium < long' })
      .prefault({}),
    realizedVol: z
      .strictObject({
        /** Bars whose close-to-close log returns are used. */
        bars: barInterval.default('1s'),
        shortWindowMs: z.number().int().min(1_000).max(86_400_000).default(60_000),
        longWindowMs: z.number().int().min(1_000).max(86_400_000).default(300_000),
        /** Seconds per year for annualising: 252 × 6.5 h (trading time). Use 31 536 000 for calendar time. */
        annualizationSeconds: z.number().positive().default(252 * 6.5 * 3600),
        /** Returns spanning more than this (overnight, halts) are skipped. */
        maxGapMs: z.number().int().min(1_000).default(60_000),
      })
      .prefault({}),
    options: z
      .strictObject({
        /** Build the implied-vol surface from OptionQuote events (ATM IV, skew, term slope, expected move). */
        enabled: z.boolean().default(true),
        /** Continuously compounded risk-free rate. */
        rate: rateSchema,
        /** Continuous dividend yield per underlying. */
        dividendYield: dividendYieldSchema,
        /**
         * Refresh the surface (IV solves, smile fits) at most this often in event time; readings in between reuse
         * it. ATM IV, skew and term slope feed gates, which tolerate seconds of lag; contract selection prices from
         * the fresh chain itself.
         */
        refreshMs: z.number().int().min(0).max(600_000).default(10_000),
        /**
         * An option quote older than this at the snapshot is not used. Quotes arrive only when the NBBO changes, so
         * an old quote is usually still the standing market; this only drops contracts that went quiet for long.
         */
        maxQuoteAgeMs: z.number().int().min(1_000).max(600_000).default(30_000),
        /** Only option quotes with |strike − price| ≤ this fraction of the price feed the surface (0DTE/1DTE ATM and 25Δ strikes sit within ~1% of the price). */
        strikeWindowPct: z.number().gt(0).max(0.5).default(0.015),
        /** Fresh distinct strikes an expiry needs before it reports ATM IV / skew. */
        minStrikes: z.number().int().min(2).max(50).default(3),
      })
      .prefault({}),
  })
  .prefault({});

export type FeaturesConfig = z.output<typeof featuresConfigSchema>;
export type FeaturesConfigInput = z.input<typeof featuresConfigSchema>;
