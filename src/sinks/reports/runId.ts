/**
 * A run's id: `<from>[_<to>]-<config hash 8>-<UTC yyyymmddThhmmssmmm>` — readable, sortable, unique enough for
 * one user's runs. It names the backtests/ folder, the Parquet files and the log, and appears in manifest.json
 * only; nothing else a run writes depends on it (so the other outputs stay byte-identical across runs).
 */
export function runId(from: string, to: string, configHash: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('.', '').replace('Z', '');
  return `${from === to ? from : `${from}_${to}`}-${configHash.slice(0, 8)}-${stamp}`;
}
