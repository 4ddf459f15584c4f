import { describe, expect, it } from 'vitest';
import { TestScheduler } from 'rxjs/testing';
import { filter, map, merge, take, type OperatorFunction } from 'rxjs';
import { stage } from './stage.js';

const isNum = (x: number | string): x is number => typeof x === 'number';
const doubled: OperatorFunction<number, string> = (s) => s.pipe(map((n) => `2x${n * 2}`));

function ts() {
  return new TestScheduler((a, e) => expect(a).toEqual(e));
}

describe('stage', () => {
  it('emits the operator outputs for an item before the item, and passes other items through', () => {
    ts().run(({ cold, expectObservable }) => {
      const src = cold<number | string>('a-----b-----(c|)', { a: 1, b: 'x', c: 3 });
      expectObservable(src.pipe(stage(doubled, isNum))).toBe('(pa)--b-----(qc|)', { p: '2x2', a: 1, b: 'x', q: '2x6', c: 3 });
    });
  });

  it('consumed items are replaced by the outputs', () => {
    ts().run(({ cold, expectObservable }) => {
      const src = cold<number | string>('a-b-c|', { a: 1, b: 'x', c: 3 });
      const evenOnly: OperatorFunction<number, number> = (s) => s.pipe(filter((n) => n % 2 === 1), map((n) => n * 10));
      expectObservable(src.pipe(stage(evenOnly, isNum, isNum))).toBe('a-b-c|', { a: 10, b: 'x', c: 30 });
    });
  });

  it('propagates upstream errors and operator errors', () => {
    ts().run(({ cold, expectObservable }) => {
      expectObservable(cold<number | string>('a-#', { a: 'x' }).pipe(stage(doubled, isNum))).toBe('a-#', { a: 'x' });
      const boom: OperatorFunction<number, string> = (s) => s.pipe(map(() => { throw new Error('boom'); }));
      expectObservable(cold<number | string>('a-b|', { a: 'x', b: 2 }).pipe(stage(boom, isNum))).toBe('a-#', { a: 'x' }, new Error('boom'));
    });
  });

  it('empty completes with nothing; early unsubscribe stops', () => {
    ts().run(({ cold, expectObservable, expectSubscriptions }) => {
      expectObservable(cold<number | string>('|').pipe(stage(doubled, isNum))).toBe('|');
      const src = cold<number | string>('a-----b-----c|', { a: 1, b: 2, c: 3 });
      expectObservable(src.pipe(stage(doubled, isNum)), '^------!').toBe('(pa)--(qb)', { p: '2x2', a: 1, q: '2x4', b: 2 });
      expectSubscriptions(src.subscriptions).toBe('^------!');
    });
  });

  it('an operator that subscribes to its input more than once sees every item on each subscription', () => {
    ts().run(({ cold, expectObservable }) => {
      const src = cold<number | string>('a------b------(c|)', { a: 1, b: 'x', c: 3 });
      const twice: OperatorFunction<number, string> = (s) => merge(s.pipe(map((n) => `A${n}`)), s.pipe(map((n) => `B${n}`)));
      expectObservable(src.pipe(stage(twice, isNum))).toBe('(pqa)--b------(rsc|)', { p: 'A1', q: 'B1', a: 1, b: 'x', r: 'A3', s: 'B3', c: 3 });
    });
  });

  it('an inner subscription that ends mid-stream stops receiving while the others go on', () => {
    ts().run(({ cold, expectObservable }) => {
      const src = cold<number | string>('a------b------(c|)', { a: 1, b: 2, c: 3 });
      const firstAndAll: OperatorFunction<number, string> = (s) => merge(s.pipe(take(1), map((n) => `F${n}`)), s.pipe(map((n) => `E${n}`)));
      expectObservable(src.pipe(stage(firstAndAll, isNum))).toBe('(pqa)--(rb)---(sc|)', { p: 'F1', q: 'E1', a: 1, r: 'E2', b: 2, s: 'E3', c: 3 });
    });
  });
});
