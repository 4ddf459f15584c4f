/**
 * Config section `risk` (mounted in the root schema by the lead). Strict: unknown keys and out-of-range values are
 * errors. The defaults are what a user gets with no config at all; they are sized for one small account trading
 * single-leg long options, and every one is a ceiling, never a target.
 *
 * Money is in dollars; premium of an order = quantity × limit × 100 (MULTIPLIER). Times are event time.
 */
import { z } from 'zod';
import { OPTION_ROOTS } from '../../domain/instruments.js';

const root = z.enum(OPTION_ROOTS as unknown as ['SPX', 'SPXW', 'NDX', 'NDXP', 'SPY', 'QQQ']);

/** Scheduled US releases the halt windows know about (the `type` of each row in the economic calendar file). */
export const ECONOMIC_EVENT_TYPES = [
  'FOMC_STATEMENT',
  'FOMC_PRESS_CONFERENCE',
  'FOMC_MINUTES',
  'CPI',
  'PPI',
  'NFP',
  'RETAIL_SALES',
  'GDP',
  'PCE',
  'JOLTS',
  'ISM_MANUFACTURING',
  'ISM_SERVICES',
] as const;
export type EconomicEventType = (typeof ECONOMIC_EVENT_TYPES)[number];

/** Minutes before and after the release time in which no entries are allowed; 0/0 disables the type. */
function window(beforeMin: number, afterMin: number) {
  return z
    .strictObject({
      beforeMin: z.number().int().min(0).max(240).default(beforeMin),
      afterMin: z.number().int().min(0).max(390).default(afterMin),
    })
    .prefault({});
}

const rate = (max: number, windowMs: number) =>
  z
    .strictObject({
      max: z.number().int().min(1).max(10_000).default(max),
      windowMs: z.number().int().min(1_000).max(3_600_000).default(windowMs),
    })
    .prefault({});

export const riskConfigSchema = z
  .strictObject({
    /** Option roots orders may use. */
    allowedRoots: z.array(root).min(1).default(['SPX', 'SPXW', 'NDX', 'NDXP', 'SPY', 'QQQ']),
    /** Allowed expiry, in calendar days from the trading date: 0 = today (0DTE); 4 covers Friday → Tuesday after a Monday holiday. */
    expiryDays: z
      .strictObject({
        min: z.number().int().min(0).max(60).default(0),
        max: z.number().int().min(0).max(60).default(4),
      })
      .refine((e) => e.min <= e.max, { message: 'expiryDays.min must be ≤ expiryDays.max' })
      .prefault({}),
    order: z
      .strictObject({
        /** Contracts in one order. */
        maxContracts: z.number().int().min(1).max(1_000).default(10),
        /** Premium of one order, dollars. */
        maxPremium: z.number().positive().max(10_000_000).default(2_500),
        /**
         * Price collar: the limit must lie in [bid − tol, ask + tol] of the fresh option NBBO, tol =
         * max(minAbs, pct × mid). Catches fat fingers and prices computed from a stale book.
         */
        collarPct: z.number().min(0).max(1).default(0.1),
        collarMinAbs: z.number().min(0).max(100).default(0.1),
      })
      .prefault({}),
    freshness: z
      .strictObject({
        /** The underlying's last quote/trade/index value must be younger than this (event time). */
        underlyingMaxAgeMs: z.number().int().min(100).max(600_000).default(3_000),
        /** The option's last NBBO must be younger than this. */
        optionMaxAgeMs: z.number().int().min(100).max(600_000).default(3_000),
      })
      .prefault({}),
    /** A second approved order on the same option symbol and side within this window is a duplicate. */
    duplicateWindowMs: z.number().int().min(0).max(3_600_000).default(5_000),
    positions: z
      .strictObject({
        /** Distinct option symbols held or with a working entry, per underlying. */
        maxPerUnderlying: z.number().int().min(1).max(100).default(1),
        maxTotal: z.number().int().min(1).max(100).default(2),
        /** Premium paid for open positions plus premium of working entries, dollars. */
        maxPremiumAtRisk: z.number().positive().max(100_000_000).default(5_000),
      })
      .prefault({}),
    /** Approved entries per trading date. */
    maxTradesPerDay: z.number().int().min(1).max(10_000).default(20),
    /** Approved orders (entries and exits) in a sliding event-time window; only entries are refused by it. */
    orderRate: rate(10, 60_000),
    /** Broker-confirmed cancels in a sliding window (the churn of cancel/replace); beyond it, no new entries. */
    cancelRate: rate(20, 60_000),
    losses: z
      .strictObject({
        /** Losing round trips in a row → HALTED (positions kept, brackets stay at the broker). */
        maxConsecutive: z.number().int().min(1).max(100).default(3),
        /** Realised + unrealised loss of the trading date, dollars → kill switch (HALTED, cancel, flatten). */
        maxDailyLoss: z.number().positive().max(100_000_000).default(1_000),
      })
      .prefault({}),
    /**
     * Storm of broker rejects and malformed-order denials (collar, tick, size, instrument, side) in `windowMs`:
     * `throttleCount` → REDUCING for `cooldownMs`, `haltCount` → kill switch. Policy denials (halt window,
     * stale data, limits reached) are the system working and do not count.
     */
    storm: z
      .strictObject({
        windowMs: z.number().int().min(1_000).max(3_600_000).default(60_000),
        throttleCount: z.number().int().min(1).max(1_000).default(5),
        haltCount: z.number().int().min(2).max(1_000).default(10),
        cooldownMs: z.number().int().min(1_000).max(86_400_000).default(300_000),
      })
      .refine((s) => s.throttleCount < s.haltCount, { message: 'storm.throttleCount must be < storm.haltCount' })
      .prefault({}),
    /** A cluster not LIVE / the broker unreachable for this long → kill switch. */
    staleFeedHaltSeconds: z.number().int().min(1).max(3_600).default(60),
    brokerUnreachableHaltSeconds: z.number().int().min(1).max(3_600).default(30),
    session: z
      .strictObject({
        /** 0DTE positions are flattened at close − this (15:50 ET; 12:50 on 13:00 early-close days). */
        flattenMinutesBeforeClose: z.number().int().min(0).max(120).default(10),
        /** No entries in the last N minutes (15:45 ET by default). */
        noEntryMinutesBeforeClose: z.number().int().min(0).max(180).default(15),
        /** No entries in the first N minutes after the open. */
        noEntryMinutesAfterOpen: z.number().int().min(0).max(120).default(0),
      })
      .refine((s) => s.noEntryMinutesBeforeClose >= s.flattenMinutesBeforeClose, {
        message: 'session.noEntryMinutesBeforeClose must be ≥ flattenMinutesBeforeClose (no entries after the flatten)',
      })
      .prefault({}),
    haltWindows: z
      .strictObject({
        /** Open positions when a window starts: `hold` (broker-side stops protect them) or `flatten`. */
        policy: z.enum(['hold', 'flatten']).default('hold'),
        /**
         * Windows per release type. 08:30 ET releases fall before the 09:30 open, so their default windows do not
         * touch the regular session; widen `afterMin` (e.g. 75 → until 09:45) to sit out the open on CPI days.
         */
        windows: z
          .strictObject({
            FOMC_STATEMENT: window(10, 20),
            FOMC_PRESS_CONFERENCE: window(5, 30),
            FOMC_MINUTES: window(5, 15),
            CPI: window(5, 15),
            PPI: window(5, 15),
            NFP: window(5, 15),
            RETAIL_SALES: window(5, 15),
            GDP: window(5, 15),
            PCE: window(5, 15),
            JOLTS: window(5, 15),
            ISM_MANUFACTURING: window(5, 15),
            ISM_SERVICES: window(5, 15),
          })
          .prefault({}),
        /** Also block entries for releases the calendar marks uncertain (fail closed: on by default). */
        includeUncertain: z.boolean().default(true),
      })
      .prefault({}),
    /** The economic calendar data file (product data, committed). */
    calendarFile: z.string().min(1).default('fixtures/calendars/economic-events.json'),
    killSwitch: z
      .strictObject({
        /** While not verified flat, repeat CancelAllOrders + FlattenAll every this many ms of event time. */
        retryMs: z.number().int().min(500).max(600_000).default(5_000),
        /** Require a BrokerPositions snapshot (after the trigger) showing no positions before FlatVerified. */
        verifyWithBrokerPositions: z.boolean().default(true),
      })
      .prefault({}),
  })
  .prefault({});

export type RiskConfig = z.output<typeof riskConfigSchema>;
export type RiskConfigInput = z.input<typeof riskConfigSchema>;
