import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import net from 'node:net';
import { WebSocketServer, type WebSocket as ServerSocket } from 'ws';
import { WS_CLOSED, WS_OPEN, WsClient } from './wsClient.js';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

/** A `ws` server (the library the fake Polygon server uses), with its connection handed to the test. */
async function wsServer(onConn: (s: ServerSocket) => void): Promise<string> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  wss.on('connection', onConn);
  await new Promise<void>((r) => wss.once('listening', () => r()));
  closers.push(() => new Promise<void>((r) => {
    for (const c of wss.clients) c.terminate();
    wss.close(() => r());
  }));
  return `ws://127.0.0.1:${(wss.address() as net.AddressInfo).port}/stocks`;
}

/** A raw TCP server: does the opening handshake, then lets the test write bytes as it likes. */
async function rawServer(onOpen: (sock: net.Socket) => void, answer?: (key: string) => string | Buffer): Promise<string> {
  const srv = net.createServer((sock) => {
    sock.setNoDelay(true);
    let req = '';
    sock.on('data', function onData(d) {
      req += d.toString('latin1');
      if (!req.includes('\r\n\r\n')) return;
      sock.off('data', onData);
      const key = /Sec-WebSocket-Key: (.*)\r\n/.exec(req)![1]!;
      const accept = createHash('sha1').update(key + GUID).digest('base64');
      sock.write(answer ? answer(accept) : `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
      onOpen(sock);
    });
    sock.on('error', () => {});
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  closers.push(() => new Promise<void>((r) => srv.close(() => r())));
  const sockets: net.Socket[] = [];
  srv.on('connection', (s) => sockets.push(s));
  closers.push(() => sockets.forEach((s) => s.destroy()));
  return `ws://127.0.0.1:${(srv.address() as net.AddressInfo).port}/`;
}

/** An unmasked server frame. */
function frame(op: number, payload: Buffer, fin = true): Buffer {
  const len = payload.length;
  const hdr = len < 126 ? Buffer.from([(fin ? 0x80 : 0) | op, len]) : len < 0x10000 ? Buffer.from([(fin ? 0x80 : 0) | op, 126, len >> 8, len & 0xff]) : Buffer.concat([Buffer.from([(fin ? 0x80 : 0) | op, 127, 0, 0]), (() => { const b = Buffer.alloc(6); b.writeUIntBE(len, 0, 6); return b; })()]);
  return Buffer.concat([hdr, payload]);
}

function collect(c: WsClient): { messages: string[]; errors: string[]; closed: Promise<[number, string]>; opened: Promise<void> } {
  const messages: string[] = [];
  const errors: string[] = [];
  c.on('message', (m) => messages.push(m));
  c.on('error', (e) => errors.push(e.message));
  const closed = new Promise<[number, string]>((r) => c.on('close', (code, reason) => r([code, reason])));
  const opened = new Promise<void>((r) => c.on('open', () => r()));
  return { messages, errors, closed, opened };
}

const until = async (cond: () => boolean, ms = 3000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('WsClient against a ws server', () => {
  it('opens, receives text of every length class (7-bit, 16-bit, 64-bit lengths), sends masked text, pings and is pinged', async () => {
    const got: string[] = [];
    let serverPonged = false;
    let server: ServerSocket | null = null;
    const url = await wsServer((s) => {
      server = s;
      s.on('message', (d) => got.push(d.toString()));
      s.on('pong', () => (serverPonged = true));
    });
    const c = new WsClient(url);
    const r = collect(c);
    let pongs = 0;
    c.on('pong', () => pongs++);
    await r.opened;
    expect(c.readyState).toBe(WS_OPEN);
    const big = 'x'.repeat(70_000);
    const mid = 'é'.repeat(300); // multi-byte UTF-8, 600 bytes
    await until(() => server !== null);
    server!.send('[{"ev":"status","status":"connected"}]');
    server!.send(mid);
    server!.send(big);
    c.send('{"action":"auth","params":"k"}');
    c.ping();
    server!.ping();
    await until(() => r.messages.length === 3 && got.length === 1 && pongs === 1 && serverPonged);
    expect(r.messages).toEqual(['[{"ev":"status","status":"connected"}]', mid, big]);
    expect(got).toEqual(['{"action":"auth","params":"k"}']);
    c.close(1000, 'client stop');
    expect(await r.closed).toEqual([1000, 'client stop']);
    expect(c.readyState).toBe(WS_CLOSED);
    expect(r.errors).toEqual([]);
  });

  it('a fragmented message arrives whole; a server close is echoed and reported with its code and reason', async () => {
    const url = await wsServer((s) => {
      s.send('part one, ', { fin: false });
      s.send('part two, ', { fin: false });
      s.send('the end', { fin: true });
      setTimeout(() => s.close(4001, 'bye'), 20);
    });
    const c = new WsClient(url);
    const r = collect(c);
    expect(await r.closed).toEqual([4001, 'bye']);
    expect(r.messages).toEqual(['part one, part two, the end']);
  });

  it('terminate() drops the connection at once: close 1006', async () => {
    const url = await wsServer(() => {});
    const c = new WsClient(url);
    const r = collect(c);
    await r.opened;
    c.terminate();
    expect((await r.closed)[0]).toBe(1006);
  });
});

describe('WsClient over TLS (wss://, as Polygon is reached)', () => {
  // Self-signed localhost certificate, test-only (fixtures/tls/README.md).
  const cert = readFileSync('fixtures/tls/localhost.cert.pem');
  const key = readFileSync('fixtures/tls/localhost.key.pem');

  async function wssServer(onConn: (s: ServerSocket) => void): Promise<number> {
    const https = createHttpsServer({ cert, key });
    const wss = new WebSocketServer({ server: https });
    wss.on('connection', onConn);
    await new Promise<void>((r) => https.listen(0, '127.0.0.1', () => r()));
    closers.push(() => new Promise<void>((r) => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      https.close(() => r());
    }));
    return (https.address() as net.AddressInfo).port;
  }

  it('reads frames through TLS with the reused read buffer, checking the certificate against the given CA and host name', async () => {
    const port = await wssServer((s) => {
      s.send('y'.repeat(100_000));
      s.send('[{"ev":"status","status":"connected"}]');
      s.on('message', (d) => s.send(`echo ${d.toString()}`));
    });
    const c = new WsClient(`wss://localhost:${port}/options`, { ca: cert });
    const r = collect(c);
    await r.opened;
    c.send('hello');
    await until(() => r.messages.length === 3);
    expect(r.messages).toEqual(['y'.repeat(100_000), '[{"ev":"status","status":"connected"}]', 'echo hello']);
    c.close();
    expect((await r.closed)[0]).toBe(1000);
  });

  it('an untrusted certificate is refused (no silent downgrade)', async () => {
    const port = await wssServer(() => {});
    const r = collect(new WsClient(`wss://localhost:${port}/`));
    expect((await r.closed)[0]).toBe(1006);
    expect(r.errors.join()).toMatch(/self[- ]signed|certificate/i);
    expect(r.messages).toEqual([]);
  });
});

describe('WsClient failures end in error + close, never a hang or a throw', () => {
  it('connection refused', async () => {
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as net.AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const c = new WsClient(`ws://127.0.0.1:${port}/`);
    const r = collect(c);
    expect((await r.closed)[0]).toBe(1006);
    expect(r.errors.join()).toMatch(/ECONNREFUSED/);
  });

  it('a refused upgrade names the HTTP status; a wrong accept key is refused', async () => {
    const url401 = await rawServer(() => {}, () => 'HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n');
    const a = collect(new WsClient(url401));
    await a.closed;
    expect(a.errors.join()).toMatch(/unexpected server response 401/);
    const urlBad = await rawServer(() => {}, () => 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: bogus\r\n\r\n');
    const b = collect(new WsClient(urlBad));
    await b.closed;
    expect(b.errors.join()).toMatch(/wrong Sec-WebSocket-Accept/);
  });

  it('a server that never answers the upgrade: handshake timeout', async () => {
    const srv = net.createServer(() => {});
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const sockets: net.Socket[] = [];
    srv.on('connection', (s) => sockets.push(s));
    closers.push(() => new Promise<void>((r) => { sockets.forEach((s) => s.destroy()); srv.close(() => r()); }));
    const c = new WsClient(`ws://127.0.0.1:${(srv.address() as net.AddressInfo).port}/`, { handshakeTimeoutMs: 100 });
    const r = collect(c);
    await r.closed;
    expect(r.errors.join()).toMatch(/handshake timed out after 100 ms/);
  });

  it('protocol errors: a masked server frame, a message over maxPayload', async () => {
    const masked = Buffer.from([0x81, 0x80 | 2, 1, 2, 3, 4, 5, 6]);
    const a = collect(new WsClient(await rawServer((s) => s.write(masked))));
    expect((await a.closed)[0]).toBe(1002);
    expect(a.errors.join()).toMatch(/masked frame/);
    const b = collect(new WsClient(await rawServer((s) => s.write(frame(1, Buffer.alloc(2000, 0x61)))), { maxPayload: 1000 }));
    expect((await b.closed)[0]).toBe(1009);
    expect(b.errors.join()).toMatch(/over 1000 bytes/);
    expect(b.messages).toEqual([]);
  });
});

describe('WsClient frame parsing', () => {
  it('frames that arrive in the same read as the 101 answer (a server greeting at once) are not lost', async () => {
    const greeting = frame(1, Buffer.from('[{"ev":"status","status":"connected"}]'));
    const url = await rawServer(
      () => {},
      // One write: the 101 answer and the first frame together.
      (accept) => Buffer.concat([Buffer.from(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`), greeting]),
    );
    const c = new WsClient(url);
    const r = collect(c);
    await until(() => r.messages.length === 1);
    expect(r.messages).toEqual(['[{"ev":"status","status":"connected"}]']);
    c.terminate();
    await r.closed;
  });

  it('property: any split of the byte stream into reads yields the same messages (headers and payloads cut anywhere)', async () => {
    const texts = ['[{"ev":"Q","sym":"SPY","bp":570.1}]', 'é✓'.repeat(50), 'y'.repeat(300), 'z'.repeat(70_000), ''];
    const frames = [
      frame(1, Buffer.from(texts[0]!)),
      frame(9, Buffer.from('ping')),
      frame(1, Buffer.from(texts[1]!)),
      frame(1, Buffer.from(texts[2]!.slice(0, 100)), false),
      frame(10, Buffer.alloc(0)),
      frame(0, Buffer.from(texts[2]!.slice(100))),
      frame(1, Buffer.from(texts[3]!)),
      frame(1, Buffer.from(texts[4]!)),
    ];
    const stream = Buffer.concat(frames);
    // Frame starts: cuts are drawn near them (inside headers, where splitting is hardest) and anywhere at all.
    const starts: number[] = [];
    for (let i = 0, o = 0; i < frames.length; o += frames[i]!.length, i++) starts.push(o);
    const nearHeader = fc.tuple(fc.integer({ min: 0, max: starts.length - 1 }), fc.integer({ min: 1, max: 11 })).map(([i, d]) => starts[i]! + d);
    const anywhere = fc.integer({ min: 1, max: stream.length - 1 });
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.oneof(nearHeader, anywhere), { maxLength: 12 }), async (cuts) => {
        const at = [0, ...new Set(cuts.filter((x) => x > 0 && x < stream.length))].sort((x, y) => x - y);
        at.push(stream.length);
        let pongBack = false;
        const url = await rawServer((s) => {
          s.on('data', (d) => {
            // The client's pong: a masked control frame with opcode 0xA.
            if ((d[0]! & 0x0f) === 0x0a) pongBack = true;
          });
          void (async () => {
            for (let i = 0; i + 1 < at.length; i++) {
              s.write(stream.subarray(at[i], at[i + 1]));
              await new Promise((r) => setTimeout(r, 1));
            }
          })();
        });
        const c = new WsClient(url);
        const r = collect(c);
        let pongs = 0;
        c.on('pong', () => pongs++);
        await until(() => r.messages.length === texts.length && pongBack);
        c.terminate();
        await r.closed;
        expect(r.messages).toEqual(texts);
        expect(pongs).toBe(1);
        expect(r.errors).toEqual([]);
        for (const close of closers.splice(0)) await close();
      }),
      { numRuns: 25 },
    );
  }, 60_000);
});
