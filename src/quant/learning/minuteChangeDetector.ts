/**
 * MinuteChangeDetector: one underlying's Bocpd fed with 1-minute log returns sampled from a price stream.
 *
 * The last price of each session minute (minutes counted from the open) closes that minute; each completed minute
 * gives one observation x = ln(close_m / close_{m−1}) · 10⁴ / volBps (bps in units of the prior volatility). A new
 * session date resets the detector. Prices outside the session (or non-positive) are ignored.
 * `update` returns the Bocpd step when a minute completed, else null. Used by the change-point operator (which
 * emits ChangePoint events) and by the learner (run-length feature): both see the same Features, so both get the
 * same posterior without a separate event type.
 */
import type { Session } from '../../domain/calendar.js';
import { Bocpd, type BocpdParams, type BocpdStep } from './bocpd.js';

export class MinuteChangeDetector {
  private readonly det: Bocpd;
  private date: string | null = null;
  private minute = -1;
  private lastPrice = 0;
  private prevClose: number | null = null;

  constructor(
    params: BocpdParams,
    private readonly volBps: number,
  ) {
    this.det = new Bocpd(params);
  }

  /** Last step (null before the first completed return of the session). */
  get value(): BocpdStep | null {
    return this.det.value;
  }

  update(ts: number, price: number, session: Session | null): BocpdStep | null {
    if (session === null || ts < session.open || ts > session.close || !(price > 0)) return null;
    if (this.date !== session.date) {
      this.det.reset();
      this.date = session.date;
      this.minute = -1;
      this.prevClose = null;
    }
    const minute = Math.floor((ts - session.open) / 60_000);
    let step: BocpdStep | null = null;
    if (this.minute >= 0 && minute !== this.minute) {
      const close = this.lastPrice;
      if (this.prevClose !== null) step = this.det.update((Math.log(close / this.prevClose) * 1e4) / this.volBps);
      this.prevClose = close;
    }
    this.minute = minute;
    this.lastPrice = price;
    return step;
  }
}
