/**
 * stage: run an operator beside the main stream instead of in place of it — the building block that lets
 * buildPipeline be ONE sequential chain (features → signals → risk → OMS) in which every event, whatever its
 * kind, passes every stage in stream order.
 *
 * For each upstream item x:
 *  1. if `accepts(x)`, x is handed to the operator, whose outputs go downstream at once (so outputs caused by x
 *     precede x: a Features record for a boundary comes out before the event that crossed it);
 *  2. unless `consumes(x)`, x itself then goes downstream.
 * A stage that consumes an item replaces it by its outputs (risk consumes raw OrderIntents and emits the approved
 * ones; nothing unapproved reaches the OMS).
 *
 * Errors from the operator or upstream error the output; completion of upstream completes the operator, then the
 * output (outputs emitted by the operator while completing are delivered first). Unsubscribing stops both.
 */
import { Observable, type OperatorFunction, type Subscriber } from 'rxjs';

/**
 * The operator's input: a multicast push source like a Subject, minus the per-item garbage. rxjs's Subject.next
 * allocates a closure, an iterator and an iterator result per observer for every item; with eight stages on every
 * market event that was the pipeline's largest allocator (and so the main cause of minor-GC pauses on the live hot
 * path). Subscribers are kept copy-on-write, so subscribing or unsubscribing while an item is being delivered
 * affects the next item, not the loop in progress — Subject's semantics.
 */
class Inlet<I> {
  private sinks: readonly Subscriber<I>[] = [];
  private done = false;
  readonly source = new Observable<I>((s) => {
    if (this.done) {
      s.complete();
      return;
    }
    this.sinks = [...this.sinks, s];
    return () => {
      this.sinks = this.sinks.filter((x) => x !== s);
    };
  });
  next(x: I): void {
    const sinks = this.sinks;
    for (let i = 0; i < sinks.length; i++) sinks[i]!.next(x);
  }
  complete(): void {
    this.done = true;
    const sinks = this.sinks;
    this.sinks = [];
    for (let i = 0; i < sinks.length; i++) sinks[i]!.complete();
  }
}

export function stage<T, I extends T, O>(
  op: OperatorFunction<I, O>,
  accepts: (x: T) => x is I,
  consumes: (x: T) => boolean = () => false,
): OperatorFunction<T, T | O> {
  return (source) =>
    new Observable<T | O>((subscriber) => {
      const inner = new Inlet<I>();
      const opSub = inner.source.pipe(op).subscribe({
        next: (o) => subscriber.next(o),
        error: (e: unknown) => subscriber.error(e),
      });
      const srcSub = source.subscribe({
        next: (x) => {
          if (accepts(x)) inner.next(x);
          if (!consumes(x)) subscriber.next(x);
        },
        error: (e: unknown) => subscriber.error(e),
        complete: () => {
          inner.complete();
          subscriber.complete();
        },
      });
      return () => {
        srcSub.unsubscribe();
        opSub.unsubscribe();
      };
    });
}
