/**
 * Config section `oms` (mounted in the root schema by the pipeline). Strict: unknown keys and out-of-range values
 * are errors. The defaults below are what a user gets with no config at all.
 *
 * Assumptions a user should set (they are not facts about any account):
 *   - `sim.fees.perContract` $0.35 — a typical retail per-contract commission. Tradier's own pricing depends on the
 *     plan (some plans charge $0 commission on options and a flat monthly fee): set it to what your account pays.
 *   - `sim.fees.indexOptionFeePerContract` $0.60 — a stand-in for the exchange's proprietary index-option fee
 *     (Cboe charges one on SPX/SPXW, Nasdaq on NDX/NDXP) passed through by brokers; the real amount varies by
 *     product, premium and year. Applied to SPX/SPXW/NDX/NDXP only, on top of `perContract`.
 *   - `sim.latencyMs` 250 ms — order-to-market delay in event time (REST round trip + broker routing).
 */
import { z } from 'zod';

const ms = (max: number) => z.number().int().min(0).max(max);

export const omsConfigSchema = z
  .strictObject({
    sim: z
      .strictObject({
        /** Event time between sending an order (submit, modify, cancel) and it taking effect at the market. */
        latencyMs: ms(60_000).default(250),
        /** A quote older than this (against the newest event time seen) gives no fills. */
        staleQuoteMs: z.number().int().min(1).max(600_000).default(5_000),
        fees: z
          .strictObject({
            perContract: z.number().min(0).max(50).default(0.35),
            indexOptionFeePerContract: z.number().min(0).max(50).default(0.6),
          })
          .prefault({}),
        startingCash: z.number().positive().default(100_000),
        /**
         * Tradier practice (spec §4.2): a sell stop that is at or above the bid when the OCO becomes active is
         * cancelled, and its OCO sibling with it. The OMS then closes the unprotected position.
         */
        cancelOcoWhenStopAtOrAboveBid: z.boolean().default(true),
        /**
         * Stops held by the broker (Tradier holds option stops; they are not resting at the exchange): once
         * triggered, the market order reaches the exchange `latencyMs` later. false = exchange-held (fills on the
         * triggering quote).
         */
        stopHeldByBroker: z.boolean().default(true),
      })
      .prefault({}),
    stopSync: z
      .strictObject({
        /** Re-derive the option stop from the underlying stop level as the underlying moves. */
        enabled: z.boolean().default(true),
        /** Modify the stop leg only when the derived stop differs from the working one by at least this many ticks. */
        minTickChange: z.number().int().min(1).max(100).default(1),
        /** At most one stop modification per bracket per this much event time. */
        minIntervalMs: ms(600_000).default(2_000),
        /** Risk-free rate for the greeks (continuous, decimal); dividend yield is taken as 0 intraday. */
        rate: z.number().min(-0.05).max(0.25).default(0.045),
        /** Option quotes older than this are not used to derive a stop or price an exit. */
        maxQuoteAgeMs: z.number().int().min(1).max(600_000).default(5_000),
      })
      .prefault({}),
    breakEven: z
      .strictObject({
        enabled: z.boolean().default(true),
        /** Arm once the underlying has covered this fraction of the way from its entry level to the target. */
        triggerFraction: z.number().gt(0).max(1).default(0.5),
        /** Ticks above the entry average for the break-even stop (covers fees). */
        offsetTicks: z.number().int().min(0).max(20).default(1),
      })
      .prefault({}),
    trailing: z
      .strictObject({
        enabled: z.boolean().default(true),
        /** Start trailing once the underlying has covered this fraction of entry→target. */
        activationFraction: z.number().gt(0).max(1).default(0.75),
        /** The underlying stop trails the best underlying level by this fraction of the move from entry. */
        giveBackFraction: z.number().gt(0).lt(1).default(0.4),
      })
      .prefault({}),
    exits: z
      .strictObject({
        /** A marketable exit is a sell limit this many ticks under the bid. */
        slippageTicks: z.number().int().min(0).max(50).default(2),
        /** Re-price a working exit to the current bid at most this often (event time). */
        repriceMs: ms(600_000).default(2_000),
      })
      .prefault({}),
    unknown: z
      .strictObject({
        /** How often to look an unknown submission up by tag (event time). */
        lookupIntervalMs: z.number().int().min(1).max(600_000).default(1_000),
        /** Reject locally only after this much event time without the order appearing… */
        graceMs: z.number().int().min(0).max(3_600_000).default(15_000),
        /** …and at least this many not-found lookups. */
        minLookups: z.number().int().min(1).max(1_000).default(3),
      })
      .prefault({}),
    journal: z
      .strictObject({
        enabled: z.boolean().default(true),
        /** One file per New York date: DIR/YYYY-MM-DD.jsonl. */
        dir: z.string().min(1).default('storage/journal'),
        /** fsync after every record (off only for throwaway replays). */
        fsync: z.boolean().default(true),
      })
      .prefault({}),
  })
  .prefault({});

export type OmsConfig = z.output<typeof omsConfigSchema>;
export type OmsConfigInput = z.input<typeof omsConfigSchema>;
