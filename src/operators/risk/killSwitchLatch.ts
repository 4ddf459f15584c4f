/**
 * KillSwitchLatch: the kill switch's memory. Once triggered it stays triggered (a second trigger is a no-op) until
 * a manual resume re-arms it. While not yet verified flat it asks again (CancelAllOrders + FlattenAll) every
 * `retryMs` of event time; verification is either the report-derived book being flat, or — when
 * `verifyWithBrokerPositions` — a BrokerPositions snapshot taken at or after the trigger showing no position.
 */
export type KillPoll = 'verified' | 'retry' | null;

export class KillSwitchLatch {
  private triggeredAt = Number.NaN;
  private lastAsk = Number.NaN;
  private brokerFlatAt = Number.NaN;
  private reasonText = '';
  private retries = 0;
  private verified = false;

  constructor(
    private readonly retryMs: number,
    private readonly verifyWithBroker: boolean,
  ) {}

  get active(): boolean {
    return !Number.isNaN(this.triggeredAt);
  }

  get isVerified(): boolean {
    return this.verified;
  }

  get reason(): string {
    return this.reasonText;
  }

  get retryCount(): number {
    return this.retries;
  }

  /** True when this trigger took effect; false when the switch was already thrown. */
  trigger(ts: number, reason: string): boolean {
    if (this.active) return false;
    this.triggeredAt = ts;
    this.lastAsk = ts;
    this.brokerFlatAt = Number.NaN;
    this.reasonText = reason;
    this.retries = 0;
    this.verified = false;
    return true;
  }

  /** A broker position snapshot: remembered as "broker flat at ts" when it holds no position. */
  onBrokerPositions(ts: number, flat: boolean): void {
    if (!this.active) return;
    this.brokerFlatAt = flat ? ts : Number.NaN;
  }

  poll(now: number, bookFlat: boolean): KillPoll {
    if (!this.active || this.verified) return null;
    const flat = this.verifyWithBroker ? this.brokerFlatAt >= this.triggeredAt : bookFlat;
    if (flat) {
      this.verified = true;
      return 'verified';
    }
    if (now - this.lastAsk >= this.retryMs) {
      this.lastAsk = now;
      this.retries++;
      return 'retry';
    }
    return null;
  }

  rearm(): void {
    this.triggeredAt = Number.NaN;
    this.lastAsk = Number.NaN;
    this.brokerFlatAt = Number.NaN;
    this.reasonText = '';
    this.retries = 0;
    this.verified = false;
  }
}
