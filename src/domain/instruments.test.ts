import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatPolygon,
  formatTradier,
  isOnTick,
  isOptionRoot,
  isUnderlying,
  parseOcc,
  polygonToTradier,
  roundToTick,
  tickSize,
  tradierToPolygon,
  tryParseOcc,
  underlyingOfRoot,
  type OptionContract,
  type OptionRoot,
} from './instruments.js';

describe('OCC symbols', () => {
  it.each<[string, OptionContract]>([
    ['O:SPXW250314C05700000', { root: 'SPXW', expiry: '2025-03-14', right: 'C', strike: 5700 }],
    ['O:NDXP260421P26000000', { root: 'NDXP', expiry: '2026-04-21', right: 'P', strike: 26000 }],
    ['O:SPX250321C05700000', { root: 'SPX', expiry: '2025-03-21', right: 'C', strike: 5700 }],
    ['O:NDX250321P20000000', { root: 'NDX', expiry: '2025-03-21', right: 'P', strike: 20000 }],
    ['O:SPY250310C00575000', { root: 'SPY', expiry: '2025-03-10', right: 'C', strike: 575 }],
    ['O:QQQ250310P00187500', { root: 'QQQ', expiry: '2025-03-10', right: 'P', strike: 187.5 }],
    ['O:AAPL1250321C00150000', { root: 'AAPL1', expiry: '2025-03-21', right: 'C', strike: 150 }],
  ])('%s parses and round-trips Polygon ↔ Tradier', (polygon, contract) => {
    const tradier = polygon.slice(2);
    expect(parseOcc(polygon)).toEqual(contract);
    expect(parseOcc(tradier)).toEqual(contract);
    expect(formatPolygon(contract)).toBe(polygon);
    expect(formatTradier(contract)).toBe(tradier);
    expect(polygonToTradier(polygon)).toBe(tradier);
    expect(tradierToPolygon(tradier)).toBe(polygon);
  });

  it('encodes fractional strikes as strike × 1000 in 8 digits', () => {
    expect(formatTradier({ root: 'QQQ', expiry: '2025-03-10', right: 'C', strike: 187.5 })).toBe('QQQ250310C00187500');
    expect(formatTradier({ root: 'SPY', expiry: '2025-03-10', right: 'P', strike: 0.5 })).toBe('SPY250310P00000500');
  });

  it('reads OSI symbols with a space-padded root', () => {
    expect(parseOcc('SPX   250321C05700000')).toEqual({ root: 'SPX', expiry: '2025-03-21', right: 'C', strike: 5700 });
    expect(polygonToTradier('SPX   250321C05700000')).toBe('SPX250321C05700000');
  });

  it.each([
    ['O:SPXW251314C05700000', 'bad month'],
    ['O:SPXW250230C05700000', 'Feb 30'],
    ['O:SPXW250300C05700000', 'day 0'],
    ['ABCDEFG250314C05700000', '7-char root'],
    ['SPXW250314X05700000', 'right not C/P'],
    ['SPXW25031405700000', 'missing C/P'],
    ['SPXW250314C5700000', '7-digit strike'],
    ['', 'empty'],
    ['spxw250314c05700000', 'lower case'],
  ])('%s (%s) throws naming the symbol', (symbol, _why) => {
    expect(() => parseOcc(symbol)).toThrow(symbol === '' ? '""' : symbol);
    expect(tryParseOcc(symbol)).toBeNull();
  });

  it('refuses to format what OCC cannot encode', () => {
    const ok: OptionContract = { root: 'SPXW', expiry: '2025-03-14', right: 'C', strike: 5700 };
    expect(() => formatTradier({ ...ok, strike: 100_000 })).toThrow('100000');
    expect(() => formatTradier({ ...ok, strike: -1 })).toThrow('-1');
    expect(() => formatTradier({ ...ok, strike: Number.NaN })).toThrow('NaN');
    expect(() => formatTradier({ ...ok, root: 'ABCDEFG' })).toThrow('ABCDEFG');
    expect(() => formatTradier({ ...ok, root: 'spxw' })).toThrow('spxw');
    expect(() => formatTradier({ ...ok, expiry: '1999-03-14' })).toThrow('1999-03-14');
  });

  it('round-trips any root, date and strike (property)', () => {
    const root = fc.stringMatching(/^[A-Z][A-Z0-9]{0,5}$/);
    const expiry = fc
      .integer({ min: Date.UTC(2000, 0, 1) / 86_400_000, max: Date.UTC(2099, 11, 31) / 86_400_000 })
      .map((n) => new Date(n * 86_400_000).toISOString().slice(0, 10));
    const right = fc.constantFrom<'C' | 'P'>('C', 'P');
    const strike = fc.integer({ min: 0, max: 99_999_999 }).map((m) => m / 1000);
    fc.assert(
      fc.property(root, expiry, right, strike, (r, e, c, k) => {
        const contract: OptionContract = { root: r, expiry: e, right: c, strike: k };
        const polygon = formatPolygon(contract);
        expect(parseOcc(polygon)).toEqual(contract);
        expect(tradierToPolygon(polygonToTradier(polygon))).toBe(polygon);
        const padded = `${r.padEnd(6, ' ')}${polygon.slice(2 + r.length)}`;
        expect(parseOcc(padded)).toEqual(contract);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('roots and underlyings', () => {
  it('maps roots to underlyings and guards names', () => {
    expect(underlyingOfRoot('SPXW')).toBe('SPX');
    expect(underlyingOfRoot('NDXP')).toBe('NDX');
    expect(underlyingOfRoot('SPY')).toBe('SPY');
    expect(isOptionRoot('SPXW')).toBe(true);
    expect(isOptionRoot('AAPL1')).toBe(false);
    expect(isUnderlying('QQQ')).toBe(true);
    expect(isUnderlying('SPXW')).toBe(false);
  });
});

describe('tick rules', () => {
  it.each<[OptionRoot, number, number]>([
    ['SPXW', 2.95, 0.05],
    ['SPXW', 2.999, 0.05],
    ['SPXW', 3.0, 0.1],
    ['SPX', 12.3, 0.1],
    ['NDXP', 0.05, 0.05],
    ['NDX', 150, 0.1],
    ['SPY', 0.01, 0.01],
    ['SPY', 25, 0.01],
    ['QQQ', 3.5, 0.01],
  ])('tickSize(%s, %s) = %s', (root, price, tick) => {
    expect(tickSize(root, price)).toBe(tick);
  });

  it.each<[OptionRoot, number, 'down' | 'up' | 'nearest', number]>([
    ['SPXW', 1.23, 'down', 1.2],
    ['SPXW', 1.23, 'up', 1.25],
    ['SPXW', 1.23, 'nearest', 1.25],
    ['SPXW', 1.22, 'nearest', 1.2],
    ['SPXW', 0.07, 'up', 0.1],
    ['SPXW', 2.95, 'down', 2.95],
    ['SPXW', 2.95, 'up', 2.95],
    // Across the $3 boundary: the grid is 0.05 below and 0.10 at or above.
    ['SPXW', 2.97, 'up', 3.0],
    ['SPXW', 2.98, 'nearest', 3.0],
    ['SPXW', 2.99, 'down', 2.95],
    ['SPXW', 3.04, 'down', 3.0],
    ['SPXW', 3.01, 'up', 3.1],
    ['SPXW', 3.04, 'nearest', 3.0],
    ['SPXW', 3.06, 'nearest', 3.1],
    ['SPX', 12.34, 'down', 12.3],
    ['SPX', 12.31, 'up', 12.4],
    ['NDXP', 45.55, 'nearest', 45.6],
    ['SPY', 1.234, 'down', 1.23],
    ['SPY', 1.231, 'up', 1.24],
    ['SPY', 1.235, 'nearest', 1.24],
    ['QQQ', 0.3, 'up', 0.3], // 0.1 + 0.2 style float noise must not push a price off its tick
    ['QQQ', 0.1 + 0.2, 'up', 0.3],
    ['SPXW', 0.1 + 0.2, 'down', 0.3],
  ])('roundToTick(%s, %s, %s) = %s', (root, price, mode, expected) => {
    expect(roundToTick(root, price, mode)).toBe(expected);
    expect(isOnTick(root, roundToTick(root, price, mode))).toBe(true);
  });

  it('defaults to nearest', () => {
    expect(roundToTick('SPXW', 1.22)).toBe(1.2);
  });

  it.each<[OptionRoot, number, boolean]>([
    ['SPXW', 2.95, true],
    ['SPXW', 2.96, false],
    ['SPXW', 3.0, true],
    ['SPXW', 3.05, false],
    ['SPXW', 3.1, true],
    ['SPY', 1.23, true],
    ['SPY', 1.235, false],
    ['QQQ', 0.1 + 0.2, true],
  ])('isOnTick(%s, %s) = %s', (root, price, on) => {
    expect(isOnTick(root, price)).toBe(on);
  });

  it('rounds onto the grid, in the requested direction, by less than a tick (property)', () => {
    const root = fc.constantFrom<OptionRoot>('SPX', 'SPXW', 'NDX', 'NDXP', 'SPY', 'QQQ');
    const price = fc.integer({ min: 1, max: 2_000_000 }).map((n) => n / 10_000);
    fc.assert(
      fc.property(root, price, (r, p) => {
        const down = roundToTick(r, p, 'down');
        const up = roundToTick(r, p, 'up');
        const near = roundToTick(r, p, 'nearest');
        for (const q of [down, up, near]) expect(isOnTick(r, q)).toBe(true);
        expect(down).toBeLessThanOrEqual(p + 1e-9);
        expect(up).toBeGreaterThanOrEqual(p - 1e-9);
        expect(up - down).toBeLessThanOrEqual(0.1 + 1e-9);
        expect([down, up]).toContain(near);
      }),
      { numRuns: 3000 },
    );
  });
});
