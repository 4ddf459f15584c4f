import { describe, expect, it } from 'vitest';
import { nyTimeToMs } from '../../domain/time.js';
import { activityShape, volShape } from './intradayShape.js';

const s = { open: nyTimeToMs('2025-03-10', 9, 30), close: nyTimeToMs('2025-03-10', 16, 0) };
const at = (h: number, m: number): number => nyTimeToMs('2025-03-10', h, m);

describe('intraday shapes', () => {
  it('are U-shaped over regular hours and thin outside them', () => {
    for (const f of [activityShape, volShape]) {
      const open = f(at(9, 31), s);
      const noon = f(at(12, 30), s);
      const close = f(at(15, 59), s);
      expect(open).toBeGreaterThan(close);
      expect(close).toBeGreaterThan(noon);
      expect(f(at(9, 10), s)).toBeLessThan(noon);
      expect(f(at(16, 10), s)).toBeLessThan(noon);
    }
  });
});
