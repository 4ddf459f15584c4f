/**
 * SlidingCount: how many events happened in the event-time window (now − windowMs, now]. Used for rate limits
 * (orders, cancels) and for the reject/denial storm detector.
 *
 * Timestamps are kept in a plain array with a moving head (compacted when half is dead), so adds and counts do
 * not allocate per event. Time must not go backwards: the caller feeds a monotone clock; an earlier `now` throws.
 */
export class SlidingCount {
  readonly windowMs: number;
  private stamps: number[] = [];
  private head = 0;
  private now = Number.NEGATIVE_INFINITY;

  constructor(windowMs: number) {
    if (!(windowMs > 0)) throw new Error(`SlidingCount: windowMs must be > 0, got ${windowMs}`);
    this.windowMs = windowMs;
  }

  add(ts: number): void {
    this.evict(ts);
    this.stamps.push(ts);
  }

  /** Events in (now − windowMs, now]. */
  count(now: number): number {
    this.evict(now);
    return this.stamps.length - this.head;
  }

  reset(): void {
    this.stamps = [];
    this.head = 0;
  }

  private evict(now: number): void {
    if (now < this.now) throw new Error(`SlidingCount: time went backwards (${now} < ${this.now})`);
    this.now = now;
    const cutoff = now - this.windowMs;
    const s = this.stamps;
    while (this.head < s.length && s[this.head]! <= cutoff) this.head++;
    if (this.head > 64 && this.head * 2 > s.length) {
      this.stamps = s.slice(this.head);
      this.head = 0;
    }
  }
}
