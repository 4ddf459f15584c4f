/**
 * Config section `learner` (mounted in the root schema). Strict: unknown keys and out-of-range values are errors.
 *
 * - `model`: which model file the pipeline loads — 'latest' (highest version under <storage>/models/, none → the
 *   learner is a pass-through), 'none' (never load one), or a path (pinned; a missing or invalid file is an error).
 * - `filter`: meta-labeling filter. An allowed intent whose calibrated P(target before stop) is below `threshold`
 *   is dropped (GateDecision reason 'meta-label'); 'breakeven' means the intent's own break-even probability
 *   1 / (1 + reward/risk) on its underlying levels. Kept intents are sized
 *   quantity' = max(1, floor(quantity · min(1, pWin / fullSizeP))) — never larger than signals sized it.
 * - `bandit`: LinUCB over playbooks with the 'none' arm worth 0 R; `alpha` is the exploration width, rewards are
 *   realised R-multiples clipped to ±rewardClip; `online` updates it from TradeClosed feedback during the run.
 * - `changePoint`: BOCPD on each underlying's 1-minute log returns (in units of `priorVolBps`); `hazardMin` is the
 *   expected minutes between change points; a ChangePoint is emitted when P(run < shortRunMin) ≥ threshold, at most
 *   once per `minSeparationMin`. `pauseAfterChangeMin` > 0 drops allowed intents ('change-point-pause') for that
 *   long after a change point.
 * - `train`: calibration (`dreambot calibrate`) hyper-parameters.
 */
import { z } from 'zod';

export const learnerConfigSchema = z
  .strictObject({
    model: z.string().min(1).default('latest'),
    filter: z
      .strictObject({
        enabled: z.boolean().default(true),
        threshold: z.union([z.number().min(0).max(1), z.literal('breakeven')]).default('breakeven'),
        fullSizeP: z.number().gt(0).max(1).default(0.6),
      })
      .prefault({}),
    bandit: z
      .strictObject({
        enabled: z.boolean().default(true),
        alpha: z.number().min(0).max(10).default(0.5),
        rewardClip: z.number().gt(0).max(100).default(5),
        online: z.boolean().default(true),
      })
      .prefault({}),
    changePoint: z
      .strictObject({
        enabled: z.boolean().default(true),
        hazardMin: z.number().gt(1).max(10_000).default(120),
        maxRunMin: z.number().int().min(10).max(2000).default(400),
        priorVolBps: z.number().gt(0).max(1000).default(5),
        shortRunMin: z.number().int().min(1).max(120).default(8),
        threshold: z.number().gt(0).max(1).default(0.5),
        minSeparationMin: z.number().int().min(1).max(390).default(15),
      })
      .prefault({}),
    pauseAfterChangeMin: z.number().min(0).max(390).default(0),
    train: z
      .strictObject({
        l2: z.number().min(0).max(1e6).default(1),
        plattFolds: z.number().int().min(2).max(20).default(5),
        banditLambda: z.number().gt(0).max(1e6).default(1),
        minClassRows: z.number().int().min(1).max(10_000).default(5),
      })
      .prefault({}),
  })
  .prefault({});

export type LearnerConfig = z.infer<typeof learnerConfigSchema>;
export type ChangePointConfig = LearnerConfig['changePoint'];
