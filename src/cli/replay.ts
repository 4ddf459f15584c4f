/**
 * `dreambot replay --date D` | `--from D1 --to D2 [--workers N]`: replay flat files through the whole pipeline
 * (features → signals → risk → OMS on the simulated broker) and leave behind what a trader needs to judge it:
 *
 *   <backtests>/<run-id>/   summary.csv, fill_quality.csv, trades.csv, calibration.json, report.html, manifest.json
 *                           (<backtests> = config paths.backtests, or --out DIR)
 *   <storage>/parquet/      features, intents, gate/risk decisions, orders, order events, executions (per date)
 *   <storage>/logs/         <run-id>.log, pino JSON, secrets redacted
 *
 * Prints the run (one day: counts per event type, data quality, decisions; a range: one line per day) and the
 * summary table; `--json` prints the same as JSON. Multi-day ranges skip non-trading days and run in `--workers`
 * worker threads; outputs do not depend on the worker count.
 */
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { parseIsoDate } from '../domain/time.js';
import { replayDay } from '../pipeline/replayDay.js';
import { parseSpeed, replayWithDashboard } from './tui/replayWithDashboard.js';
import { tradingDaysBetween } from '../domain/calendar.js';
import { replayRange } from '../pipeline/replayRange.js';
import { configHash } from '../sinks/reports/configHash.js';
import { runId as makeRunId } from '../sinks/reports/runId.js';
import { summaryTable } from '../sinks/reports/summaryTable.js';
import { writeBacktest } from '../sinks/reports/writeBacktest.js';
import { runLogger } from '../sinks/storage/runLogger.js';
import { configFromArgs, withCommonOptions, type CommonArgs } from './configFromArgs.js';
import { eventsPerSecond, formatReplaySummary } from './formatReplaySummary.js';
import { progressBar } from './progressBar.js';

interface ReplayArgs extends CommonArgs {
  date?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  workers: number;
  out?: string | undefined;
  rebuild: boolean;
  sourceOnly: boolean;
  parquet: boolean;
  tui: boolean;
  speed: string;
}

export const replayCommand: CommandModule<object, ReplayArgs> = {
  command: 'replay',
  describe: 'replay a day (or a range of days) of flat files and write a backtest (default mode; no credentials, no network)',
  builder: (y) =>
    withCommonOptions(y)
      .option('date', { type: 'string', describe: 'trading date YYYY-MM-DD (or use --from/--to)' })
      .option('from', { type: 'string', describe: 'first date of a range (non-trading days are skipped)' })
      .option('to', { type: 'string', describe: 'last date of a range (default: --from)' })
      .option('workers', { type: 'number', default: 1, describe: 'worker threads for a range (days run in parallel)' })
      .option('out', { type: 'string', describe: 'base folder for the run folder (default: config paths.backtests)' })
      .option('parquet', { type: 'boolean', default: true, describe: 'store the run tables under storage/parquet (--no-parquet to skip)' })
      .option('rebuild', { type: 'boolean', default: false, describe: 'rebuild the catalog even if one exists' })
      .option('tui', { type: 'boolean', default: false, describe: 'watch the replay in the terminal dashboard (keys: k kill, p pause, r resume, q quit); writes no backtest files' })
      .option('speed', { type: 'string', default: 'max', describe: 'dashboard pace: 1, 10, 60 (× real time) or max' })
      .option('source-only', { type: 'boolean', default: false, describe: 'stream the events without the trading stages (source throughput; writes nothing)' })
      .conflicts('date', ['from', 'to'])
      // Usage errors (exit 2): one of --date / --from; --to only with --from.
      .implies('--no-date', 'from')
      .implies('to', 'from')
      .example('$0 replay --date 2025-03-10 --data fixtures/data --symbols SPY,SPX', 'replay the bundled fixture day')
      .example('$0 replay --from 2025-03-03 --to 2025-03-14 --workers 4', 'two weeks on four worker threads') as never,
  handler: async (a) => {
    if (!Number.isInteger(a.workers) || a.workers < 1 || a.workers > 64) throw new Error(`--workers must be an integer 1..64, got ${a.workers}`);
    if (a.sourceOnly && !a.date) throw new Error('--source-only replays one --date');
    const from = a.date ?? a.from!;
    const to = a.date ?? a.to ?? from;
    parseIsoDate(from);
    parseIsoDate(to);
    const config = configFromArgs(a);
    const bar = progressBar(!a.quiet && !a.json);

    if (a.tui) {
      if (!a.date) throw new Error('--tui replays one --date');
      const exit = await replayWithDashboard(config, from, parseSpeed(a.speed));
      if (exit.error) throw new Error(exit.error);
      return;
    }

    if (a.sourceOnly) {
      const r = await replayDay(config, from, { rebuild: a.rebuild, sourceOnly: true, onProgress: (s, f) => bar.update(f, s) });
      bar.done();
      process.stdout.write(a.json ? JSON.stringify(dayJson(r), null, 2) + '\n' : formatReplaySummary(r) + '\n');
      return;
    }

    // One --date is replayed as asked (a holiday is refused with its name); a range skips non-trading days.
    const days = a.date ? [a.date] : tradingDaysBetween(from, to);
    if (days.length === 0) throw new Error(`no NYSE trading day between ${from} and ${to}`);
    const startedAt = new Date();
    const id = makeRunId(from, to, configHash(config), startedAt);
    const log = runLogger(join(config.paths.storage, 'logs'), id);
    log.logger.info({ from, to, days, workers: a.workers, config }, 'replay started');
    try {
      const outcomes = await replayRange(config, {
        from,
        to,
        runId: id,
        workers: a.workers,
        rebuild: a.rebuild,
        parquet: a.parquet,
        onProgress: (f, label) => bar.update(f, label),
        onDay: (o) =>
          log.logger.info(
            {
              date: o.record.date,
              events: o.result.events,
              trades: o.record.trades.length,
              netPnl: o.result.trading?.netPnl,
              decisionsHash: o.record.decisionsHash,
              stateChanges: o.result.trading?.stateChanges,
              omsErrors: o.result.trading?.omsErrors,
              seconds: { catalog: o.result.catalogSeconds, stream: o.result.streamSeconds, parquet: o.parquetSeconds },
            },
            'day replayed',
          ),
      });
      bar.done();
      const finishedAt = new Date();
      const bt = writeBacktest({
        dir: join(a.out ?? config.paths.backtests, id),
        runId: id,
        config,
        days: outcomes,
        startedAt,
        finishedAt,
        workers: a.workers,
        logFile: log.path,
        argv: process.argv.slice(2),
      });
      log.logger.info({ dir: bt.dir, wallSeconds: (finishedAt.getTime() - startedAt.getTime()) / 1000 }, 'backtest written');
      const outputs = { runId: id, dir: bt.dir, files: bt.files, log: log.path, parquet: outcomes.flatMap((o) => o.parquetFiles) };
      if (a.json) {
        const json =
          outcomes.length === 1 && a.date
            ? { ...dayJson(outcomes[0]!.result), summary: bt.summary, outputs }
            : { from, to, days: outcomes.map((o) => dayJson(o.result)), summary: bt.summary, outputs };
        process.stdout.write(JSON.stringify(json, null, 2) + '\n');
        return;
      }
      const out: string[] = [];
      if (outcomes.length === 1) out.push(formatReplaySummary(outcomes[0]!.result));
      else {
        out.push(`replay ${from} … ${to}: ${outcomes.length} trading days on ${Math.min(a.workers, outcomes.length)} worker(s)`);
        for (const o of outcomes) {
          const t = o.result.trading;
          out.push(
            `  ${o.record.date}  ${o.result.events.toLocaleString('en-US').padStart(12)} events  ${String(t?.trades ?? 0).padStart(3)} trades  net $${(t?.netPnl ?? 0).toFixed(2).padStart(9)}  hash ${o.record.decisionsHash.slice(0, 12)}`,
          );
        }
        out.push(`elapsed ${((finishedAt.getTime() - startedAt.getTime()) / 1000).toFixed(2)} s`);
      }
      out.push('', 'summary (summary.csv):', summaryTable(bt.summary), '', `backtest ${bt.dir}`, `log ${log.path}`);
      process.stdout.write(out.join('\n') + '\n');
    } catch (e) {
      log.logger.error({ err: e instanceof Error ? e.message : String(e) }, 'replay failed');
      throw e;
    } finally {
      bar.done();
      log.close();
    }
  },
};

function dayJson(r: Awaited<ReturnType<typeof replayDay>>) {
  return {
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
}
