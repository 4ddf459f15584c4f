/**
 * Read and validate the economic calendar file at start-up (an edge: the only file read of the risk stage besides
 * the kill-switch watcher). A missing or invalid file throws with the path; the caller decides whether to start
 * without a calendar, in which case risk allows no entries ('calendar-missing').
 */
import { readFileSync } from 'node:fs';
import { EconomicCalendar } from './economicCalendar.js';

export function loadEconomicCalendar(path: string): EconomicCalendar {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`economic calendar ${path} could not be read: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`economic calendar ${path} is not JSON: ${(err as Error).message}`);
  }
  return EconomicCalendar.fromJson(json, `economic calendar ${path}`);
}
