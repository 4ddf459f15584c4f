/**
 * `dreambot ingest --date D`: build the day's catalog (the configured symbols extracted from the flat files into
 * compact Parquet under storage/catalog/) without replaying it. Replays afterwards read the catalog.
 */
import type { CommandModule } from 'yargs';
import { parseIsoDate } from '../domain/time.js';
import { openReplay } from '../streams/replay/openReplay.js';
import { totalDropped } from '../streams/replay/DataQualityReport.js';
import { configFromArgs, withCommonOptions, type CommonArgs } from './configFromArgs.js';
import { progressBar } from './progressBar.js';

interface IngestArgs extends CommonArgs {
  date: string;
  rebuild: boolean;
}

export const ingestCommand: CommandModule<object, IngestArgs> = {
  command: 'ingest',
  describe: 'extract a day\'s configured symbols from flat files into the Parquet catalog',
  builder: (y) =>
    withCommonOptions(y)
      .option('date', { type: 'string', demandOption: true, describe: 'trading date YYYY-MM-DD' })
      .option('rebuild', { type: 'boolean', default: false, describe: 'rebuild even if a matching catalog exists' }) as never,
  handler: async (a) => {
    parseIsoDate(a.date);
    const config = configFromArgs(a);
    const bar = progressBar(!a.quiet && !a.json);
    const t0 = performance.now();
    const { catalog } = await openReplay(config, a.date, { rebuild: a.rebuild, onProgress: (s, f) => bar.update(f, s) });
    bar.done();
    const seconds = (performance.now() - t0) / 1000;
    const dq = catalog.meta.dataQuality;
    if (a.json) {
      process.stdout.write(JSON.stringify({ dir: catalog.dir, built: catalog.built, rows: catalog.meta.rows, seconds, dataQuality: dq }, null, 2) + '\n');
    } else {
      process.stdout.write(
        `catalog ${catalog.dir} ${catalog.built ? 'built' : 'already up to date'}: ${catalog.meta.rows.toLocaleString('en-US')} rows, ` +
          `${catalog.meta.symbols.length} symbols, ${totalDropped(dq).toLocaleString('en-US')} rows dropped, ${seconds.toFixed(2)} s\n`,
      );
    }
  },
};

