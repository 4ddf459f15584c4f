import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bsGreeks, bsPrice, normCdf, normPdf, type BsInput, type Right } from './blackScholes.js';

const REF_DIR = new URL('../../../fixtures/reference/black_scholes/', import.meta.url);

interface PyVollibTable {
  columns: string[];
  rows: number[][];
}
interface HaugRow {
  quantity: string;
  type: 'call' | 'put';
  strike: number;
  spot: number;
  q: number;
  r: number;
  t: number;
  vol: number;
  expected: number;
  tolerance: number;
}

const pyVollib = JSON.parse(readFileSync(new URL('py_vollib_bs_benchmark_values.json', REF_DIR), 'utf8')) as PyVollibTable;
const haug = JSON.parse(readFileSync(new URL('quantlib_haug_european_reference_values.json', REF_DIR), 'utf8')) as {
  rows: HaugRow[];
};

/** 1e-4 relative, or 1e-6 absolute for values near zero (the reference tables print ~7–10 significant digits). */
function close(actual: number, expected: number, rel = 1e-4, abs = 1e-6): boolean {
  return Math.abs(actual - expected) <= Math.max(abs, rel * Math.abs(expected));
}

function expectClose(actual: number, expected: number, label: string, rel?: number, abs?: number): void {
  if (!close(actual, expected, rel, abs)) {
    expect.fail(`${label}: got ${actual}, expected ${expected}`);
  }
}

describe('normCdf / normPdf', () => {
  it('matches high-precision reference values, tails included', () => {
    // Φ values from mpmath (mp.dps = 30), rounded to 17 significant digits.
    const cases: [number, number][] = [
      [0, 0.5],
      [0.3, 0.61791142218895263],
      [-0.3, 0.38208857781104737],
      [1, 0.84134474606854295],
      [-1.96, 0.024997895148220436],
      [3, 0.99865010196836991],
      [-5, 2.8665157187919391e-7],
      [-10, 7.6198530241605261e-24],
      [-20, 2.7536241186062337e-89],
      [-37, 5.7255712225245768e-300],
    ];
    for (const [x, want] of cases) expect(Math.abs(normCdf(x) - want) / want).toBeLessThan(1e-14);
    expect(normCdf(-40)).toBe(0);
    expect(normCdf(40)).toBe(1);
    expect(normCdf(Number.NaN)).toBeNaN();
  });

  it('satisfies Φ(x) + Φ(−x) = 1 and is monotone', () => {
    fc.assert(
      fc.property(fc.double({ min: -8, max: 8, noNaN: true }), (x) => {
        expect(Math.abs(normCdf(x) + normCdf(-x) - 1)).toBeLessThan(2e-16);
        expect(normCdf(x + 1e-3)).toBeGreaterThanOrEqual(normCdf(x));
      }),
    );
  });

  it('pdf integrates to the cdf difference (Simpson)', () => {
    const a = -1.2;
    const b = 0.7;
    const n = 200;
    const h = (b - a) / n;
    let s = normPdf(a) + normPdf(b);
    for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * normPdf(a + i * h);
    expect(Math.abs((s * h) / 3 - (normCdf(b) - normCdf(a)))).toBeLessThan(1e-10);
  });
});

describe('bsGreeks vs py_vollib benchmark table (vollib/py_vollib tests/test_data.json)', () => {
  const col = (name: string): number => {
    const i = pyVollib.columns.indexOf(name);
    if (i < 0) throw new Error(`missing column ${name}`);
    return i;
  };
  const [iS, iK, iR, iT, iV] = ['S', 'K', 'R', 't', 'v'].map(col) as [number, number, number, number, number];
  const fields = {
    C: { price: col('bs_call'), delta: col('CD'), gamma: col('CG'), theta: col('CT'), vega: col('CV'), rho: col('CR') },
    P: { price: col('bs_put'), delta: col('PD'), gamma: col('PG'), theta: col('PT'), vega: col('PV'), rho: col('PR') },
  } as const;

  it('has all 101 rows', () => expect(pyVollib.rows).toHaveLength(101));

  for (const right of ['C', 'P'] as Right[]) {
    it(`reproduces ${right === 'C' ? 'call' : 'put'} price and greeks on every row`, () => {
      for (const row of pyVollib.rows) {
        const input: BsInput = { right, spot: row[iS]!, strike: row[iK]!, rate: row[iR]!, t: row[iT]!, vol: row[iV]! };
        const g = bsGreeks(input);
        const f = fields[right];
        const label = `${right} S=${input.spot} t=${input.t} v=${input.vol}`;
        expectClose(g.price, row[f.price]!, `${label} price`);
        expectClose(bsPrice(input), row[f.price]!, `${label} bsPrice`);
        expectClose(g.delta, row[f.delta]!, `${label} delta`);
        expectClose(g.gamma, row[f.gamma]!, `${label} gamma`);
        // py_vollib's own test compares theta/365 at 1e-6, i.e. 3.65e-4 absolute per year.
        expectClose(g.theta, row[f.theta]!, `${label} theta`, 1e-4, 3.65e-4);
        // ... and vega·0.01, rho·0.01 at 1e-6 / 1e-9: 1e-4 absolute per 1.00 vol.
        expectClose(g.vega, row[f.vega]!, `${label} vega`, 1e-4, 1e-4);
        expectClose(g.rho, row[f.rho]!, `${label} rho`, 1e-4, 1e-6);
      }
    });
  }
});

describe('bsGreeks vs QuantLib europeanoption.cpp / Haug (1998)', () => {
  const inputOf = (r: HaugRow): BsInput => ({
    right: r.type === 'call' ? 'C' : 'P',
    spot: r.spot,
    strike: r.strike,
    t: r.t,
    vol: r.vol,
    rate: r.r,
    q: r.q,
  });

  it('has all 54 rows', () => expect(haug.rows).toHaveLength(54));

  it('reproduces every reference value within its tolerance', () => {
    for (const row of haug.rows) {
      const input = inputOf(row);
      const g = bsGreeks(input);
      let got: number;
      switch (row.quantity) {
        case 'price':
          got = g.price;
          break;
        case 'delta':
          got = g.delta;
          break;
        case 'gamma':
          got = g.gamma;
          break;
        case 'vega':
          got = g.vega;
          break;
        case 'theta':
          got = g.theta;
          break;
        case 'theta_per_day':
          got = g.theta / 365;
          break;
        case 'rho':
          got = g.rho;
          break;
        case 'elasticity':
          got = (g.delta * row.spot) / g.price;
          break;
        case 'dividendRho': {
          // Not part of Greeks; a central difference in q checks the q plumbing.
          const h = 1e-6;
          got = (bsPrice({ ...input, q: row.q + h }) - bsPrice({ ...input, q: row.q - h })) / (2 * h);
          break;
        }
        default:
          throw new Error(`unknown quantity ${row.quantity}`);
      }
      if (Math.abs(got - row.expected) > row.tolerance) {
        expect.fail(`${row.quantity} ${row.type} K=${row.strike} S=${row.spot}: got ${got}, expected ${row.expected}`);
      }
    }
  });
});

describe('degenerate inputs', () => {
  const base = { spot: 100, strike: 95, rate: 0.05, q: 0.02 };

  it('t = 0 gives intrinsic with step delta and no NaN', () => {
    const c = bsGreeks({ ...base, right: 'C', t: 0, vol: 0.2 });
    const p = bsGreeks({ ...base, right: 'P', t: 0, vol: 0.2 });
    expect(c.price).toBe(5);
    expect(c.delta).toBe(1);
    expect(p.price).toBe(0);
    expect(p.delta).toBe(-0);
    for (const g of [c, p]) for (const v of Object.values(g)) expect(Number.isFinite(v)).toBe(true);
    expect(c.gamma).toBe(0);
    expect(c.vega).toBe(0);
  });

  it('negative t is treated as expired', () => {
    expect(bsPrice({ ...base, right: 'C', t: -1, vol: 0.2 })).toBe(5);
  });

  it('vol = 0 gives discounted forward intrinsic', () => {
    const t = 0.5;
    const fwdIntrinsic = base.spot * Math.exp(-base.q * t) - base.strike * Math.exp(-base.rate * t);
    expect(bsPrice({ ...base, right: 'C', t, vol: 0 })).toBeCloseTo(fwdIntrinsic, 12);
    expect(bsPrice({ ...base, right: 'P', t, vol: 0 })).toBe(0);
    const g = bsGreeks({ ...base, right: 'C', t, vol: 0 });
    expect(g.delta).toBeCloseTo(Math.exp(-base.q * t), 12);
  });

  it('converges continuously to intrinsic as t → 0 (seconds before a 0DTE close)', () => {
    const oneSecond = 1 / (365 * 24 * 3600);
    for (const strike of [95, 99.99, 100, 100.01, 105]) {
      for (const right of ['C', 'P'] as Right[]) {
        const v = bsPrice({ right, spot: 100, strike, t: oneSecond, vol: 0.2, rate: 0.05 });
        const intrinsic = Math.max(0, right === 'C' ? 100 - strike : strike - 100);
        expect(Number.isFinite(v)).toBe(true);
        expect(Math.abs(v - intrinsic)).toBeLessThan(0.01);
      }
    }
  });
});

describe('properties', () => {
  const arb = fc.record({
    spot: fc.double({ min: 10, max: 10_000, noNaN: true }),
    m: fc.double({ min: 0.5, max: 1.5, noNaN: true }),
    t: fc.double({ min: 1e-6, max: 3, noNaN: true }),
    vol: fc.double({ min: 0.01, max: 3, noNaN: true }),
    rate: fc.double({ min: -0.01, max: 0.1, noNaN: true }),
    q: fc.double({ min: 0, max: 0.05, noNaN: true }),
  });

  it('put-call parity: C − P = S e^{−qt} − K e^{−rt}', () => {
    fc.assert(
      fc.property(arb, ({ spot, m, t, vol, rate, q }) => {
        const strike = spot * m;
        const c = bsPrice({ right: 'C', spot, strike, t, vol, rate, q });
        const p = bsPrice({ right: 'P', spot, strike, t, vol, rate, q });
        const rhs = spot * Math.exp(-q * t) - strike * Math.exp(-rate * t);
        expect(Math.abs(c - p - rhs)).toBeLessThan(1e-9 * spot);
      }),
    );
  });

  it('greeks match finite differences of the price', () => {
    fc.assert(
      fc.property(arb, fc.constantFrom<Right>('C', 'P'), ({ spot, m, t, vol, rate, q }, right) => {
        const i: BsInput = { right, spot, strike: spot * m, t: Math.max(t, 0.01), vol: Math.max(vol, 0.05), rate, q };
        const g = bsGreeks(i);
        const hs = spot * 1e-4;
        const dS = (bsPrice({ ...i, spot: spot + hs }) - bsPrice({ ...i, spot: spot - hs })) / (2 * hs);
        const hv = 1e-5;
        const dV = (bsPrice({ ...i, vol: i.vol + hv }) - bsPrice({ ...i, vol: i.vol - hv })) / (2 * hv);
        const ht = 1e-6;
        const dT = -(bsPrice({ ...i, t: i.t + ht }) - bsPrice({ ...i, t: i.t - ht })) / (2 * ht);
        const hr = 1e-6;
        const dR = (bsPrice({ ...i, rate: rate + hr }) - bsPrice({ ...i, rate: rate - hr })) / (2 * hr);
        const tol = (x: number): number => 1e-4 * Math.max(1, Math.abs(x)) * Math.max(1, spot / 100);
        expect(Math.abs(g.delta - dS)).toBeLessThan(tol(g.delta));
        expect(Math.abs(g.vega - dV)).toBeLessThan(tol(g.vega));
        expect(Math.abs(g.theta - dT)).toBeLessThan(tol(g.theta));
        expect(Math.abs(g.rho - dR)).toBeLessThan(tol(g.rho));
      }),
    );
  });
});
