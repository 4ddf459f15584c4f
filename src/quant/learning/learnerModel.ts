/**
 * The learner's model file (storage/models/learner-v<N>-<hash>.json): a meta-labeling classifier (logistic
 * regression + Platt calibration) and a LinUCB bandit over playbooks, with the feature names they were trained on
 * and what they were trained from. Validated with zod when loaded (a file from another version or a hand edit that
 * breaks it is refused with the path), and `hash` (sha256 of the body's JSON) must match its content.
 *
 * The body holds no wall-clock time and no file names: the same calibration inputs give byte-identical files.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { LinUcbState } from './linUcb.js';
import type { LogisticState } from './logisticRegression.js';
import type { PlattState } from './plattScaling.js';
import { stableStringify } from '../../domain/canonicalJson.js';

export const LEARNER_MODEL_FORMAT = 'dreambot-learner/1';

const finite = z.number().refine(Number.isFinite, 'must be finite');

const logisticSchema = z.strictObject({
  dim: z.number().int().min(1),
  lambda: z.number().min(0),
  weights: z.array(finite),
  mean: z.array(finite),
  std: z.array(finite),
  iterations: z.number().int().min(0),
});

const banditSchema = z.strictObject({
  dim: z.number().int().min(1),
  alpha: z.number().min(0),
  lambda: z.number().gt(0),
  arms: z.record(z.string(), z.strictObject({ ainv: z.array(finite), b: z.array(finite), n: z.number().int().min(0) })),
});

export const learnerModelBodySchema = z.strictObject({
  format: z.literal(LEARNER_MODEL_FORMAT),
  contextFeatures: z.array(z.string()),
  metaFeatures: z.array(z.string()),
  metaLabel: z.strictObject({ logistic: logisticSchema, platt: z.strictObject({ a: finite, b: finite }) }).nullable(),
  bandit: banditSchema.nullable(),
  trainedOn: z.strictObject({
    from: z.string(),
    to: z.string(),
    days: z.array(z.string()),
    rows: z.number().int().min(0),
    positives: z.number().int().min(0),
    seed: z.number().int(),
  }),
});

export const learnerModelFileSchema = learnerModelBodySchema.extend({ hash: z.string().regex(/^[0-9a-f]{64}$/) });

export interface LearnerModelBody {
  readonly format: typeof LEARNER_MODEL_FORMAT;
  readonly contextFeatures: readonly string[];
  readonly metaFeatures: readonly string[];
  readonly metaLabel: { readonly logistic: LogisticState; readonly platt: PlattState } | null;
  readonly bandit: LinUcbState | null;
  readonly trainedOn: {
    readonly from: string;
    readonly to: string;
    readonly days: readonly string[];
    readonly rows: number;
    readonly positives: number;
    readonly seed: number;
  };
}

export interface LearnerModel extends LearnerModelBody {
  readonly hash: string;
}

/** sha256 of the body's canonical JSON (keys sorted): the same content always hashes alike. */
export function hashModelBody(body: LearnerModelBody): string {
  return createHash('sha256').update(stableStringify(body)).digest('hex');
}

export function sealModel(body: LearnerModelBody): LearnerModel {
  return { ...body, hash: hashModelBody(body) };
}

/** Validate parsed JSON as a model file; throws listing the problems, or on a hash mismatch. */
export function parseLearnerModel(raw: unknown, where: string): LearnerModel {
  const r = learnerModelFileSchema.safeParse(raw);
  if (!r.success) {
    const problems = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`learner model ${where} is invalid: ${problems}`);
  }
  const { hash, ...body } = r.data;
  const model: LearnerModel = { ...(body as LearnerModelBody), hash };
  if (hashModelBody(body as LearnerModelBody) !== hash) throw new Error(`learner model ${where}: content does not match its hash (edited or truncated?)`);
  return model;
}
