import { describe, expect, it } from 'vitest';
import { trueRange } from './trueRange.js';

describe('trueRange', () => {
  it.each([
    [{ high: 11, low: 10, close: 10.5 }, 10.5, 1], // inside: high − low
    [{ high: 13, low: 12, close: 12.5 }, 10, 3], // gap up: high − prev close
    [{ high: 9, low: 8, close: 8.5 }, 10, 2], // gap down: prev close − low
  ])('%o after close %s → %s', (bar, prev, want) => {
    expect(trueRange(bar, prev)).toBe(want);
  });
});
