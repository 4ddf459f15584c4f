/**
 * `dreambot calibrate --from D1 --to D2 [--folds K] [--data DIR] [--model PATH]`: walk-forward calibration of the
 * learner (src/pipeline/calibrateRange.ts). Replays every trading day of the range, trains the meta-labeling
 * classifier and the playbook bandit on earlier days only and evaluates them on each of the last K days, then
 * stores a model trained on the whole range as the next storage/models/learner-v<N>-<hash>.json (or at
 * `--model PATH`) and writes backtests/<run>/calibration.json. Later replays and live runs load the latest model
 * (config `learner.model`: 'latest' | 'none' | a path to pin one).
 */
import type { CommandModule } from 'yargs';
import { parseIsoDate } from '../domain/time.js';
import { calibrateRange, type CalibrationReport } from '../pipeline/calibrateRange.js';
import { configFromArgs, withCommonOptions, type CommonArgs } from './configFromArgs.js';
import { progressBar } from './progressBar.js';

interface CalibrateArgs extends CommonArgs {
  from: string;
  to: string;
  folds: number;
  model?: string | undefined;
}

const fmt = (x: number | null, d = 3) => (x === null ? '—' : x.toFixed(d));

export function formatCalibration(r: CalibrationReport, reportPath: string): string {
  const lines: string[] = [];
  lines.push(`calibration ${r.from} → ${r.to}: ${r.days.length} days, seed ${r.seed}`);
  lines.push(`signals per day: ${Object.entries(r.rowsPerDay).map(([d, n]) => `${d} ${n}`).join(', ')}`);
  lines.push('walk-forward (train on earlier days only):');
  lines.push('  eval day     train  test  pos   AUC    Brier  (base)  | P&L $ base / filter / bandit / both        | entry R base / filter / bandit / both');
  for (const f of r.folds) {
    const p = f.pnl;
    lines.push(
      `  ${f.evalDay}  ${String(f.trainRows).padStart(5)} ${String(f.testRows).padStart(5)} ${String(f.testPositives).padStart(4)}  ${fmt(f.auc)}  ${fmt(f.brier)}  (${fmt(f.brierBaseRate)}) | ` +
        `${[p.baseline, p.filter, p.bandit, p.both].map((s) => s.netPnl.toFixed(2)).join(' / ').padEnd(42)} | ` +
        [p.baseline, p.filter, p.bandit, p.both].map((s) => `${s.entryR.toFixed(2)} (${s.entries})`).join(' / '),
    );
  }
  const o = r.outOfSample;
  lines.push(`out of sample: ${o.rows} signals, AUC ${fmt(o.auc)}, Brier ${fmt(o.brier)} (base rate ${fmt(o.brierBaseRate)})`);
  lines.push('  reliability: ' + o.reliability.filter((b) => b.count > 0).map((b) => `[${b.lo.toFixed(1)},${b.hi.toFixed(1)}) n=${b.count} p̄=${fmt(b.meanP, 2)} obs=${fmt(b.observed, 2)}`).join('; '));
  for (const k of ['baseline', 'filter', 'bandit', 'both'] as const) {
    const s = o.pnl[k];
    const denied = Object.entries(s.deniedByLearner).map(([r, n]) => `${r} ${n}`).join(', ');
    lines.push(`  ${k.padEnd(8)} trades ${String(s.trades).padStart(3)}  P&L $${s.netPnl.toFixed(2).padStart(9)}  entries ${String(s.entries).padStart(4)}  entry R ${s.entryR.toFixed(2).padStart(8)}${denied ? `  learner denials: ${denied}` : ''}`);
  }
  lines.push(`model ${r.model.version}${r.model.reused ? ' (identical to a stored model, reused)' : ''}: ${r.model.path} (${r.model.rows} rows, ${r.model.positives} positives)`);
  lines.push(`report ${reportPath}`);
  return lines.join('\n');
}

export const calibrateCommand: CommandModule<object, CalibrateArgs> = {
  command: 'calibrate',
  describe: 'walk-forward calibration of the learner (meta-label filter, playbook bandit); writes a new model version',
  builder: (y) =>
    withCommonOptions(y)
      .option('from', { type: 'string', demandOption: true, describe: 'first trading date YYYY-MM-DD' })
      .option('to', { type: 'string', demandOption: true, describe: 'last trading date YYYY-MM-DD' })
      .option('folds', { type: 'number', default: 4, describe: 'evaluate the last K days, each trained on the days before it' })
      .option('model', { type: 'string', describe: 'write the model to this path instead of the next storage/models/learner-v<N>-<hash>.json' })
      .example('$0 calibrate --from 2025-03-03 --to 2025-03-11 --data storage/calibration-data --symbols SPY,SPX,QQQ,NDX', 'calibrate on synthetic days') as never,
  handler: async (a) => {
    parseIsoDate(a.from);
    parseIsoDate(a.to);
    if (!Number.isInteger(a.folds) || a.folds < 1) throw new Error(`calibrate: bad --folds ${String(a.folds)} (want an integer ≥ 1)`);
    const config = configFromArgs(a);
    const bar = progressBar(!a.quiet && !a.json);
    const r = await calibrateRange(config, { from: a.from, to: a.to, folds: a.folds, ...(a.model ? { modelPath: a.model } : {}), onProgress: (s, f) => bar.update(f, s) });
    bar.done();
    process.stdout.write(a.json ? JSON.stringify(r.report, null, 2) + '\n' : formatCalibration(r.report, r.reportPath) + '\n');
  },
};
