// The browser host under hostile and careless clients (#18): a real
// `scxray serve` process on 127.0.0.1 gets malformed WebSocket frames (a
// 2^40-byte length, invalid UTF-8, a 140 MB message, random frames from a
// seeded generator), oversized and invalid messages, workload bombs, and
// connections without the token, with a wrong one, from another Origin or
// Host. Afterwards the same process must still serve a second client and its
// RSS must be back within a bound. Bounded: a fixed number of cases, 127.0.0.1
// only, one process, a deadline per wait.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect as tcpConnect, type Socket } from 'node:net';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { decodeFrame, encodeFrame } from '../../protocol/wire';
import { REPO_ROOT } from '../../sim/testing/fixtures';
import { mulberry32 as rng } from '../../base/prng';

let host: ChildProcess;
let port = 0;
let token = '';
let hostErr = '';

const RANDOM_FRAMES = 150;
const WAIT_MS = 10_000;

beforeAll(async () => {
  host = spawn(process.execPath, [join(REPO_ROOT, 'bin/scxray.mjs'), 'serve', '--port', '0'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  host.stderr!.on('data', (d) => (hostErr += d.toString()));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`scxray serve did not start: ${out}${hostErr}`)), 60_000);
    host.stdout!.on('data', (d) => {
      out += d.toString();
      const m = /serving at http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]+)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        port = Number(m[1]);
        token = m[2]!;
        resolve();
      }
    });
  });
}, 90_000);

afterAll(() => {
  host?.kill('SIGTERM');
});

function rssMb(): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${host.pid}/status`, 'utf8'));
  return Number(m![1]) / 1024;
}

function alive(): void {
  expect(host.exitCode, `the host exited: ${hostErr}`).toBeNull();
}

/** A raw TCP connection that completed the WebSocket handshake (with the token); frames are written by hand. */
async function rawUpgrade(): Promise<Socket> {
  const sock = tcpConnect(port, '127.0.0.1');
  sock.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no 101 from the host')), WAIT_MS);
    let head = '';
    sock.once('connect', () => {
      sock.write(
        `GET /session?token=${token} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    const onData = (d: Buffer) => {
      head += d.toString('latin1');
      if (head.includes('\r\n\r\n')) {
        sock.off('data', onData);
        clearTimeout(timer);
        if (head.startsWith('HTTP/1.1 101')) resolve();
        else reject(new Error(head.split('\r\n')[0]));
      }
    };
    sock.on('data', onData);
  });
  return sock;
}

/** Resolves when the host closes the socket (or after WAIT_MS with false). */
function closedByHost(sock: Socket): Promise<boolean> {
  return new Promise((resolve) => {
    if (sock.destroyed) return resolve(true);
    const timer = setTimeout(() => resolve(false), WAIT_MS);
    sock.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** A client frame: FIN + opcode, masked payload, any declared length (RFC 6455 5.2). */
function frame(opcode: number, payload: Buffer, declared = payload.length, fin = true): Buffer {
  const mask = randomBytes(4);
  let header: Buffer;
  if (declared < 126) header = Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | declared]);
  else if (declared < 65536) {
    header = Buffer.alloc(4);
    header[0] = (fin ? 0x80 : 0) | opcode;
    header[1] = 0x80 | 126;
    header.writeUInt16BE(declared, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = (fin ? 0x80 : 0) | opcode;
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(declared), 2);
  }
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i]! ^= mask[i & 3]!;
  return Buffer.concat([header, mask, body]);
}

async function client(opts: { token?: string | null; origin?: string; host?: string } = {}): Promise<WebSocket> {
  const t = opts.token === undefined ? token : opts.token;
  const headers: Record<string, string> = opts.host ? { host: opts.host } : {};
  const ws = new WebSocket(`ws://127.0.0.1:${port}/session${t === null ? '' : `?token=${t}`}`, { headers, ...(opts.origin ? { origin: opts.origin } : {}) });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('connect timed out')), WAIT_MS);
    ws.once('open', () => (clearTimeout(timer), resolve()));
    ws.once('error', (e) => (clearTimeout(timer), reject(e)));
  });
  return ws;
}

let nextId = 1;
function call(ws: WebSocket, method: string, params: unknown): Promise<{ ok: boolean; result?: unknown; error?: { code: string; message: string } }> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${method}: no reply`)), 30_000);
    const onMessage = (d: Buffer) => {
      const f = decodeFrame(d.toString()) as { type: string; id: number };
      if (f.type !== 'response' || f.id !== id) return;
      ws.off('message', onMessage);
      clearTimeout(timer);
      resolve(f as never);
    };
    ws.on('message', onMessage);
    ws.send(encodeFrame({ type: 'request', id, method, params }));
  });
}


describe('browser host fuzz (127.0.0.1, one scxray serve process)', () => {
  let baseline = 0;

  it('serves a first client and records its resident memory', async () => {
    const ws = await client();
    expect((await call(ws, 'hostInfo', {})).ok).toBe(true);
    expect((await call(ws, 'openObject', { example: 'fifo' })).ok).toBe(true);
    ws.close();
    baseline = rssMb();
    expect(baseline).toBeGreaterThan(10);
  });

  it('closes the socket of a frame claiming 2^40 bytes, an invalid UTF-8 text frame, and a 140 MB message; keeps running', async () => {
    const huge = await rawUpgrade();
    huge.write(Buffer.from('81ff0000010000000000', 'hex'));
    huge.write(randomBytes(4));
    expect(await closedByHost(huge)).toBe(true);
    const utf8 = await rawUpgrade();
    utf8.write(frame(0x1, Buffer.from([0xc3, 0x28, 0xff, 0xfe])));
    expect(await closedByHost(utf8)).toBe(true);
    const big = await rawUpgrade();
    // The header declares 140 MB; the host refuses it as soon as it reads the length (maxPayload 128 MB).
    big.write(frame(0x1, Buffer.alloc(1024 * 1024, 0x61), 140 * 1024 * 1024));
    expect(await closedByHost(big)).toBe(true);
    alive();
  });

  it(`survives ${RANDOM_FRAMES} random frames (seeded), each on its own connection`, async () => {
    const rand = rng(18);
    for (let i = 0; i < RANDOM_FRAMES; i++) {
      const sock = await rawUpgrade();
      const kind = Math.floor(rand() * 6);
      const len = Math.floor(rand() * 300);
      const payload = Buffer.from(Array.from({ length: len }, () => Math.floor(rand() * 256)));
      let bytes: Buffer;
      if (kind === 0) bytes = frame(Math.floor(rand() * 16), payload); // any opcode, reserved ones too
      else if (kind === 1) bytes = frame(0x1, payload, len, false); // a fragment never finished
      else if (kind === 2) bytes = Buffer.from(payload); // bytes that are not a frame at all
      else if (kind === 3) bytes = frame(0x8, payload); // a close frame with a random body
      else if (kind === 4) bytes = frame(0x9, Buffer.alloc(200)); // a ping longer than 125 bytes
      else bytes = frame(0x1, payload.subarray(0, 10), len + 5000); // a length the bytes never reach
      sock.write(bytes);
      // let the host read it, then hang up (the host may already have closed it)
      await new Promise((r) => setTimeout(r, 5));
      sock.destroy();
    }
    alive();
  }, 120_000);

  it('answers oversized and invalid messages with one short error each', async () => {
    const ws = await client();
    const replies: string[] = [];
    ws.on('message', (d) => replies.push(d.toString()));
    ws.send('{not json');
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    ws.send(JSON.stringify({ type: 'request', method: 'hostInfo' }));
    ws.send(JSON.stringify({ type: 'request', id: 1, method: 'x'.repeat(10 * 1024 * 1024), params: {} }));
    ws.send('['.repeat(200_000));
    ws.send(JSON.stringify({ type: 'request', id: 2, method: 'openObject', params: { name: 'a.bpf.o', dataBase64: '!!!not base64!!!' } }));
    ws.send(JSON.stringify({ type: 'request', id: 3, method: 'openObject', params: { path: '/etc/shadow' } }));
    const deadline = Date.now() + WAIT_MS;
    while (replies.length < 7 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(replies).toHaveLength(7);
    for (const r of replies) {
      expect(r.length).toBeLessThan(4096);
      expect((decodeFrame(r) as { ok: boolean }).ok).toBe(false);
    }
    // frames the host refuses itself are answered at once, the rest by the session worker: compare as a set of answers
    expect(replies.map((r) => (decodeFrame(r) as { error: { code: string } }).error.code).sort()).toEqual(
      ['invalid_request', 'invalid_request', 'invalid_request', 'unknown_method', 'invalid_request', 'invalid_request', 'forbidden'].sort(),
    );
    ws.close();
    alive();
  });

  it('refuses workload bombs naming the field, in well under a second each', async () => {
    const ws = await client();
    expect((await call(ws, 'openObject', { example: 'fifo' })).ok).toBe(true);
    const bombs: [unknown, RegExp][] = [
      [{ name: 'b', groups: [{ name: 'w', cpus: '0-2000000000', steps: [{ run: '1ms' }] }] }, /groups\.0\.cpus/],
      [{ name: 'b', groups: [{ name: 'w', perCpu: 1e9, steps: [{ run: '1ms' }] }] }, /groups\.0\.perCpu/],
      [{ name: 'b', groups: [{ name: 'w', steps: [{ fork: 'w', count: 1e9 }] }] }, /groups\.0\.steps\.0/],
      [{ name: 'b', groups: [{ name: 'w', perCpu: 100, steps: [{ run: '1ms' }] }] }, /16384-task cap/],
    ];
    for (const [w, field] of bombs) {
      const t0 = Date.now();
      const r = await call(ws, 'startRun', { workload: { json: JSON.stringify(w) }, cpus: 256, seed: 1, durationNs: 1e9 });
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(r.ok).toBe(false);
      expect(r.error?.message).toMatch(field);
    }
    const tooBig = await call(ws, 'startRun', { workload: { preset: 'cpu-hogs' }, cpus: 100_000, seed: 1, durationNs: 1e9 });
    expect(tooBig.error?.message).toMatch(/params\.cpus/);
    ws.close();
    alive();
  });

  it('refuses connections without the token, with a wrong one, from another Origin or Host', async () => {
    await expect(client({ token: null })).rejects.toThrow(/401/);
    await expect(client({ token: '0'.repeat(64) })).rejects.toThrow(/401/);
    await expect(client({ token: token.slice(0, 10) })).rejects.toThrow(/401/);
    await expect(client({ origin: 'http://evil.example' })).rejects.toThrow(/403/);
    await expect(client({ host: `rebound.example:${port}` })).rejects.toThrow(/403/);
    alive();
  });

  it('serves 200 concurrent clients', async () => {
    const clients = await Promise.all(Array.from({ length: 200 }, () => client()));
    const answers = await Promise.all(clients.map((ws) => call(ws, 'hostInfo', {})));
    expect(answers.filter((a) => a.ok)).toHaveLength(200);
    for (const ws of clients) ws.close();
    alive();
  }, 60_000);

  it('still serves a second client afterwards, and its memory is back within 150 MB of the start', async () => {
    const ws = await client();
    expect((await call(ws, 'hostInfo', {})).ok).toBe(true);
    expect((await call(ws, 'openObject', { example: 'fifo' })).ok).toBe(true);
    const run = await call(ws, 'startRun', { workload: { preset: 'cpu-hogs' }, cpus: 2, seed: 1, durationNs: 5e6 });
    expect(run.ok).toBe(true);
    ws.close();
    // memory the fuzzing used is given back (or at least not kept growing)
    let rss = rssMb();
    for (let i = 0; i < 50 && rss > baseline + 150; i++) {
      await new Promise((r) => setTimeout(r, 100));
      rss = rssMb();
    }
    expect(rss).toBeLessThan(baseline + 150);
    alive();
  });
});
