import { describe, expect, it } from 'vitest';
import { omsConfigSchema } from './omsConfig.js';

describe('omsConfigSchema', () => {
  it('gives documented defaults with no config', () => {
    const c = omsConfigSchema.parse(undefined);
    expect(c.sim).toMatchObject({ latencyMs: 250, staleQuoteMs: 5_000, fees: { perContract: 0.35, indexOptionFeePerContract: 0.6 } });
    expect(c.stopSync).toMatchObject({ enabled: true, minTickChange: 1, minIntervalMs: 2_000 });
    expect(c.journal).toEqual({ enabled: true, dir: 'storage/journal', fsync: true });
  });

  it('rejects unknown keys and out-of-range values, all at once', () => {
    const r = omsConfigSchema.safeParse({ sim: { latencyMs: -1, bogus: 1 }, breakEven: { triggerFraction: 2 } });
    expect(r.success).toBe(false);
    expect(r.error?.issues.length).toBeGreaterThanOrEqual(3);
  });
});
