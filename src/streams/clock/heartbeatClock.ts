/**
 * HeartbeatClock: decides when the live source injects a `Heartbeat` and what event time it carries — the only
 * place wall-clock time enters the event stream (DESIGN.md §2).
 *
 * Heartbeats exist so event time advances when the market is quiet (time stops, the 15:50 flatten, halt windows
 * and the kill switch keep working while a feed is silent or down). While market events flow they move event time
 * themselves, so a heartbeat is emitted only after `quietMs` of wall time without a market event. That keeps a
 * busy session free of heartbeats, and a recording of it replays to the same decisions with plain
 * `dreambot replay` (heartbeats that do fire are recorded in the recording's control file, see the recorder).
 *
 * Event time of a heartbeat: the last market event's time plus the wall time elapsed since it was received —
 * exchange time extrapolated at wall speed, which tracks the exchange clock without trusting the local clock's
 * absolute value (and works for accelerated test sessions). No heartbeat before the first market event: there
 * is no exchange time to extrapolate from, and with no data and no position nothing depends on time yet (the
 * kill switch still works: risk stamps it with the current event time). The sequencer then keeps it strictly
 * after the last stamp.
 */
export interface HeartbeatClockOptions {
  /** Wall time without market events before heartbeats start (default 1000 ms). */
  readonly quietMs?: number;
}

export class HeartbeatClock {
  private lastEventTs: number | null = null;
  private lastEventWall = 0;
  readonly quietMs: number;

  constructor(opts: HeartbeatClockOptions = {}) {
    this.quietMs = opts.quietMs ?? 1000;
  }

  /** A market event with event time `ts` was received at wall time `wall`. */
  onMarket(ts: number, wall: number): void {
    this.lastEventTs = ts;
    this.lastEventWall = wall;
  }

  /** On a wall-clock tick: the heartbeat's event time, or null when the market is not quiet. */
  tick(wall: number): number | null {
    if (this.lastEventTs === null) return null;
    const quiet = wall - this.lastEventWall;
    if (quiet < this.quietMs) return null;
    return Math.floor(this.lastEventTs + quiet);
  }
}
