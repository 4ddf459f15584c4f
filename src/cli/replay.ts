/**
 * `dreambot replay --date D`: replay one day of flat files through the whole pipeline (features → signals → risk
 * → OMS on the simulated broker) and print counts per event type, the data-quality report, signals per playbook,
 * gate and risk decisions per reason, fills, round trips and P&L, elapsed time and events/s.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { parseIsoDate } from '../domain/time.js';
import { replayDay } from '../pipeline/replayDay.js';
import { configFromArgs, withCommonOptions, type CommonArgs } from './configFromArgs.js';
import { eventsPerSecond, formatReplaySummary } from './formatReplaySummary.js';
import { progressBar } from './progressBar.js';

interface ReplayArgs extends CommonArgs {
  date: string;
  out?: string | undefined;
  rebuild: boolean;
  sourceOnly: boolean;
}

export const replayCommand: CommandModule<object, ReplayArgs> = {
  command: 'replay',
  describe: 'replay a day of flat files (default mode; no credentials, no network)',
  builder: (y) =>
    withCommonOptions(y)
      .option('date', { type: 'string', demandOption: true, describe: 'trading date YYYY-MM-DD' })
      .option('out', { type: 'string', describe: 'also write the result as summary.json into this folder' })
      .option('rebuild', { type: 'boolean', default: false, describe: 'rebuild the catalog even if one exists' })
      .option('source-only', { type: 'boolean', default: false, describe: 'stream the events without the trading stages (source throughput)' })
      .example('$0 replay --date 2025-03-10 --data fixtures/data --symbols SPY,SPX', 'replay the bundled fixture day') as never,
  handler: async (a) => {
    parseIsoDate(a.date);
    const config = configFromArgs(a);
    const bar = progressBar(!a.quiet && !a.json);
    const r = await replayDay(config, a.date, { rebuild: a.rebuild, sourceOnly: a.sourceOnly, onProgress: (s, f) => bar.update(f, s) });
    bar.done();
    const json = {
      date: r.date,
      underlyings: r.meta.underlyings,
      catalog: { dir: r.catalogDir, built: r.catalogBuilt, rows: r.meta.rows },
      counts: r.counts,
      events: r.events,
      elapsedSeconds: { catalog: r.catalogSeconds, stream: r.streamSeconds },
      eventsPerSecond: eventsPerSecond(r),
      trading: r.trading,
      dataQuality: r.meta.dataQuality,
    };
    if (a.out) {
      mkdirSync(a.out, { recursive: true });
      writeFileSync(join(a.out, 'summary.json'), JSON.stringify(json, null, 2) + '\n');
    }
    process.stdout.write(a.json ? JSON.stringify(json, null, 2) + '\n' : formatReplaySummary(r) + '\n');
  },
};
