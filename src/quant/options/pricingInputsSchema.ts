/**
 * Pricing inputs every stage that prices options shares (features' surface, signals' contract selection), so the
 * documented assumptions live in one place: a continuously compounded risk-free rate and a continuous dividend
 * yield per underlying (SPX/SPY ≈ 1.3%, NDX ≈ 0.7%, QQQ ≈ 0.6% — set them for your year).
 */
import { z } from 'zod';

export const rateSchema = z.number().min(-0.05).max(0.25).default(0.045);

export const dividendYieldSchema = z
  .strictObject({
    SPX: z.number().min(0).max(0.2).default(0.013),
    NDX: z.number().min(0).max(0.2).default(0.007),
    SPY: z.number().min(0).max(0.2).default(0.013),
    QQQ: z.number().min(0).max(0.2).default(0.006),
  })
  .prefault({});
