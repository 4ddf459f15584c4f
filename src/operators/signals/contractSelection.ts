/**
 * selectContract: an allowed SignalIntent + the chain view → an OrderIntent for one option contract, or the
 * reason none qualifies. Pure (the chain view is read, not changed); event time only.
 *
 * 1. Expiry: `resolveExpiry` — 0DTE preferred (SPXW for SPX, NDXP for NDX), else the next expiry when allowed;
 *    none with a fresh two-sided quote → `no-chain`.
 * 2. Candidates: calls for 'calls', puts for 'puts', fresh (≤ maxQuoteAgeSec) and two-sided, strike within
 *    `strikeWindowPct` of the spot. None → `no-contract`.
 * 3. Delta: IV from a vol surface fitted to that expiry's fresh quotes (VolSurface.ivFor: the contract's own
 *    OTM-side IV, else the smile), falling back to the Features ATM IV; no IV at all → `no-iv`. Delta and gamma from
 *    bsGreeks at the spot, time from yearFraction (calendar ACT/365 to the expiry instant).
 * 4. Ranking: |(|δ| − targetDelta)| ascending (ties: tighter spread, then lower strike); only candidates within
 *    `deltaTolerance` (else `no-contract`). The first that passes the premium floor (`premium-too-low`), the
 *    spread cap (spread ≤ maxSpreadPct·mid, or a one-tick spread: `spread-too-wide`) and the displayed size
 *    (`size-too-small`) is chosen; if none passes, the nearest candidate's failure is the reason.
 * 5. Entry: a marketable limit at mid + entryFraction·(ask − mid), rounded UP onto the root's tick grid and never
 *    above the ask.
 * 6. Exits from the underlying levels: ΔP ≈ δ·ΔS + ½·γ·ΔS² for ΔS = target − spot and stop − spot. Take-profit =
 *    entry + max(ΔP_target, one tick); stop = entry − max(−ΔP_stop, one tick), at least one tick above zero
 *    (`premium-too-low` if the entry leaves no room); both rounded to the nearest tick.
 */
import type { OrderIntent, SignalIntent } from '../../domain/orders.js';
import { ROOT_INFO, roundToTick, tickSize, type OptionRoot } from '../../domain/instruments.js';
import { bsGreeks } from '../../quant/options/blackScholes.js';
import { VolSurface } from '../../quant/options/volSurface.js';
import { yearFraction } from '../../quant/options/yearFraction.js';
import { ChainView, type ChainQuote } from '../../quant/signals/chainView.js';
import { resolveExpiry } from '../../quant/signals/resolveExpiry.js';
import type { SelectionConfig } from './signalsConfig.js';

export type SelectionReject = 'no-chain' | 'no-contract' | 'no-iv' | 'premium-too-low' | 'spread-too-wide' | 'size-too-small';

export type SelectionResult =
  | { readonly ok: true; readonly order: OrderIntent; readonly delta: number; readonly iv: number }
  | { readonly ok: false; readonly reason: SelectionReject };

export interface SelectionInput {
  readonly intent: SignalIntent;
  /** Underlying price at decision time (the Features record's). */
  readonly spot: number;
  /** Decision event time. */
  readonly ts: number;
  /** New York session date of ts (YYYY-MM-DD). */
  readonly date: string;
  /** ATM IV from Features for the resolved expiry's tenor, used when the chain cannot give one. */
  readonly fallbackIv: number | null;
}

interface Candidate {
  readonly q: ChainQuote;
  readonly delta: number;
  readonly gamma: number;
  readonly dist: number;
  readonly iv: number;
}

export function selectContract(input: SelectionInput, chain: ChainView, cfg: SelectionConfig): SelectionResult {
  const { intent, spot, ts } = input;
  const maxAge = cfg.maxQuoteAgeSec * 1000;
  const where = resolveExpiry(intent.underlying, intent.contract.expiry, input.date, chain, ts, maxAge, cfg.fallbackToNext);
  if (where === null) return { ok: false, reason: 'no-chain' };
  const { root, expiry } = where;
  const right = intent.direction === 'calls' ? 'C' : 'P';
  const lo = spot * (1 - cfg.strikeWindowPct);
  const hi = spot * (1 + cfg.strikeWindowPct);
  const rate = cfg.rate;
  const q = cfg.dividendYield[intent.underlying];
  const surface = new VolSurface({ underlying: intent.underlying, rate, dividendYield: q, maxQuoteAgeMs: maxAge });
  const pool: ChainQuote[] = [];
  for (const c of chain.slice(root, expiry)) {
    if (c.strike < lo || c.strike > hi || !ChainView.usable(c, ts, maxAge)) continue;
    surface.update(c, spot, ts);
    if (c.right === right) pool.push(c);
  }
  if (pool.length === 0) return { ok: false, reason: 'no-contract' };
  const settlement = ROOT_INFO[root].settlement;
  const t = yearFraction(ts, expiry, settlement);
  const target = intent.contract.targetDelta;
  const cands: Candidate[] = [];
  let sawIv = false;
  for (const c of pool) {
    const iv = surface.ivFor(c.strike, expiry) ?? input.fallbackIv;
    if (iv === null || !(iv > 0)) continue;
    sawIv = true;
    const g = bsGreeks({ right, spot, strike: c.strike, t, vol: iv, rate, q });
    const dist = Math.abs(Math.abs(g.delta) - target);
    if (dist <= cfg.deltaTolerance) cands.push({ q: c, delta: g.delta, gamma: g.gamma, dist, iv });
  }
  if (!sawIv) return { ok: false, reason: 'no-iv' };
  if (cands.length === 0) return { ok: false, reason: 'no-contract' };
  cands.sort((a, b) => a.dist - b.dist || a.q.ask - a.q.bid - (b.q.ask - b.q.bid) || a.q.strike - b.q.strike);
  let firstFailure: SelectionReject | null = null;
  for (const c of cands) {
    const why = check(c.q, root, cfg);
    if (why === null) return price(input, c, root, expiry, right, cfg);
    firstFailure ??= why;
  }
  return { ok: false, reason: firstFailure ?? 'no-contract' };
}

function check(q: ChainQuote, root: OptionRoot, cfg: SelectionConfig): SelectionReject | null {
  const mid = (q.bid + q.ask) / 2;
  if (mid < cfg.minPremium || q.ask - tickSize(root, q.ask) < tickSize(root, q.bid)) return 'premium-too-low';
  const spread = q.ask - q.bid;
  if (spread > cfg.maxSpreadPct * mid && spread > tickSize(root, q.bid) + 1e-9) return 'spread-too-wide';
  if (q.bidSize < cfg.minDisplayedSize || q.askSize < Math.max(cfg.minDisplayedSize, cfg.quantity)) return 'size-too-small';
  return null;
}

function price(
  input: SelectionInput,
  c: Candidate,
  root: OptionRoot,
  expiry: string,
  right: 'C' | 'P',
  cfg: SelectionConfig,
): SelectionResult {
  const { intent, spot, ts } = input;
  const q = c.q;
  const mid = (q.bid + q.ask) / 2;
  const limit = Math.min(roundToTick(root, mid + cfg.entryFraction * (q.ask - mid), 'up'), q.ask);
  const move = (dS: number): number => c.delta * dS + 0.5 * c.gamma * dS * dS;
  const gain = Math.max(move(intent.underlyingTarget - spot), tickSize(root, limit));
  const loss = Math.max(-move(intent.underlyingStop - spot), tickSize(root, limit));
  let takeProfit = roundToTick(root, limit + gain, 'nearest');
  if (takeProfit <= limit) takeProfit = roundToTick(root, limit + tickSize(root, limit), 'up');
  let stopPrice = roundToTick(root, limit - loss, 'nearest');
  const below = roundToTick(root, limit - tickSize(root, limit - 1e-9), 'down');
  if (stopPrice >= limit) stopPrice = below;
  const floor = tickSize(root, 0);
  if (stopPrice < floor) stopPrice = floor;
  if (stopPrice >= limit) return { ok: false, reason: 'premium-too-low' };
  const order: OrderIntent = {
    type: 'OrderIntent',
    ts,
    id: `${intent.id}-1`,
    signalId: intent.id,
    underlying: intent.underlying,
    root,
    optionSymbol: q.symbol,
    right,
    expiry,
    strike: q.strike,
    quantity: cfg.quantity,
    side: 'buy_to_open',
    limitPrice: limit,
    takeProfit,
    stopPrice,
    underlyingStop: intent.underlyingStop,
    underlyingTarget: intent.underlyingTarget,
    timeStop: intent.timeStop,
    playbook: intent.playbook,
    bidAtDecision: q.bid,
    askAtDecision: q.ask,
  };
  return { ok: true, order, delta: c.delta, iv: c.iv };
}
