/**
 * Tiny inline-SVG charts for report.html (no scripts, no fonts fetched, no network): a line/area chart over an
 * index axis, a bar chart of labelled values and a histogram. Coordinates print with one decimal so the same
 * data always yields the same bytes.
 */
const W = 760;
const H = 220;
const PAD = { l: 64, r: 12, t: 12, b: 34 };

export const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const f1 = (x: number) => {
  const s = x.toFixed(1);
  return s === '-0.0' ? '0.0' : s;
};
const money = (x: number) => (Math.abs(x) >= 1000 ? `${(x / 1000).toFixed(1)}k` : Math.abs(x) < 0.5 ? '0' : x.toFixed(0));

function frame(lo: number, hi: number, yFmt: (y: number) => string): { y: (v: number) => number; grid: string } {
  const span = hi - lo || 1;
  const y = (v: number) => PAD.t + (H - PAD.t - PAD.b) * (1 - (v - lo) / span);
  let grid = '';
  for (let i = 0; i <= 4; i++) {
    const v = lo + (span * i) / 4;
    grid += `<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${f1(y(v))}" y2="${f1(y(v))}" class="grid"/>`;
    grid += `<text x="${PAD.l - 6}" y="${f1(y(v) + 4)}" text-anchor="end">${esc(yFmt(v))}</text>`;
  }
  return { y, grid };
}

export function lineChart(title: string, values: readonly number[], opts: { area?: boolean; xLabels?: readonly [number, string][] } = {}): string {
  const vs = values.length ? values : [0];
  const lo = Math.min(0, ...vs);
  const hi = Math.max(0, ...vs);
  const { y, grid } = frame(lo, hi, money);
  const n = Math.max(1, vs.length - 1);
  const x = (i: number) => PAD.l + ((W - PAD.l - PAD.r) * i) / n;
  const pts = vs.map((v, i) => `${f1(x(i))},${f1(y(v))}`).join(' ');
  const shape = opts.area
    ? `<polygon points="${f1(x(0))},${f1(y(0))} ${pts} ${f1(x(vs.length - 1))},${f1(y(0))}" class="area"/>`
    : `<polyline points="${pts}" class="line"/>`;
  const xl = (opts.xLabels ?? []).map(([i, s]) => `<text x="${f1(x(i))}" y="${H - 12}" text-anchor="middle">${esc(s)}</text>`).join('');
  return `<figure><figcaption>${esc(title)}</figcaption><svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}">${grid}<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${f1(y(0))}" y2="${f1(y(0))}" class="zero"/>${shape}${xl}</svg></figure>`;
}

export function barChart(title: string, bars: readonly (readonly [string, number])[], yFmt: (v: number) => string = money): string {
  const vs = bars.map(([, v]) => v);
  const lo = Math.min(0, ...vs);
  const hi = Math.max(0, ...vs, lo === 0 ? 1 : 0);
  const { y, grid } = frame(lo, hi, yFmt);
  const n = Math.max(1, bars.length);
  const slot = (W - PAD.l - PAD.r) / n;
  const body = bars
    .map(([label, v], i) => {
      const x0 = PAD.l + slot * i + slot * 0.15;
      const top = Math.min(y(v), y(0));
      const h = Math.abs(y(v) - y(0));
      return (
        `<rect x="${f1(x0)}" y="${f1(top)}" width="${f1(slot * 0.7)}" height="${f1(h)}" class="${v < 0 ? 'neg' : 'pos'}"><title>${esc(label)}: ${esc(yFmt(v))}</title></rect>` +
        `<text x="${f1(x0 + slot * 0.35)}" y="${H - 12}" text-anchor="middle">${esc(label)}</text>`
      );
    })
    .join('');
  const empty = bars.length ? '' : `<text x="${W / 2}" y="${H / 2}" text-anchor="middle">no data</text>`;
  return `<figure><figcaption>${esc(title)}</figcaption><svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}">${grid}${body}${empty}</svg></figure>`;
}

/** Counts of `values` in `bins` equal-width bins over [lo, hi] (values outside clamp into the end bins). */
export function histogram(title: string, values: readonly number[], lo: number, hi: number, bins = 12): string {
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * bins)))]!++;
  const labels = counts.map((c, i) => [(lo + ((hi - lo) * (i + 0.5)) / bins).toFixed(2), c] as const);
  return barChart(`${title} (n = ${values.length})`, values.length ? labels : [], (v) => (Number.isInteger(v) ? String(v) : v.toFixed(1)));
}
