/**
 * A progress bar on stderr for long work. Off when stderr is not a TTY or with --quiet, so pipes and CI logs stay
 * clean. Redraws at most ~10 times a second; the CLI (not operators) may read the wall clock.
 */
export interface ProgressBar {
  update(fraction: number, label?: string): void;
  done(): void;
}

const SILENT: ProgressBar = { update() {}, done() {} };

export function progressBar(enabled: boolean, stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  if (!enabled || !stream.isTTY) return SILENT;
  let last = 0;
  let drawn = false;
  const width = 30;
  return {
    update(fraction, label = '') {
      const now = Date.now();
      if (now - last < 100 && fraction < 1) return;
      last = now;
      const f = Math.max(0, Math.min(1, fraction));
      const filled = Math.round(f * width);
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(f * 100).toFixed(0).padStart(3)}% ${label.padEnd(24).slice(0, 24)}`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
