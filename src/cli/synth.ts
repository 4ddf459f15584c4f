/**
 * `dreambot synth --date D [--scale small|full] [--seed N] [--out DIR]`: write one synthetic trading day in
 * Polygon flat-file layout (see src/streams/synthetic/generateDay.ts) and print one line per file.
 *
 * Thin handler: arguments are validated here (a bad or closed date, seed or scale is an Error naming it, which
 * main prints as one line); everything else lives in generateSyntheticDay.
 */
import type { CommandModule } from 'yargs';
import { parseIsoDate } from '../domain/time.js';
import { generateSyntheticDay, type SyntheticDayStats } from '../streams/synthetic/generateDay.js';

interface SynthArgs {
  date: string;
  scale: string;
  seed: number;
  out: string;
}

const CLI_SCALES = ['small', 'full'] as const;

function mb(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(2)} MB`;
}

/** One line per file plus a total, aligned for a terminal. */
export function formatSynthSummary(s: SyntheticDayStats): string[] {
  const width = Math.max(...s.files.map((f) => f.relPath.length));
  const lines = s.files.map((f) => `${f.relPath.padEnd(width)}  ${String(f.rows).padStart(10)} rows  ${mb(f.bytes).padStart(11)}`);
  lines.push(
    `synthetic ${s.date} scale=${s.scale} seed=${s.seed}: ${s.files.length} files, ${s.contracts} option contracts, ` +
      `${s.totalRows} rows, ${mb(s.totalBytes)} in ${s.seconds.toFixed(1)} s → ${s.outDir}`,
  );
  return lines;
}

export const synthCommand: CommandModule<object, SynthArgs> = {
  command: 'synth',
  describe: 'generate a synthetic trading day as Polygon flat files (stocks, indices, options)',
  builder: (y) =>
    y
      .option('date', { type: 'string', demandOption: true, describe: 'trading date YYYY-MM-DD' })
      .option('scale', { type: 'string', default: 'small', describe: 'small (fixture-sized) or full (a realistic day)' })
      .option('seed', { type: 'number', default: 42, describe: 'PRNG seed; same seed, same bytes' })
      .option('out', { type: 'string', default: 'data/', describe: 'root directory of the flat-file tree' }) as never,
  handler: async (args) => {
    const date = String(args.date);
    try {
      parseIsoDate(date);
    } catch (e) {
      throw new Error(`synth: bad --date ${JSON.stringify(date)}: ${(e as Error).message}`);
    }
    const scale = String(args.scale);
    if (!(CLI_SCALES as readonly string[]).includes(scale)) {
      throw new Error(`synth: bad --scale ${JSON.stringify(scale)} (want ${CLI_SCALES.join(' or ')})`);
    }
    if (!Number.isSafeInteger(args.seed)) throw new Error(`synth: bad --seed ${String(args.seed)} (want an integer)`);
    const stats = await generateSyntheticDay({
      date,
      scale: scale as (typeof CLI_SCALES)[number],
      seed: args.seed,
      outDir: String(args.out),
    });
    for (const line of formatSynthSummary(stats)) process.stdout.write(`${line}\n`);
  },
};
