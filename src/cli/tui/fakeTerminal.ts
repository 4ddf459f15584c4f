/**
 * In-memory terminal streams for Ink outside a TTY: tests (read what was drawn, type keys) and the throughput
 * benchmark (render into nothing, at a fixed size). Only the members Ink uses are provided.
 */
import { EventEmitter } from 'node:events';

export class FakeStdout extends EventEmitter {
  readonly isTTY = true;
  written = '';
  writes = 0;
  constructor(
    readonly columns = 120,
    readonly rows = 40,
    private readonly keep = true,
  ) {
    super();
  }
  write = (chunk: string): boolean => {
    this.writes++;
    if (this.keep) this.written += chunk;
    return true;
  };
  /** Everything written so far without ANSI escapes. */
  text(): string {
    // eslint-disable-next-line no-control-regex
    return this.written.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
  }
}

export class FakeStdin extends EventEmitter {
  readonly isTTY = true;
  private data: string | null = null;
  write(data: string): void {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  }
  read = (): string | null => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}
