/** `HH:MM:SS.mmm` New York time of an event time (for reports; deterministic, no locale). */
import { toNy } from '../../domain/time.js';

export function etClock(ms: number): string {
  const w = toNy(ms);
  const milli = Math.floor(ms - Math.floor(ms / 1000) * 1000);
  const p = (n: number, k = 2) => String(n).padStart(k, '0');
  return `${p(w.hour)}:${p(w.minute)}:${p(w.second)}.${p(milli, 3)}`;
}
