/**
 * `dreambot live --mode paper|sandbox|live [--confirm-account ID] [--symbols …] [--duration SEC] [--strikes N]`:
 * runs the same pipeline as replay on Polygon's live sockets — paper on the simulated broker, sandbox on Tradier's
 * sandbox, live on Tradier production (only with `--mode live` AND `--confirm-account` naming the configured
 * account). Records the session under storage/recordings (replay it with `dreambot replay --data
 * storage/recordings --date D`). Stop with Ctrl-C (SIGINT) or SIGTERM; trip the kill switch from another shell
 * with `dreambot kill`. `--recover-recordings` only finalizes recordings left by a crash, then exits.
 * Operating procedures: ops/runbook.md.
 */
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { configFromArgs, withCommonOptions, type CommonArgs } from './configFromArgs.js';
import { runLive } from '../pipeline/runLive.js';
import { recoverRecordings } from '../streams/recorder/flightRecorder.js';

interface LiveArgs extends CommonArgs {
  mode: string;
  'confirm-account'?: string | undefined;
  duration?: number | undefined;
  strikes?: number | undefined;
  record: boolean;
  'recover-recordings': boolean;
}

export const liveCommand: CommandModule<object, LiveArgs> = {
  command: 'live',
  describe: 'run the pipeline on live Polygon data: --mode paper (simulated fills) | sandbox | live (needs --confirm-account)',
  builder: (y) =>
    withCommonOptions(y)
      .option('mode', { type: 'string', choices: ['paper', 'sandbox', 'live'], demandOption: true, describe: 'paper: SimBroker on live quotes; sandbox: Tradier sandbox; live: Tradier production' })
      .option('confirm-account', { type: 'string', describe: 'required with --mode live: your Tradier account id (must equal TRADIER_LIVE_ACCOUNT_ID)' })
      .option('duration', { type: 'number', describe: 'stop after this many seconds (default: until Ctrl-C)' })
      .option('strikes', { type: 'number', describe: 'option strikes on each side of the money to subscribe (default 10)' })
      .option('record', { type: 'boolean', default: true, describe: 'flight-record the session under storage/recordings (--no-record to skip)' })
      .option('recover-recordings', { type: 'boolean', default: false, describe: 'only finalize recordings left by a crash, then exit' }) as never,
  handler: async (a) => {
    const config = configFromArgs(a);
    if (a['recover-recordings']) {
      const files = recoverRecordings(join(config.paths.storage, 'recordings'));
      process.stdout.write(files.length ? `recovered ${files.length} recording file(s)\n` : 'nothing to recover\n');
      return;
    }
    const ac = new AbortController();
    const stop = () => ac.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      if (!a.quiet) process.stderr.write(`dreambot live --mode ${a.mode}: logging to ${join(config.paths.storage, 'logs')}/ (Ctrl-C to stop)\n`);
      const r = await runLive({
        config,
        mode: a.mode,
        confirmAccount: a['confirm-account'],
        signal: ac.signal,
        ...(a.duration !== undefined ? { durationMs: a.duration * 1000 } : {}),
        record: a.record,
        ...(a.strikes !== undefined ? { feed: { roller: { strikesEachSide: a.strikes } } } : {}),
      });
      const out = {
        mode: r.mode,
        ended: r.ended,
        events: r.feed.emitted,
        heartbeats: r.feed.heartbeats,
        signals: r.tally.intents,
        ordersApproved: r.tally.approved,
        deniedByReason: r.tally.denied,
        fills: r.tally.fills,
        trades: r.tally.trades,
        netPnl: Math.round(r.tally.netPnl * 100) / 100,
        decisionsHash: r.decisionsHash.slice(0, 16),
        parityHash: r.parityHash.slice(0, 16),
        recording: r.recordingDate && r.recordingsDir ? `dreambot replay --data ${r.recordingsDir} --date ${r.recordingDate}` : null,
        feed: r.feed.clusters,
      };
      process.stdout.write(a.json ? `${JSON.stringify(out)}\n` : `${Object.entries(out).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join('\n')}\n`);
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  },
};
