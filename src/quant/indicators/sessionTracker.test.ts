import { describe, expect, it } from 'vitest';
import { nyTimeToMs } from '../../domain/time.js';
import { SessionTracker, weekdaySession } from './sessionTracker.js';

describe('SessionTracker', () => {
  it('finds the weekday 09:30–16:00 ET session, DST-aware', () => {
    const t = new SessionTracker();
    // 2025-03-10 is the Monday after the spring change: 09:30 ET = 13:30 UTC.
    expect(t.sessionOf(Date.UTC(2025, 2, 10, 15))?.open).toBe(Date.UTC(2025, 2, 10, 13, 30));
    expect(t.regularAt(Date.UTC(2025, 2, 10, 13, 29))).toBeNull();
    expect(t.regularAt(Date.UTC(2025, 2, 10, 13, 30))?.date).toBe('2025-03-10');
    expect(t.regularAt(Date.UTC(2025, 2, 10, 20, 0))).toBeNull(); // 16:00 is outside [open, close)
    expect(t.sessionOf(Date.UTC(2025, 2, 8, 15))).toBeNull(); // Saturday
  });

  it('uses an injected calendar (early close)', () => {
    const t = new SessionTracker((date) =>
      date === '2025-07-03' ? { date, open: nyTimeToMs(date, 9, 30), close: nyTimeToMs(date, 13, 0) } : weekdaySession(date),
    );
    expect(t.regularAt(nyTimeToMs('2025-07-03', 13, 30))).toBeNull();
    expect(t.regularAt(nyTimeToMs('2025-07-07', 13, 30))?.date).toBe('2025-07-07');
  });
});
