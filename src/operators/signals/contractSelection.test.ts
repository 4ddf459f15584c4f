import { describe, expect, it } from 'vitest';
import type { OptionQuote } from '../../domain/events.js';
import { formatPolygon, isOnTick, roundToTick, type OptionRoot } from '../../domain/instruments.js';
import type { SignalIntent } from '../../domain/orders.js';
import { bsGreeks, bsPrice } from '../../quant/options/blackScholes.js';
import { yearFraction } from '../../quant/options/yearFraction.js';
import { ChainView } from '../../quant/signals/chainView.js';
import { selectContract, type SelectionInput } from './contractSelection.js';
import { signalsConfigSchema } from './signalsConfig.js';
import { TEST_DATE, ny } from './testFeatures.js';

const cfg = signalsConfigSchema.parse({}).selection;
const TS = ny(11);
const VOL = 0.18;

function quote(root: OptionRoot, expiry: string, right: 'C' | 'P', strike: number, bid: number, ask: number, o: Partial<OptionQuote> = {}): OptionQuote {
  return { type: 'OptionQuote', ts: TS - 1000, symbol: formatPolygon({ root, expiry, right, strike }), bid, ask, bidSize: 20, askSize: 20, bidExchange: 1, askExchange: 1, seq: 0, ...o };
}

/** A SPY chain priced at VOL, one cent either side of the model price. */
function spyChain(spot = 570, expiry = TEST_DATE, tweak: (q: OptionQuote) => OptionQuote = (q) => q): ChainView {
  const chain = new ChainView();
  const t = yearFraction(TS, expiry, 'PM');
  for (let k = spot - 8; k <= spot + 8; k++) {
    for (const right of ['C', 'P'] as const) {
      const p = bsPrice({ right, spot, strike: k, t, vol: VOL, rate: cfg.rate, q: cfg.dividendYield.SPY });
      const bid = Math.max(0.01, roundToTick('SPY', p - 0.01, 'down'));
      chain.update(tweak(quote('SPY', expiry, right, k, bid, roundToTick('SPY', p + 0.01, 'up'))));
    }
  }
  return chain;
}

function intent(o: Partial<SignalIntent> = {}): SignalIntent {
  return {
    type: 'SignalIntent',
    ts: TS,
    id: `test-SPY-${TS}`,
    underlying: 'SPY',
    direction: 'calls',
    playbook: 'vwapReversion',
    strength: 0.7,
    reason: 'test',
    refPrice: 570,
    underlyingStop: 569,
    underlyingTarget: 571.5,
    timeStop: TS + 1_200_000,
    contract: { expiry: '0dte', targetDelta: 0.4 },
    ...o,
  };
}

const input = (i: SignalIntent = intent(), spot = 570): SelectionInput => ({ intent: i, spot, ts: TS, date: TEST_DATE, fallbackIv: null });

describe('selectContract', () => {
  it('picks the 0DTE strike nearest the target delta and prices a marketable limit on the tick grid', () => {
    const res = selectContract(input(), spyChain(), cfg);
    if (!res.ok) throw new Error(res.reason);
    const o = res.order;
    const t = yearFraction(TS, TEST_DATE, 'PM');
    const deltas = Array.from({ length: 17 }, (_, i) => 562 + i).map((k) => ({ k, d: bsGreeks({ right: 'C', spot: 570, strike: k, t, vol: VOL, rate: cfg.rate, q: cfg.dividendYield.SPY }).delta }));
    const nearest = deltas.reduce((a, b) => (Math.abs(b.d - 0.4) < Math.abs(a.d - 0.4) ? b : a));
    expect(o.strike).toBe(nearest.k);
    expect(o).toMatchObject({ root: 'SPY', expiry: TEST_DATE, right: 'C', side: 'buy_to_open', quantity: 1, signalId: intent().id, id: `${intent().id}-1` });
    expect(Math.abs(res.delta - 0.4)).toBeLessThan(0.1);
    const mid = (o.bidAtDecision + o.askAtDecision) / 2;
    expect(o.limitPrice).toBeGreaterThanOrEqual(mid);
    expect(o.limitPrice).toBeLessThanOrEqual(o.askAtDecision);
    for (const p of [o.limitPrice, o.takeProfit, o.stopPrice]) expect(isOnTick('SPY', p)).toBe(true);
    expect(o.takeProfit).toBeGreaterThan(o.limitPrice);
    expect(o.stopPrice).toBeLessThan(o.limitPrice);
    expect(o.stopPrice).toBeGreaterThan(0);
    // ΔP ≈ δ·ΔS + ½γ·ΔS² for the +1.5 target: the take-profit sits near limit + that.
    const g = bsGreeks({ right: 'C', spot: 570, strike: o.strike, t, vol: VOL, rate: cfg.rate, q: cfg.dividendYield.SPY });
    expect(o.takeProfit - o.limitPrice).toBeCloseTo(g.delta * 1.5 + 0.5 * g.gamma * 2.25, 1);
  });

  it('puts: negative delta, option levels mirror the underlying levels', () => {
    const res = selectContract(input(intent({ direction: 'puts', underlyingStop: 571, underlyingTarget: 568.5 })), spyChain(), cfg);
    if (!res.ok) throw new Error(res.reason);
    expect(res.order.right).toBe('P');
    expect(res.delta).toBeLessThan(0);
    expect(res.order.takeProfit).toBeGreaterThan(res.order.limitPrice);
  });

  it('spread cap: skips a too-wide nearest contract for the next one, and reports spread-too-wide when all are wide', () => {
    const best = selectContract(input(), spyChain(), cfg);
    if (!best.ok) throw new Error(best.reason);
    const widenBest = spyChain(570, TEST_DATE, (q) => (q.symbol === best.order.optionSymbol ? { ...q, ask: q.ask + 0.5 } : q));
    const next = selectContract(input(), widenBest, cfg);
    if (!next.ok) throw new Error(next.reason);
    expect(next.order.strike).not.toBe(best.order.strike);
    const allWide = spyChain(570, TEST_DATE, (q) => ({ ...q, ask: q.ask + 0.5 }));
    expect(selectContract(input(), allWide, cfg)).toEqual({ ok: false, reason: 'spread-too-wide' });
  });

  it('minimum displayed size', () => {
    const thin = spyChain(570, TEST_DATE, (q) => ({ ...q, askSize: 0 }));
    expect(selectContract(input(), thin, cfg)).toEqual({ ok: false, reason: 'size-too-small' });
  });

  it('no chain: nothing quoted, or only stale quotes; 0DTE falls back to the next expiry when allowed', () => {
    expect(selectContract(input(), new ChainView(), cfg)).toEqual({ ok: false, reason: 'no-chain' });
    const stale = spyChain(570, TEST_DATE, (q) => ({ ...q, ts: TS - 120_000 }));
    expect(selectContract(input(), stale, cfg)).toEqual({ ok: false, reason: 'no-chain' });
    const tomorrowOnly = spyChain(570, '2025-03-11');
    const fb = selectContract(input(), tomorrowOnly, cfg);
    expect(fb.ok && fb.order.expiry).toBe('2025-03-11');
    expect(selectContract(input(), tomorrowOnly, { ...cfg, fallbackToNext: false })).toEqual({ ok: false, reason: 'no-chain' });
    const next = selectContract(input(intent({ contract: { expiry: 'next', targetDelta: 0.4 } })), tomorrowOnly, cfg);
    expect(next.ok && next.order.expiry).toBe('2025-03-11');
  });

  it('SPX trades SPXW 0DTE; the limit rounds UP onto the 0.05/0.10 grid and never above the ask', () => {
    const chain = new ChainView();
    const t = yearFraction(TS, TEST_DATE, 'PM');
    const spot = 5700;
    for (let k = 5650; k <= 5750; k += 5) {
      const p = bsPrice({ right: 'C', spot, strike: k, t, vol: VOL, rate: cfg.rate, q: cfg.dividendYield.SPX });
      const bid = roundToTick('SPXW', p - 0.15, 'down');
      // Off-grid asks (bad print) must still cap the limit.
      chain.update(quote('SPXW', TEST_DATE, 'C', k, Math.max(0.05, bid), roundToTick('SPXW', p + 0.15, 'up') + 0.03));
    }
    const i = intent({ underlying: 'SPX', refPrice: spot, underlyingStop: 5695, underlyingTarget: 5712, id: `test-SPX-${TS}` });
    for (const entryFraction of [0, 0.3, 0.5, 0.9, 1]) {
      const res = selectContract(input(i, spot), chain, { ...cfg, entryFraction, maxSpreadPct: 0.5 });
      if (!res.ok) throw new Error(res.reason);
      const o = res.order;
      expect(o.root).toBe('SPXW');
      expect(o.optionSymbol.startsWith('O:SPXW250310C')).toBe(true);
      expect(o.limitPrice).toBeLessThanOrEqual(o.askAtDecision);
      const mid = (o.bidAtDecision + o.askAtDecision) / 2;
      const raw = mid + entryFraction * (o.askAtDecision - mid);
      expect(o.limitPrice).toBeGreaterThanOrEqual(Math.min(raw, o.askAtDecision) - 1e-9);
      if (o.limitPrice !== o.askAtDecision) expect(isOnTick('SPXW', o.limitPrice)).toBe(true);
      expect(isOnTick('SPXW', o.takeProfit) && isOnTick('SPXW', o.stopPrice)).toBe(true);
    }
  });
});
