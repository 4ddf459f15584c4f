/**
 * `dreambot kill [--reason TEXT] [--clear]`: trip the kill switch of a running instance by creating the watched
 * file storage/KILL (its content is the reason). A running live/paper instance polls it and goes HALTED: cancels
 * every working order, flattens positions, verifies flat with the broker. The file stays until `--clear`, so a
 * restart does not resume trading by surprise.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CommandModule } from 'yargs';
import { loadConfig } from '../domain/loadConfig.js';

interface KillArgs {
  reason: string;
  clear: boolean;
  config?: string | undefined;
}

export const killCommand: CommandModule<object, KillArgs> = {
  command: 'kill',
  describe: 'trip the kill switch of a running instance (creates storage/KILL); --clear removes it',
  builder: (y) =>
    y
      .option('reason', { type: 'string', default: 'manual kill from the command line', describe: 'recorded with the halt' })
      .option('clear', { type: 'boolean', default: false, describe: 'remove the kill file so trading may be resumed' })
      .option('config', { type: 'string', describe: 'JSON config file (for paths.storage)' }) as never,
  handler: (a) => {
    const path = join(loadConfig({ file: a.config }).paths.storage, 'KILL');
    if (a.clear) {
      const had = existsSync(path);
      rmSync(path, { force: true });
      process.stdout.write(had ? `removed ${path}; resume trading explicitly in the running instance\n` : `no kill file at ${path}\n`);
      return;
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${a.reason}\n`);
    process.stdout.write(`kill switch file written: ${path} (reason: ${a.reason})\n`);
  },
};
