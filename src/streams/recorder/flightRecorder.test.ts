import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { nyTimeToMs } from '../../domain/time.js';
import { FlightRecorder, nsText, recoverRecordings, recorderFilePath } from './flightRecorder.js';
import { readControlRows } from './recordingEvents.js';

let root = '';
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'dreambot-rec-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const T0 = nyTimeToMs('2025-03-10', 10);
const ns = (ms: number) => `${ms}000000`;
const st = (ms: number) => ({ nsWhole: ms, nsRem: 0 });

describe('FlightRecorder', () => {
  it('writes Polygon-layout CSV.gz per dataset and day (multi-member gzip), the control file with positions', async () => {
    const dir = join(root, 'a');
    const r = new FlightRecorder(dir, { flushMs: 0 });
    r.record({ type: 'Quote', ts: T0, symbol: 'SPY', bid: 570.1, bidSize: 2, ask: 570.12, askSize: 3, bidExchange: 11, askExchange: 12, seq: 7 }, st(T0));
    await r.flush();
    r.record({ type: 'Trade', ts: T0 + 1, symbol: 'SPY', price: 570.11, size: 100, exchange: 4, conditions: [12, 37], eligible: false, seq: 8 }, st(T0 + 1));
    r.record({ type: 'FeedState', ts: T0 + 1, cluster: 'options', state: 'STALE' }, { nsWhole: T0 + 1, nsRem: 1 });
    r.record({ type: 'IndexValue', ts: T0 + 2, symbol: 'I:SPX', value: 5700.25 }, st(T0 + 2));
    r.record({ type: 'Heartbeat', ts: T0 + 3 }, st(T0 + 3));
    r.record({ type: 'OptionQuote', ts: T0 + 4, symbol: 'O:SPXW250310C05700000', bid: 12.3, bidSize: 5, ask: 12.6, askSize: 7, bidExchange: 300, askExchange: 301, seq: 0 }, st(T0 + 4));
    expect(existsSync(`${recorderFilePath(dir, 'stockQuotes', '2025-03-10')}`)).toBe(false);
    await r.close();
    const read = (id: Parameters<typeof recorderFilePath>[1]) => gunzipSync(readFileSync(recorderFilePath(dir, id, '2025-03-10'))).toString().trim().split('\n');
    expect(read('stockQuotes')).toEqual([
      'ticker,ask_exchange,ask_price,ask_size,bid_exchange,bid_price,bid_size,conditions,indicators,participant_timestamp,sequence_number,sip_timestamp,tape,trf_timestamp',
      `SPY,12,570.12,3,11,570.1,2,,,${ns(T0)},7,${ns(T0)},,`,
    ]);
    expect(read('stockTrades')[1]).toBe(`SPY,"12,37",0,4,,${ns(T0 + 1)},570.11,8,${ns(T0 + 1)},100,,,`);
    expect(read('indexValues')[1]).toBe(`I:SPX,5700.25,${ns(T0 + 2)}`);
    expect(read('optionQuotes')).toEqual([
      'ticker,ask_exchange,ask_price,ask_size,bid_exchange,bid_price,bid_size,sequence_number,sip_timestamp',
      `O:SPXW250310C05700000,301,12.6,7,300,12.3,5,,${ns(T0 + 4)}`,
    ]);
    const ctl = await readControlRows(dir, '2025-03-10');
    expect(ctl.map((c) => [c.item.type, c.before])).toEqual([
      ['FeedState', 2],
      ['Heartbeat', 3],
    ]);
  });

  it('numbers print as String(x) prints them, on the fast path and off it; stamps keep their ns remainder', async () => {
    const dir = join(root, 'num');
    const r = new FlightRecorder(dir, { flushMs: 0 });
    const odd = 0.1 + 0.2; // 17 significant digits: written through the String fallback
    const stamp = { nsWhole: T0, nsRem: 42 };
    r.record({ type: 'IndexValue', ts: T0, symbol: 'I:SPX', value: odd }, stamp);
    r.record({ type: 'OptionQuote', ts: T0, symbol: 'O:SPY250310C00570000', bid: 1e-7, bidSize: 1, ask: 12345678.5, askSize: 2, bidExchange: 300, askExchange: 301, seq: 9 }, stamp);
    await r.close();
    const read = (id: Parameters<typeof recorderFilePath>[1]) => gunzipSync(readFileSync(recorderFilePath(dir, id, '2025-03-10'))).toString().trim().split('\n');
    expect(nsText(stamp)).toBe(`${T0}000042`);
    expect(read('indexValues')[1]).toBe(`I:SPX,${String(odd)},${T0}000042`);
    expect(read('optionQuotes')[1]).toBe(`O:SPY250310C00570000,301,12345678.5,2,300,1e-7,1,9,${T0}000042`);
  });

  it('crash: a torn last member is cut back to the last fsynced one, and the file is renamed into place', async () => {
    const dir = join(root, 'b');
    const r = new FlightRecorder(dir, { flushMs: 0 });
    r.record({ type: 'IndexValue', ts: T0, symbol: 'I:SPX', value: 1 }, st(T0));
    await r.flush();
    // Simulate a crash: the process dies mid-append (garbage after the good members), nothing renamed.
    const path = recorderFilePath(dir, 'indexValues', '2025-03-10');
    appendFileSync(`${path}.partial`, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01]));
    expect(existsSync(path)).toBe(false);
    const recovered = recoverRecordings(dir);
    expect(recovered).toContain(path);
    expect(gunzipSync(readFileSync(path)).toString()).toBe(`ticker,value,timestamp\nI:SPX,1,${ns(T0)}\n`);
    // A restart the same day keeps appending to the finished file.
    const r2 = new FlightRecorder(dir, { flushMs: 0 });
    r2.record({ type: 'IndexValue', ts: T0 + 5, symbol: 'I:SPX', value: 2 }, st(T0 + 5));
    await r2.close();
    expect(gunzipSync(readFileSync(path)).toString()).toBe(`ticker,value,timestamp\nI:SPX,1,${ns(T0)}\nI:SPX,2,${ns(T0 + 5)}\n`);
  });

  it('rotates at the New York date boundary', async () => {
    const dir = join(root, 'c');
    const r = new FlightRecorder(dir, { flushMs: 0 });
    const t1 = nyTimeToMs('2025-03-11', 9, 30);
    r.record({ type: 'IndexValue', ts: T0, symbol: 'I:SPX', value: 1 }, st(T0));
    r.record({ type: 'IndexValue', ts: t1, symbol: 'I:SPX', value: 2 }, st(t1));
    await r.close();
    expect(existsSync(recorderFilePath(dir, 'indexValues', '2025-03-10'))).toBe(true);
    expect(gunzipSync(readFileSync(recorderFilePath(dir, 'indexValues', '2025-03-11'))).toString()).toContain('I:SPX,2,');
  });
});
