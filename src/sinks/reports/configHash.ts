/** sha256 of the canonical (key-sorted) JSON of the whole validated config. */
import { createHash } from 'node:crypto';
import type { Config } from '../../domain/configSchema.js';
import { stableStringify } from '../../domain/canonicalJson.js';

export function configHash(config: Config): string {
  return createHash('sha256').update(stableStringify(config)).digest('hex');
}
