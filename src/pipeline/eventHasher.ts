/**
 * EventHasher: the determinism fingerprint of a run (sha256 over every decision-side event, in order) without
 * building a JSON string per event. Values are written in a tagged binary form into a reused buffer that is fed
 * to the hash when full: numbers as their 8 IEEE-754 bytes, strings as length-prefixed UTF-8, objects as their
 * keys and values in property order, arrays with their length. Two event streams hash alike exactly when their
 * events are structurally equal (same keys in the same order, same values bit for bit). Used by replayDay and by
 * the live DecisionTally, so a replay and the live session it recorded compare by hash.
 *
 * Why not JSON.stringify: on the live hot path the per-event JSON string (a Features snapshot is over a kilobyte)
 * was the single largest allocation, and allocation is what triggers the garbage-collector pauses that delay frames.
 */
import { createHash, type Hash } from 'node:crypto';

const T_NUM = 1;
const T_STR = 2;
const T_TRUE = 3;
const T_FALSE = 4;
const T_UNDEF = 5;
const T_NULL = 6;
const T_ARR = 7;
const T_OBJ = 8;
const T_END = 9;
const T_BIGINT = 10;
const T_EVENT = 0x0a;

export class EventHasher {
  private readonly h: Hash = createHash('sha256');
  private buf = Buffer.allocUnsafe(1 << 16);
  private len = 0;
  /** Events added. */
  count = 0;

  add(e: object): void {
    this.value(e, 0);
    this.ensure(1);
    this.buf[this.len++] = T_EVENT;
    this.count++;
  }

  /** Hex digest of everything added so far (the hasher stays usable). */
  digest(): string {
    this.flush();
    return this.h.copy().digest('hex');
  }

  private flush(): void {
    if (this.len === 0) return;
    this.h.update(this.buf.subarray(0, this.len));
    this.len = 0;
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n * 2);
  }

  private str(tag: number, s: string): void {
    this.ensure(5 + s.length * 3);
    this.buf[this.len] = tag;
    const n = this.buf.write(s, this.len + 5, 'utf8');
    this.buf.writeUInt32LE(n, this.len + 1);
    this.len += 5 + n;
  }

  private value(v: unknown, depth: number): void {
    if (depth > 64) throw new Error('EventHasher: nesting deeper than 64 (a cycle?)');
    switch (typeof v) {
      case 'number':
        this.ensure(9);
        this.buf[this.len] = T_NUM;
        this.buf.writeDoubleLE(v, this.len + 1);
        this.len += 9;
        return;
      case 'string':
        this.str(T_STR, v);
        return;
      case 'boolean':
        this.ensure(1);
        this.buf[this.len++] = v ? T_TRUE : T_FALSE;
        return;
      case 'undefined':
        this.ensure(1);
        this.buf[this.len++] = T_UNDEF;
        return;
      case 'bigint':
        this.str(T_BIGINT, v.toString());
        return;
      case 'object': {
        if (v === null) {
          this.ensure(1);
          this.buf[this.len++] = T_NULL;
          return;
        }
        if (Array.isArray(v)) {
          this.ensure(5);
          this.buf[this.len] = T_ARR;
          this.buf.writeUInt32LE(v.length, this.len + 1);
          this.len += 5;
          for (let i = 0; i < v.length; i++) this.value(v[i], depth + 1);
          return;
        }
        this.ensure(1);
        this.buf[this.len++] = T_OBJ;
        const o = v as Record<string, unknown>;
        for (const k in o) {
          this.str(T_STR, k);
          this.value(o[k], depth + 1);
        }
        this.ensure(1);
        this.buf[this.len++] = T_END;
        return;
      }
      default:
        throw new Error(`EventHasher: cannot hash a ${typeof v}`);
    }
  }
}
