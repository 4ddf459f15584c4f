/**
 * Condition-code dictionaries → per-id frozen code arrays and "eligible for last price" flags, computed once per
 * catalog so the hot path only indexes arrays.
 *
 * Stock trades (SIP/UTP, specs/polygon.md §1.4): a print updates the last price only if none of its codes is in
 * NOT_LAST (average price, cash, derivatively priced, Form T, extended hours, official open/close, next day, price
 * variation, prior reference, seller, sold out of sequence, odd lot, trade-thru exempt, contingent, QCT).
 * Option trades (OPRA): late / out-of-sequence, multi-leg and stock-tied prints are not a single-leg last price.
 */
const STOCK_NOT_LAST = new Set([2, 7, 10, 12, 13, 15, 16, 20, 21, 22, 29, 33, 37, 41, 52, 53]);
const OPTION_NOT_LAST = new Set([
  202, 204, 206, 208, 232, 233, 234, 235, 236, 237, 238, 239, 240, 241, 242, 243, 244, 245, 246, 247,
]);

export interface ConditionEntry {
  readonly codes: readonly number[];
  readonly eligible: boolean;
}

const NONE: ConditionEntry = Object.freeze({ codes: Object.freeze([]) as readonly number[], eligible: true });

export function conditionTables(dict: readonly string[]): { stock: ConditionEntry[]; option: ConditionEntry[] } {
  const stock: ConditionEntry[] = [];
  const option: ConditionEntry[] = [];
  dict.forEach((s, id) => {
    if (id === 0 || s.trim() === '') {
      stock.push(NONE);
      option.push(NONE);
      return;
    }
    const codes = Object.freeze(
      s
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x !== '')
        .map(Number)
        .filter((x) => Number.isInteger(x)),
    ) as readonly number[];
    stock.push(Object.freeze({ codes, eligible: !codes.some((c) => STOCK_NOT_LAST.has(c)) }));
    option.push(Object.freeze({ codes, eligible: !codes.some((c) => OPTION_NOT_LAST.has(c)) }));
  });
  return { stock, option };
}
