/**
 * Seeded pseudo-random numbers: xoshiro128** (Blackman & Vigna 2018) seeded through splitmix32.
 *
 * Why this generator: 32-bit state words keep it fast in JS (`Math.imul`, no BigInt), the period (2^128 − 1) is
 * far beyond anything a simulated day draws, and it passes BigCrush. Every consumer of randomness (synthetic data,
 * simulated fills, the learner's exploration) takes a `Prng` so the same seed gives byte-identical outputs.
 *
 * `fork(label)` derives an independent stream from the generator's *seed* and the label, not from its current
 * state: adding draws to one stream never shifts another (`root.fork('SPY')` is the same whatever `root` drew).
 */

/** FNV-1a over the UTF-16 code units of a string; mixes labels into seeds. */
function fnv1a(s: string, h = 0x811c9dc5): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** splitmix32 step: a well-mixed 32-bit output for state `x` (Steele, Lea & Flood). */
function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

const TWO_POW_32 = 4294967296;

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | null = null;
  /** 32-bit key this stream was seeded from; forks hash it with their label. */
  private readonly key: number;

  /** `seed`: any finite number (integers recommended) or a string. */
  constructor(seed: number | string) {
    if (typeof seed === 'number' && !Number.isFinite(seed)) throw new Error(`PRNG seed must be finite, got ${seed}`);
    this.key = typeof seed === 'string' ? fnv1a(seed) : fnv1a(String(seed));
    let s = this.key;
    s = splitmix32(s);
    this.a = s;
    s = splitmix32(s);
    this.b = s;
    s = splitmix32(s);
    this.c = s;
    s = splitmix32(s);
    this.d = s;
    // All-zero state is the one fixed point of xoshiro; splitmix output makes it practically impossible, but be sure.
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** Next raw 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in [lo, hi] inclusive (both ends integers, hi − lo < 2^32). */
  int(lo: number, hi: number): number {
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi < lo) throw new Error(`bad int range [${lo}, ${hi}]`);
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Standard normal via the Marsaglia polar method; the second variate of each pair is kept for the next call. */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * m;
    return u * m;
  }

  /** Exponential with the given rate (mean 1/rate). */
  exponential(rate: number): number {
    return -Math.log(1 - this.next()) / rate;
  }

  /** Pick one element of a non-empty array uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty array');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Independent stream named by `label`, derived from this stream's seed (not its current state). */
  fork(label: string): Prng {
    return new Prng(`${this.key}/${label}`);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
