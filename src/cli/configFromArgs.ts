/**
 * Shared CLI options → the strict config. CLI flags override the config file, which overrides the environment
 * defaults; everything is validated by the one schema (all problems reported together).
 */
import type { Argv } from 'yargs';
import type { Config } from '../domain/configSchema.js';
import { loadConfig } from '../domain/loadConfig.js';

export interface CommonArgs {
  config?: string | undefined;
  data?: string | undefined;
  symbols?: string | undefined;
  quiet?: boolean | undefined;
  json?: boolean | undefined;
}

export function withCommonOptions<T>(y: Argv<T>) {
  return y
    .option('config', { type: 'string', describe: 'JSON config file (default: $DREAMBOT_CONFIG, else built-in defaults)' })
    .option('data', { type: 'string', describe: 'root of Polygon-layout flat files (default: data/)' })
    .option('symbols', { type: 'string', describe: 'underlyings, comma-separated: SPY,QQQ,SPX,NDX' })
    .option('quiet', { type: 'boolean', default: false, describe: 'no progress bar' })
    .option('json', { type: 'boolean', default: false, describe: 'print the result as JSON' });
}

export function configFromArgs(a: CommonArgs): Config {
  const replay: Record<string, unknown> = {};
  if (a.symbols !== undefined) {
    replay.symbols = a.symbols
      .split(',')
      .map((s) => s.trim().toUpperCase())
      .filter((s) => s !== '');
  }
  const paths: Record<string, unknown> = {};
  if (a.data !== undefined) paths.data = a.data;
  return loadConfig({ file: a.config, overrides: { replay, paths } });
}
