import { describe, expect, it } from 'vitest';
import { bracketIdOf, exitOrderId, parseExitOrderId } from './orders.js';

describe('exit order ids (<bracketId>-x<N>)', () => {
  it.each([
    ['sig-2025-03-10-12-x1', { bracketId: 'sig-2025-03-10-12', n: 1 }],
    ['abc-x12', { bracketId: 'abc', n: 12 }],
    ['a-x1-x2', { bracketId: 'a-x1', n: 2 }],
    ['abc', null],
    ['abc-x', null],
    ['-x3', null],
    ['abc-xy', null],
    ['abc-x2 ', null],
  ])('%s → %j', (id, parsed) => {
    expect(parseExitOrderId(id)).toEqual(parsed);
    expect(bracketIdOf(id)).toBe(parsed?.bracketId ?? id);
  });

  it('exitOrderId and parseExitOrderId are inverse', () => {
    for (const [b, n] of [['x', 1], ['sig-1-x3', 4], ['2025-03-10T10:00', 99]] as const) expect(parseExitOrderId(exitOrderId(b, n))).toEqual({ bracketId: b, n });
  });
});
