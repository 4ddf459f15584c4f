/**
 * Numbers written as ASCII straight into a Buffer, with the same text as `String(x)`, for the flight recorder's
 * hot rows.
 *
 * Why not `String(x)`: V8 keeps every number it turns into a string in its number-string cache (thousands of
 * entries, in the old generation). A string referenced from that cache survives minor GCs until another number
 * takes its slot, so at tens of thousands of fields a second the recorder's strings were a leading source of
 * scavenge survivors and promotions — the GC pauses behind the live latency tail. Here nothing is allocated.
 *
 * Exactness: integers below 2^53 are written digit by digit. Other numbers with 1e-6 ≤ |x| < 1e7 are written with
 * the fewest decimals k ≤ 8 for which round(x·10^k)/10^k === x. That decimal parses back to x (division of an
 * exact integer by an exact power of ten is correctly rounded), and it is the shortest round-trip text, which
 * is what `String(x)` prints (below 1e7 the round-trip interval is narrower than 10^-8, so at most one k-decimal
 * number lies in it). Everything else (more decimals, exponent notation, NaN/±∞) falls back to `String(x)`.
 */

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8];
const MAX_DECIMALS = 8;

/** Decimal digits of a non-negative integer below 2^53. */
function digitCount(n: number): number {
  let d = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    d++;
  }
  return d;
}

/** Write the non-negative integer `n` (< 2^53) at `pos`, zero-padded to `width` digits; returns the end. */
export function writeUint(buf: Buffer, pos: number, n: number, width = 0): number {
  const d = Math.max(digitCount(n), width);
  let p = pos + d;
  const end = p;
  for (let i = 0; i < d; i++) {
    const q = Math.floor(n / 10);
    buf[--p] = 48 + (n - q * 10);
    n = q;
  }
  return end;
}

/** Most bytes `writeNumber` can write without falling back to String (sign, 16 digits, point). */
export const MAX_FAST_NUMBER_BYTES = 20;

/**
 * Write `x` at `pos` as `String(x)` would print it. Returns the end position, or −1 when `x` needs the general
 * path (the caller writes `String(x)` instead). `buf` must have MAX_FAST_NUMBER_BYTES of room at `pos`.
 */
export function writeNumber(buf: Buffer, pos: number, x: number): number {
  let p = pos;
  let a = x;
  if (a < 0) {
    a = -a;
    buf[p++] = 45; // '-'
  }
  if (Number.isInteger(a) && a <= Number.MAX_SAFE_INTEGER) {
    if (a === 0) return writeUint(buf, pos, 0); // -0 prints as "0"
    return writeUint(buf, p, a);
  }
  if (!(a >= 1e-6 && a < 1e7)) return -1;
  for (let k = 1; k <= MAX_DECIMALS; k++) {
    const scale = POW10[k]!;
    const m = Math.round(a * scale);
    if (m / scale !== a) continue;
    const whole = Math.floor(m / scale);
    p = writeUint(buf, p, whole);
    buf[p++] = 46; // '.'
    return writeUint(buf, p, m - whole * scale, k);
  }
  return -1;
}
