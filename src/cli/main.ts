/**
 * The `dreambot` CLI: one file per command, thin handlers. Exit codes: 0 success, 1 the work failed (with a
 * one-line reason first; details may follow), 2 bad usage.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ingestCommand } from './ingest.js';
import { killCommand } from './kill.js';
import { replayCommand } from './replay.js';
import { synthCommand } from './synth.js';

class UsageError extends Error {}

export async function main(argv: string[]): Promise<number> {
  try {
    await yargs(argv)
      .scriptName('dreambot')
      .command(replayCommand)
      .command(ingestCommand)
      .command(synthCommand)
      .command(killCommand)
      .command((await import('./live.js')).liveCommand)
      .command((await import('./calibrate.js')).calibrateCommand)
      .demandCommand(1, 'name a command: replay, ingest, synth or kill (see --help)')
      .strict()
      .help()
      .alias('h', 'help')
      .version(false)
      .wrap(Math.min(110, process.stdout.columns || 110))
      .fail((msg, err) => {
        throw err ?? new UsageError(msg);
      })
      .parseAsync();
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`dreambot: ${e.message}\n(run with --help for usage)\n`);
      return 2;
    }
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`dreambot: ${msg}\n`);
    if (process.env.DREAMBOT_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    return 1;
  }
}

process.exitCode = await main(hideBin(process.argv));
