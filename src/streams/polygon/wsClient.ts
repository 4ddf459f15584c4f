/**
 * A minimal WebSocket client (RFC 6455) for the Polygon feed: text frames in, text frames out, ping/pong and the
 * close handshake. No extensions (permessage-deflate is not offered), no subprotocols.
 *
 * Why not the `ws` package here: on the live hot path its receiver allocated about a kilobyte per frame (header
 * slices, buffer lists, stream bookkeeping) — a quarter of everything the live process allocated, and allocation is
 * what triggers the minor-GC pauses that delay frames. This client reads with `onread` into ONE reused buffer
 * (no Buffer per socket read, no stream machinery), parses frame headers in place and hands each message over as
 * the decoded string, which is the only allocation per frame. `ws` remains for the servers (the fake Polygon and
 * Tradier servers in tests) and for the Tradier stream.
 *
 * Behaviour, in the `ws` terms PolygonSocket relies on:
 *   - events: `open`, `message` (text: string), `pong`, `error` (Error), `close` (code, reason) — `close` exactly
 *     once, after any failure too (connection refused, handshake refused or timed out, protocol error);
 *   - `readyState` CONNECTING → OPEN → CLOSING → CLOSED; `send`, `ping` only while OPEN;
 *   - `close(code, reason)` starts the closing handshake (the socket is destroyed if the server does not answer
 *     within CLOSE_TIMEOUT_MS); `terminate()` drops the connection at once (close code 1006).
 * Protocol errors (masked or reserved-bit server frames, a fragmented control frame, a message over maxPayload,
 * a bad handshake answer) end the connection with an `error` naming the fault, then `close` (1002 / 1009 / 1006).
 */
import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';

export const WS_CONNECTING = 0;
export const WS_OPEN = 1;
export const WS_CLOSING = 2;
export const WS_CLOSED = 3;

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const READ_BUFFER_BYTES = 1 << 16;
const MAX_HANDSHAKE_BYTES = 16 * 1024;
const CLOSE_TIMEOUT_MS = 2_000;

const OP_CONT = 0x0;
const OP_TEXT = 0x1;
const OP_BINARY = 0x2;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;

export interface WsClientOptions {
  /** Largest message accepted (bytes); a larger one is a protocol error (close 1009). */
  readonly maxPayload?: number;
  /** Connect + opening handshake must finish within this, else `error` and `close`. */
  readonly handshakeTimeoutMs?: number;
  /** wss: certificate authorities to trust instead of the system's (a private deployment, or a test server). */
  readonly ca?: string | Buffer;
}

export interface WsClientEvents {
  open: [];
  message: [text: string];
  pong: [];
  error: [err: Error];
  close: [code: number, reason: string];
}

class WsProtocolError extends Error {
  constructor(
    message: string,
    readonly closeCode: number,
  ) {
    super(message);
  }
}

export class WsClient extends EventEmitter<WsClientEvents> {
  readyState = WS_CONNECTING;
  private readonly socket: net.Socket;
  private readonly maxPayload: number;
  private readonly key = randomBytes(16).toString('base64');
  private handshake: Buffer | null = Buffer.alloc(0);
  private handshakeTimer: NodeJS.Timeout | null = null;
  private closeTimer: NodeJS.Timeout | null = null;
  private closeCode = 1006;
  private closeReason = '';
  private closeSent = false;
  private emittedClose = false;
  /** No more frames are read: terminated, failed, or the server's close frame has arrived. */
  private dead = false;
  // Frame parser state. A header split across reads collects in `head`; a payload that does not fit in the
  // current read collects in `partial` (allocated at the payload's size).
  private readonly head = Buffer.alloc(14);
  private headLen = 0;
  private partial: Buffer | null = null;
  private partialLen = 0;
  private partialOp = 0;
  private partialFin = false;
  /** Fragments of a message still being received (opcode of its first frame in `fragOp`). */
  private frags: Buffer[] | null = null;
  private fragBytes = 0;
  private fragOp = 0;

  constructor(url: string, opts: WsClientOptions = {}) {
    super();
    this.maxPayload = opts.maxPayload ?? 64 * 1024 * 1024;
    const u = new URL(url);
    if (u.protocol !== 'ws:' && u.protocol !== 'wss:') throw new Error(`WsClient: ${u.protocol} is not a websocket URL (ws: or wss:)`);
    const secure = u.protocol === 'wss:';
    const host = u.hostname.replace(/^\[|\]$/g, '');
    const port = u.port ? Number(u.port) : secure ? 443 : 80;
    const onread = { buffer: Buffer.allocUnsafe(READ_BUFFER_BYTES), callback: (n: number, buf: Buffer): boolean => this.onRead(buf, n) };
    // tls.connect takes `onread` like net.connect (Node ≥ 13); @types/node does not declare it.
    const tlsOpts = { host, port, onread, ...(net.isIP(host) ? {} : { servername: host }), ...(opts.ca !== undefined ? { ca: opts.ca } : {}) } as tls.ConnectionOptions;
    this.socket = secure ? tls.connect(tlsOpts) : net.connect({ host, port, onread });
    this.socket.setNoDelay(true);
    this.socket.once(secure ? 'secureConnect' : 'connect', () => {
      const path = `${u.pathname || '/'}${u.search}`;
      this.socket.write(`GET ${path} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${this.key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
    this.socket.on('error', (err) => this.fail(err));
    this.socket.on('close', () => this.finish());
    if (opts.handshakeTimeoutMs !== undefined) {
      this.handshakeTimer = setTimeout(() => this.fail(new Error(`websocket opening handshake timed out after ${opts.handshakeTimeoutMs} ms`)), opts.handshakeTimeoutMs);
    }
  }

  send(text: string): void {
    if (this.readyState !== WS_OPEN) throw new Error('WsClient: send while not open');
    this.writeFrame(OP_TEXT, Buffer.from(text, 'utf8'));
  }

  ping(): void {
    if (this.readyState === WS_OPEN) this.writeFrame(OP_PING, Buffer.alloc(0));
  }

  /** Start the closing handshake; the connection ends when the server answers (or after a timeout). */
  close(code = 1000, reason = ''): void {
    if (this.readyState === WS_CLOSED || this.readyState === WS_CLOSING) return;
    if (this.readyState === WS_CONNECTING) {
      this.terminate();
      return;
    }
    this.readyState = WS_CLOSING;
    this.sendClose(code, reason);
    this.closeTimer = setTimeout(() => this.socket.destroy(), CLOSE_TIMEOUT_MS);
  }

  /** Drop the connection now (close code 1006). */
  terminate(): void {
    if (this.readyState === WS_CLOSED) return;
    this.dead = true;
    this.readyState = WS_CLOSING;
    this.socket.destroy();
  }

  // ------------------------------------------------------------------------------------------ reading

  /** onread callback: `n` bytes in the reused `buf`. Everything needed later is copied out before returning. */
  private onRead(buf: Buffer, n: number): boolean {
    if (this.dead) return true;
    try {
      let p = 0;
      if (this.handshake !== null) {
        p = this.readHandshake(buf, n);
        if (p < 0) return true;
      }
      this.readFrames(buf, p, n);
    } catch (err) {
      const e = err as Error;
      if (e instanceof WsProtocolError) this.protocolError(e);
      else this.fail(e);
    }
    return true;
  }

  /** Collect the HTTP answer; returns where frame data starts in `buf`, or −1 while the answer is incomplete. */
  private readHandshake(buf: Buffer, n: number): number {
    const prev = this.handshake!;
    const all = Buffer.concat([prev, buf.subarray(0, n)]);
    const end = all.indexOf('\r\n\r\n');
    if (end < 0) {
      if (all.length > MAX_HANDSHAKE_BYTES) throw new Error('websocket handshake: answer headers too long');
      this.handshake = all;
      return -1;
    }
    const lines = all.toString('latin1', 0, end).split('\r\n');
    const status = /^HTTP\/1\.1 (\d{3})/.exec(lines[0] ?? '');
    if (!status || status[1] !== '101') throw new Error(`websocket handshake: unexpected server response ${status ? status[1] : JSON.stringify(lines[0] ?? '')}`);
    const headers = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const i = line.indexOf(':');
      if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
    }
    const expected = createHash('sha1').update(this.key + GUID).digest('base64');
    if ((headers.get('upgrade') ?? '').toLowerCase() !== 'websocket') throw new Error('websocket handshake: missing "Upgrade: websocket"');
    if (headers.get('sec-websocket-accept') !== expected) throw new Error('websocket handshake: wrong Sec-WebSocket-Accept');
    if (headers.has('sec-websocket-extensions')) throw new Error('websocket handshake: server chose an extension we did not offer');
    this.handshake = null;
    if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
    this.handshakeTimer = null;
    this.readyState = WS_OPEN;
    this.emit('open');
    // Bytes after the headers are frames: they came in this read, at the end of `all`.
    const rest = all.length - (end + 4);
    if (rest > 0) {
      const tail = all.subarray(end + 4);
      this.readFrames(tail, 0, tail.length);
    }
    return n; // everything in `buf` is consumed (its frame bytes were handled through `all`)
  }

  private readFrames(buf: Buffer, p: number, n: number): void {
    while (p < n && !this.dead) {
      if (this.partial !== null) {
        const take = Math.min(this.partial.length - this.partialLen, n - p);
        buf.copy(this.partial, this.partialLen, p, p + take);
        this.partialLen += take;
        p += take;
        if (this.partialLen === this.partial.length) {
          const payload = this.partial;
          this.partial = null;
          this.onFrame(this.partialOp, this.partialFin, payload, 0, payload.length);
        }
        continue;
      }
      // Header: from `buf` directly when whole, else through `head`.
      let src = buf;
      let h = p;
      let avail = n - p;
      if (this.headLen > 0) {
        const need = Math.min(14 - this.headLen, avail);
        buf.copy(this.head, this.headLen, p, p + need);
        src = this.head;
        h = 0;
        avail = this.headLen + need;
      }
      if (avail < 2) {
        this.stashHead(src, h, avail, buf, p, n);
        return;
      }
      const b0 = src[h]!;
      const b1 = src[h + 1]!;
      if (b0 & 0x70) throw new WsProtocolError('websocket: reserved bits set on a server frame (no extension was negotiated)', 1002);
      if (b1 & 0x80) throw new WsProtocolError('websocket: the server sent a masked frame', 1002);
      const fin = (b0 & 0x80) !== 0;
      const op = b0 & 0x0f;
      let len = b1 & 0x7f;
      let hdr = 2;
      if (len === 126) hdr = 4;
      else if (len === 127) hdr = 10;
      if (avail < hdr) {
        this.stashHead(src, h, avail, buf, p, n);
        return;
      }
      if (len === 126) len = src.readUInt16BE(h + 2);
      else if (len === 127) {
        const hi = src.readUInt32BE(h + 2);
        if (hi > 0x1fffff) throw new WsProtocolError('websocket: frame length beyond 2^53', 1009);
        len = hi * 0x100000000 + src.readUInt32BE(h + 6);
      }
      // Where the payload starts in `buf`: header bytes taken from `head` were partly from earlier reads.
      const payloadAt = this.headLen > 0 ? p + (hdr - this.headLen) : p + hdr;
      this.headLen = 0;
      this.checkFrame(op, fin, len);
      if (payloadAt + len <= n) {
        this.onFrame(op, fin, buf, payloadAt, payloadAt + len);
        p = payloadAt + len;
      } else {
        this.partial = Buffer.allocUnsafe(len);
        this.partialLen = 0;
        this.partialOp = op;
        this.partialFin = fin;
        p = payloadAt;
      }
    }
  }

  /** Keep an incomplete header for the next read. */
  private stashHead(src: Buffer, h: number, avail: number, buf: Buffer, p: number, n: number): void {
    if (src !== this.head) buf.copy(this.head, 0, p, n);
    else if (h !== 0) this.head.copy(this.head, 0, h, h + avail);
    this.headLen = avail;
  }

  private checkFrame(op: number, fin: boolean, len: number): void {
    const control = op >= 0x8;
    if (control) {
      if (op !== OP_CLOSE && op !== OP_PING && op !== OP_PONG) throw new WsProtocolError(`websocket: unknown control opcode ${op}`, 1002);
      if (!fin) throw new WsProtocolError('websocket: fragmented control frame', 1002);
      if (len > 125) throw new WsProtocolError('websocket: control frame payload over 125 bytes', 1002);
      return;
    }
    if (op !== OP_CONT && op !== OP_TEXT && op !== OP_BINARY) throw new WsProtocolError(`websocket: unknown data opcode ${op}`, 1002);
    if (op === OP_CONT && this.frags === null) throw new WsProtocolError('websocket: continuation frame without a message', 1002);
    if (op !== OP_CONT && this.frags !== null) throw new WsProtocolError('websocket: new message before the previous one ended', 1002);
    if ((op === OP_CONT ? this.fragBytes : 0) + len > this.maxPayload) throw new WsProtocolError(`websocket: message over ${this.maxPayload} bytes`, 1009);
  }

  /** A whole frame's payload: buf[start, end). */
  private onFrame(op: number, fin: boolean, buf: Buffer, start: number, end: number): void {
    switch (op) {
      case OP_TEXT:
      case OP_BINARY:
        if (fin) this.emit('message', buf.toString('utf8', start, end));
        else {
          this.frags = [Buffer.from(buf.subarray(start, end))];
          this.fragBytes = end - start;
          this.fragOp = op;
        }
        return;
      case OP_CONT: {
        this.frags!.push(Buffer.from(buf.subarray(start, end)));
        this.fragBytes += end - start;
        if (fin) {
          const whole = Buffer.concat(this.frags!, this.fragBytes);
          this.frags = null;
          this.fragBytes = 0;
          this.emit('message', whole.toString('utf8'));
        }
        return;
      }
      case OP_PING:
        if (this.readyState === WS_OPEN) this.writeFrame(OP_PONG, Buffer.from(buf.subarray(start, end)));
        return;
      case OP_PONG:
        this.emit('pong');
        return;
      case OP_CLOSE: {
        const len = end - start;
        this.closeCode = len >= 2 ? buf.readUInt16BE(start) : 1005;
        this.closeReason = len > 2 ? buf.toString('utf8', start + 2, end) : '';
        // Echo the close (unless we started it), then end our side; the server closes the TCP connection.
        this.dead = true;
        if (!this.closeSent) this.sendClose(len >= 2 ? this.closeCode : 1000, '');
        this.readyState = WS_CLOSING;
        this.socket.end();
        if (!this.closeTimer) this.closeTimer = setTimeout(() => this.socket.destroy(), CLOSE_TIMEOUT_MS);
        return;
      }
      default:
        return;
    }
  }

  // ------------------------------------------------------------------------------------------ writing

  private sendClose(code: number, reason: string): void {
    const r = Buffer.from(reason, 'utf8').subarray(0, 123);
    const payload = Buffer.allocUnsafe(2 + r.length);
    payload.writeUInt16BE(code, 0);
    r.copy(payload, 2);
    this.closeSent = true;
    this.writeFrame(OP_CLOSE, payload);
  }

  /** One unfragmented, masked client frame (clients must mask, RFC 6455 §5.3). */
  private writeFrame(op: number, payload: Buffer): void {
    const len = payload.length;
    const hdr = len < 126 ? 2 : len < 0x10000 ? 4 : 10;
    const frame = Buffer.allocUnsafe(hdr + 4 + len);
    frame[0] = 0x80 | op;
    if (len < 126) frame[1] = 0x80 | len;
    else if (len < 0x10000) {
      frame[1] = 0x80 | 126;
      frame.writeUInt16BE(len, 2);
    } else {
      frame[1] = 0x80 | 127;
      frame.writeUInt32BE(Math.floor(len / 0x100000000), 2);
      frame.writeUInt32BE(len >>> 0, 6);
    }
    const mask = randomBytes(4);
    mask.copy(frame, hdr);
    const at = hdr + 4;
    for (let i = 0; i < len; i++) frame[at + i] = payload[i]! ^ mask[i & 3]!;
    this.socket.write(frame);
  }

  // ------------------------------------------------------------------------------------------ ending

  private protocolError(e: WsProtocolError): void {
    this.closeCode = e.closeCode;
    this.emitError(e);
    if (this.readyState === WS_OPEN && !this.closeSent) this.sendClose(e.closeCode, '');
    this.dead = true;
    this.readyState = WS_CLOSING;
    this.socket.destroy();
  }

  private fail(err: Error): void {
    if (this.readyState === WS_CLOSED) return;
    this.emitError(err);
    this.dead = true;
    this.readyState = WS_CLOSING;
    this.socket.destroy();
  }

  private emitError(err: Error): void {
    // Like ws: an 'error' without a listener must not crash the process when the caller only watches 'close'.
    if (this.listenerCount('error') > 0) this.emit('error', err);
  }

  private finish(): void {
    if (this.emittedClose) return;
    this.emittedClose = true;
    this.readyState = WS_CLOSED;
    if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
    if (this.closeTimer) clearTimeout(this.closeTimer);
    this.handshakeTimer = this.closeTimer = null;
    this.emit('close', this.closeCode, this.closeReason);
  }
}
