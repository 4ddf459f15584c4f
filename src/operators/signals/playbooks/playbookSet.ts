/**
 * PlaybookSet: one instance of each given playbook per underlying, created on the underlying's first record and
 * reset when its New York session date changes. `update` returns the intents the record completed, in factory
 * order (config order in `signals`).
 */
import type { Underlying } from '../../../domain/instruments.js';
import type { SignalIntent } from '../../../domain/orders.js';
import type { Features } from '../../features/featuresRecord.js';
import type { Playbook, PlaybookContext, PlaybookFactory } from './playbook.js';

export class PlaybookSet {
  private readonly byUnderlying = new Map<Underlying, { date: string | null; books: Playbook[] }>();
  private readonly out: SignalIntent[] = [];

  constructor(private readonly factories: readonly PlaybookFactory[]) {}

  /** Intents completed by this record; the returned array is reused by the next call. */
  update(f: Features, ctx: PlaybookContext): readonly SignalIntent[] {
    let entry = this.byUnderlying.get(f.underlying);
    if (entry === undefined) {
      entry = { date: ctx.session?.date ?? null, books: this.factories.map((make) => make()) };
      this.byUnderlying.set(f.underlying, entry);
    }
    const date = ctx.session?.date ?? null;
    if (date !== entry.date) {
      for (const b of entry.books) b.reset();
      entry.date = date;
    }
    this.out.length = 0;
    for (const b of entry.books) {
      const s = b.update(f, ctx);
      if (s !== null) this.out.push(s);
    }
    return this.out;
  }

  /** The instances for an underlying (created on first use), e.g. to read their declared regimes and windows. */
  playbooksOf(u: Underlying): readonly Playbook[] {
    return this.byUnderlying.get(u)?.books ?? [];
  }

  reset(): void {
    this.byUnderlying.clear();
  }
}
