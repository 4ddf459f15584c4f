/**
 * The one strict configuration schema. Every section is a strict zod object: unknown keys and out-of-range
 * values are errors, and `loadConfig` reports all of them together at start-up. Later stages add their own
 * section here (each section's schema lives beside the stage that reads it and is mounted below).
 *
 * Defaults are the documented values a user gets with no config file at all.
 */
import { z } from 'zod';
import { UNDERLYINGS } from './instruments.js';
import { featuresConfigSchema } from '../operators/features/featuresConfig.js';
import { signalsConfigSchema } from '../operators/signals/signalsConfig.js';
import { riskConfigSchema } from '../operators/risk/riskConfig.js';
import { omsConfigSchema } from '../sinks/oms/omsConfig.js';
import { learnerConfigSchema } from '../operators/learner/learnerConfig.js';

const underlying = z.enum(UNDERLYINGS as unknown as ['SPX', 'NDX', 'SPY', 'QQQ']);

export const replayConfigSchema = z
  .strictObject({
    /** Underlyings to replay. SPX/NDX bring their index values, their ETF proxy (SPY/QQQ) and their option roots. */
    symbols: z.array(underlying).min(1).default(['SPY', 'SPX']),
    /** Keep option strikes within this fraction outside the underlying's intraday range (0.02 = 2%). */
    strikeWindowPct: z.number().gt(0).max(0.5).default(0.02),
    /** How many expiries (on or after the replay date) to keep per underlying: 1 = 0DTE only, 2 = 0DTE + next. */
    expiries: z.number().int().min(1).max(10).default(2),
    /** Also replay Polygon's minute aggregates as 1m Bar events (stamped at the window END). */
    minuteAggs: z.boolean().default(true),
    /** Decompress every input file once to prove the gzip stream is complete (DuckDB accepts truncated gzip). */
    verifyGzip: z.boolean().default(true),
    /** DuckDB memory limit for catalog builds and replay, in MB; beyond it DuckDB spills to disk. */
    duckdbMemoryMb: z.number().int().min(64).max(16_384).default(1024),
    /** DuckDB worker threads. */
    duckdbThreads: z.number().int().min(1).max(64).default(2),
  })
  .prefault({});

export const pathsConfigSchema = z
  .strictObject({
    /** Root of the user's flat files, laid out like Polygon's (us_stocks_sip/…, us_options_opra/…, us_indices/…). */
    data: z.string().min(1).default('data'),
    /** Parquet, logs, journal and the replay catalog live here. */
    storage: z.string().min(1).default('storage'),
    /** One folder per replay run. */
    backtests: z.string().min(1).default('backtests'),
  })
  .prefault({});

export const configSchema = z.strictObject({
  /** replay (default) | paper | sandbox | live. Live additionally needs an explicit CLI flag and confirmation. */
  mode: z.enum(['replay', 'paper', 'sandbox', 'live']).default('replay'),
  /** Seed for every random choice (synthetic data, learner exploration); same seed + data + config → same output. */
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(42),
  paths: pathsConfigSchema,
  replay: replayConfigSchema,
  /** Feature stage (src/operators/features/featuresConfig.ts). */
  features: featuresConfigSchema,
  /** Regime, playbooks, gating, contract selection (src/operators/signals/signalsConfig.ts). */
  signals: signalsConfigSchema,
  /** Pre-trade checks, trading state, halt windows, kill switch (src/operators/risk/riskConfig.ts). */
  risk: riskConfigSchema,
  /** Order manager, simulated broker, journal (src/sinks/oms/omsConfig.ts). */
  oms: omsConfigSchema,
  /** Meta-labeling filter, playbook bandit, change-point detection, model file (src/operators/learner/learnerConfig.ts). */
  learner: learnerConfigSchema,
});

export type Config = z.infer<typeof configSchema>;
export type ReplayConfig = Config['replay'];
