/**
 * CSV text the reports share: RFC 4180 quoting, `\n` line ends, and fixed decimal places per column so the same
 * numbers always print the same bytes (no locale, no exponent, no "-0"). Null/undefined print as an empty field.
 */
export type Cell = string | number | boolean | null | undefined;

export function fixed(x: number | null | undefined, digits: number): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '';
  const s = x.toFixed(digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

function field(c: Cell): string {
  if (c === null || c === undefined) return '';
  const s = typeof c === 'string' ? c : String(c);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const out = [header.map(field).join(',')];
  for (const r of rows) out.push(r.map(field).join(','));
  return out.join('\n') + '\n';
}
