import { describe, expect, it } from 'vitest';
import { sessionFor } from '../../domain/calendar.js';
import { nyTimeToMs } from '../../domain/time.js';
import { gatePolicy, type GateContext, type GateReason } from './gatePolicy.js';
import { signalsConfigSchema, type RegimeName } from './signalsConfig.js';

const g = signalsConfigSchema.parse({}).gating;
const MIN = 60_000;

/** A context on `date` at New York `hh:mm:ss`; everything else healthy unless the row says otherwise. */
function ctx(date: string, hms: string, o: Partial<GateContext> = {}): GateContext {
  const [h, m, s] = hms.split(':').map(Number) as [number, number, number];
  const ts = nyTimeToMs(date, h, m, s ?? 0);
  return {
    ts,
    session: sessionFor(date),
    regimes: ['range'] as RegimeName[],
    window: { startMin: 15, endMinBeforeClose: 30 },
    regime: 'range',
    strength: 0.6,
    activeUntil: null,
    lastLossTs: null,
    lastSameSignalTs: null,
    spreadBps: 0.2,
    optionSpreadPct: 0.03,
    iv: 0.18,
    expectedMove: 10,
    price: 5700,
    targetDistance: 5,
    ...o,
  };
}

const D = '2025-03-10'; // Monday, EDT (DST began the day before)
const EARLY = '2025-11-28'; // day after Thanksgiving: 13:00 close
const at = (date: string, hms: string): number => {
  const [h, m, s] = hms.split(':').map(Number) as [number, number, number];
  return nyTimeToMs(date, h, m, s ?? 0);
};

const rows: readonly [string, GateContext, GateReason][] = [
  ['healthy midday range', ctx(D, '11:00:00'), 'allowed'],
  ['Saturday: no session', ctx('2025-03-08', '11:00:00'), 'closed'],
  ['holiday (Thanksgiving)', ctx('2025-11-27', '11:00:00'), 'closed'],
  ['pre-market', ctx(D, '09:20:00'), 'closed'],
  ['after the close', ctx(D, '16:00:00'), 'closed'],
  ['10 s after the open', ctx(D, '09:30:10'), 'opening-delay'],
  ['4m59s after the open', ctx(D, '09:34:59'), 'opening-delay'],
  ['5 min after the open, before the playbook window', ctx(D, '09:35:00'), 'outside-playbook-window'],
  ['playbook window starts 09:45', ctx(D, '09:45:00'), 'allowed'],
  ['15:29:59 just before the cut-off', ctx(D, '15:29:59'), 'allowed'],
  ['15:20 outside a window ending 45 min before the close', ctx(D, '15:20:00', { window: { startMin: 15, endMinBeforeClose: 45 } }), 'outside-playbook-window'],
  ['15:29:59 with a playbook allowed to the cut-off', ctx(D, '15:29:59', { window: { startMin: 0, endMinBeforeClose: 0 } }), 'allowed'],
  ['15:30 cut-off (30 min before 16:00)', ctx(D, '15:30:00'), 'entry-cutoff'],
  ['early close: 12:29 is fine for an open window', ctx(EARLY, '12:29:00', { window: { startMin: 0, endMinBeforeClose: 0 } }), 'allowed'],
  ['early close: 12:30 is the cut-off', ctx(EARLY, '12:30:00'), 'entry-cutoff'],
  ['early close: 14:00 is after the 13:00 close', ctx(EARLY, '14:00:00'), 'closed'],
  ['early close: playbook window ends 12:30', ctx(EARLY, '12:15:00', { window: { startMin: 15, endMinBeforeClose: 60 } }), 'outside-playbook-window'],
  ['trend regime for a range playbook', ctx(D, '11:00:00', { regime: 'trend' }), 'regime-mismatch'],
  ['illiquid regime', ctx(D, '11:00:00', { regime: 'illiquid' }), 'regime-mismatch'],
  ['regime still warming', ctx(D, '11:00:00', { regime: 'warming' }), 'regime-warming'],
  ['warming declared by the playbook', ctx(D, '11:00:00', { regime: 'warming', regimes: ['warming', 'range'] }), 'allowed'],
  ['weak signal', ctx(D, '11:00:00', { strength: 0.05 }), 'strength-too-low'],
  ['active signal until 11:10', ctx(D, '11:00:00', { activeUntil: at(D, '11:10:00') }), 'active-signal'],
  ['active signal timed out at 10:59', ctx(D, '11:00:00', { activeUntil: at(D, '10:59:00') }), 'allowed'],
  ['loss 5 min ago (cooldown 10 min)', ctx(D, '11:00:00', { lastLossTs: at(D, '10:55:00') }), 'loss-cooldown'],
  ['loss 10 min ago: cooled down', ctx(D, '11:00:00', { lastLossTs: at(D, '10:50:00') }), 'allowed'],
  ['same signal 2 min ago (cooldown 5 min)', ctx(D, '11:00:00', { lastSameSignalTs: at(D, '10:58:00') }), 'signal-cooldown'],
  ['same signal 6 min ago', ctx(D, '11:00:00', { lastSameSignalTs: at(D, '10:54:00') }), 'allowed'],
  ['no underlying NBBO', ctx(D, '11:00:00', { spreadBps: null }), 'underlying-spread-unknown'],
  ['underlying spread 4 bps > 3', ctx(D, '11:00:00', { spreadBps: 4 }), 'underlying-spread-too-wide'],
  ['underlying spread exactly at the cap', ctx(D, '11:00:00', { spreadBps: 3 }), 'allowed'],
  ['no ATM option quote', ctx(D, '11:00:00', { optionSpreadPct: null }), 'option-quote-missing'],
  ['ATM option spread 25% of mid', ctx(D, '11:00:00', { optionSpreadPct: 0.25 }), 'option-spread-too-wide'],
  ['IV unknown', ctx(D, '11:00:00', { iv: null }), 'iv-unknown'],
  ['IV 3%', ctx(D, '11:00:00', { iv: 0.03 }), 'iv-too-low'],
  ['IV 95%', ctx(D, '11:00:00', { iv: 0.95 }), 'iv-too-high'],
  ['expected move unknown', ctx(D, '11:00:00', { expectedMove: null }), 'expected-move-unknown'],
  ['expected move 2 pts on 5700 (3.5 bps < 5)', ctx(D, '11:00:00', { expectedMove: 2 }), 'expected-move-too-small'],
  ['target 20 pts with a 10-pt expected move', ctx(D, '11:00:00', { targetDistance: 20 }), 'target-beyond-expected-move'],
  ['first failing reason wins (cut-off before regime and spread)', ctx(D, '15:45:00', { regime: 'trend', spreadBps: 9 }), 'entry-cutoff'],
  ['cooldown before spread', ctx(D, '11:00:00', { lastLossTs: at(D, '10:59:00'), spreadBps: 9 }), 'loss-cooldown'],
];

describe('gatePolicy (table)', () => {
  it.each(rows)('%s', (_name, context, expected) => {
    expect(gatePolicy(context, g)).toBe(expected);
  });

  it('a disabled one-active rule lets a second signal through', () => {
    const c = ctx(D, '11:00:00', { activeUntil: at(D, '11:10:00') });
    expect(gatePolicy(c, { ...g, oneActivePerUnderlying: false })).toBe('allowed');
  });

  it('the cut-off moves with the config', () => {
    expect(gatePolicy(ctx(D, '15:00:00', { window: { startMin: 0, endMinBeforeClose: 0 } }), { ...g, entryCutoffMin: 61 })).toBe('entry-cutoff');
    expect(sessionFor(EARLY)!.close - sessionFor(EARLY)!.open).toBe(210 * MIN);
  });
});
