import { describe, expect, it } from 'vitest';
import { KillSwitchLatch } from './killSwitchLatch.js';

describe('KillSwitchLatch', () => {
  it('triggers once, retries every retryMs, verifies on the book when not using broker positions', () => {
    const l = new KillSwitchLatch(1_000, false);
    expect(l.trigger(0, 'x')).toBe(true);
    expect(l.trigger(10, 'y')).toBe(false);
    expect(l.reason).toBe('x');
    expect(l.poll(999, false)).toBeNull();
    expect(l.poll(1_000, false)).toBe('retry');
    expect(l.retryCount).toBe(1);
    expect(l.poll(1_500, true)).toBe('verified');
    expect(l.poll(9_000, false)).toBeNull();
    l.rearm();
    expect(l.active).toBe(false);
    expect(l.trigger(10_000, 'z')).toBe(true);
  });

  it('with broker verification, only a flat snapshot at or after the trigger verifies', () => {
    const l = new KillSwitchLatch(1_000, true);
    l.onBrokerPositions(0, true); // ignored: not triggered yet
    l.trigger(100, 'x');
    expect(l.poll(100, true)).toBeNull(); // the book alone is not enough
    l.onBrokerPositions(200, false);
    expect(l.poll(200, true)).toBeNull();
    l.onBrokerPositions(300, true);
    expect(l.poll(300, false)).toBe('verified');
  });
});
