/**
 * RollingTimeWindow: running sums of up to three values over the event-time window (now − windowMs, now].
 *
 * Entries are evicted by event time (`evict(now)`), never by count or by a timer. Storage is a growable ring of
 * Float64Arrays, so pushes and evictions do not allocate per event; sums are kept incrementally and re-summed
 * from the ring whenever the window empties (kills float drift over a long session).
 *
 * Time must not go backwards across `push`/`evict` calls: that is a broken invariant and throws.
 */
export class RollingTimeWindow {
  readonly windowMs: number;
  private ts: Float64Array;
  private a: Float64Array;
  private b: Float64Array;
  private c: Float64Array;
  private head = 0;
  private len = 0;
  private sa = 0;
  private sb = 0;
  private sc = 0;
  private now = Number.NEGATIVE_INFINITY;

  constructor(windowMs: number, initialCapacity = 64) {
    if (!(windowMs > 0)) throw new Error(`RollingTimeWindow: windowMs must be > 0, got ${windowMs}`);
    this.windowMs = windowMs;
    this.ts = new Float64Array(initialCapacity);
    this.a = new Float64Array(initialCapacity);
    this.b = new Float64Array(initialCapacity);
    this.c = new Float64Array(initialCapacity);
  }

  push(ts: number, a: number, b = 0, c = 0): void {
    this.evict(ts);
    if (this.len === this.ts.length) this.grow();
    const i = (this.head + this.len) % this.ts.length;
    this.ts[i] = ts;
    this.a[i] = a;
    this.b[i] = b;
    this.c[i] = c;
    this.len++;
    this.sa += a;
    this.sb += b;
    this.sc += c;
  }

  /** Move event time to `now`, dropping entries with ts ≤ now − windowMs. */
  evict(now: number): void {
    if (now < this.now) throw new Error(`RollingTimeWindow: time went backwards (${now} < ${this.now})`);
    this.now = now;
    const cutoff = now - this.windowMs;
    const cap = this.ts.length;
    while (this.len > 0 && this.ts[this.head]! <= cutoff) {
      this.sa -= this.a[this.head]!;
      this.sb -= this.b[this.head]!;
      this.sc -= this.c[this.head]!;
      this.head = (this.head + 1) % cap;
      this.len--;
    }
    if (this.len === 0) {
      this.sa = this.sb = this.sc = 0;
      this.head = 0;
    }
  }

  get count(): number {
    return this.len;
  }

  get sumA(): number {
    return this.sa;
  }

  get sumB(): number {
    return this.sb;
  }

  get sumC(): number {
    return this.sc;
  }

  /** Event time of the latest `push`/`evict`. */
  get time(): number {
    return this.now;
  }

  clear(): void {
    this.head = 0;
    this.len = 0;
    this.sa = this.sb = this.sc = 0;
    this.now = Number.NEGATIVE_INFINITY;
  }

  private grow(): void {
    const cap = this.ts.length;
    const next = cap * 2;
    const copy = (src: Float64Array): Float64Array => {
      const dst = new Float64Array(next);
      for (let k = 0; k < this.len; k++) dst[k] = src[(this.head + k) % cap]!;
      return dst;
    };
    this.ts = copy(this.ts);
    this.a = copy(this.a);
    this.b = copy(this.b);
    this.c = copy(this.c);
    this.head = 0;
  }
}
