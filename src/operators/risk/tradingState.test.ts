import { describe, expect, it } from 'vitest';
import { TradingState } from './tradingState.js';

describe('TradingState', () => {
  it('records each change with its reason; staying put records nothing', () => {
    const s = new TradingState();
    expect(s.name).toBe('ACTIVE');
    expect(s.transition('REDUCING', 'storm', 5)).toEqual({ type: 'TradingStateChanged', ts: 5, from: 'ACTIVE', to: 'REDUCING', reason: 'storm' });
    expect(s.transition('REDUCING', 'again', 6)).toBeNull();
    expect(s.transition('HALTED', 'kill', 7)).toMatchObject({ from: 'REDUCING', to: 'HALTED' });
    expect(s.name).toBe('HALTED');
  });
});
