import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { startHost, type RunningHost } from './server';
import { decodeFrame, encodeFrame } from '../../protocol/wire';

let host: RunningHost;
let rendererDir: string;

beforeAll(async () => {
  rendererDir = mkdtempSync(join(tmpdir(), 'scxray-host-test-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><html><head><title>t</title></head><body>ui</body></html>');
  writeFileSync(join(rendererDir, 'app.js'), 'console.log(1)');
  const outside = mkdtempSync(join(tmpdir(), 'scxray-host-outside-'));
  writeFileSync(join(outside, 'secret.txt'), 'not for the browser');
  symlinkSync(join(outside, 'secret.txt'), join(rendererDir, 'leak.txt'));
  symlinkSync(outside, join(rendererDir, 'leakdir'));
  host = await startHost({ port: 0, rendererDir });
});
afterAll(async () => {
  await host?.close();
});

interface Reply {
  type: string;
  id: number | null;
  ok: boolean;
  result?: Record<string, unknown>;
  error?: { code: string; message: string; file?: string; where?: string; loaderCode?: string };
}

async function connect(origin?: string, token: string | null = host.token): Promise<WebSocket> {
  const query = token === null ? '' : `?token=${token}`;
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/session${query}`, origin ? { origin } : {});
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return ws;
}

function nextReply(ws: WebSocket): Promise<Reply> {
  return new Promise((resolve) => ws.once('message', (d) => resolve(decodeFrame(d.toString()) as Reply)));
}

async function call(ws: WebSocket, id: number, method: string, params: unknown): Promise<Reply> {
  const p = nextReply(ws);
  ws.send(encodeFrame({ type: 'request', id, method, params }));
  return p;
}

describe('browser host', () => {
  it('listens on 127.0.0.1 with a real port and prints a URL with a 64-hex-digit token', () => {
    expect(host.port).toBeGreaterThan(0);
    expect(host.token).toMatch(/^[0-9a-f]{64}$/);
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
  });

  it('serves index.html with the CSP and the session bridge injected first', async () => {
    const res = await fetch(`${host.origin}/`, { headers: { cookie: `scxray-token-${host.port}=${host.token}` } });
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    const html = await res.text();
    expect(html.indexOf('scxray-bridge.js')).toBeGreaterThan(-1);
    expect(html.indexOf('scxray-bridge.js')).toBeLessThan(html.indexOf('<title>'));
    const bridge = await fetch(`${host.origin}/scxray-bridge.js`);
    expect(bridge.headers.get('content-type')).toContain('javascript');
    expect(await bridge.text()).toContain('/session');
  });

  it('serves files under the renderer dir only', async () => {
    expect((await fetch(`${host.origin}/app.js`)).status).toBe(200);
    const escape = await fetch(`http://127.0.0.1:${host.port}/..%2f..%2f..%2fetc%2fpasswd`);
    expect(escape.status).toBe(404);
    // symlinks that lead out of the folder are not followed
    expect((await fetch(`${host.origin}/leak.txt`)).status).toBe(404);
    expect((await fetch(`${host.origin}/leakdir/secret.txt`)).status).toBe(404);
  });

  it('quotes at most 64 characters of an unknown method name back', async () => {
    const ws = await connect();
    const name = 'x'.repeat(10 * 1024 * 1024);
    const p = new Promise<string>((resolve) => ws.once('message', (d) => resolve(d.toString())));
    ws.send(encodeFrame({ type: 'request', id: 5, method: name, params: {} }));
    const text = await p;
    expect(text.length).toBeLessThan(2000);
    const r = decodeFrame(text) as Reply;
    expect(r.error?.code).toBe('unknown_method');
    expect(r.error?.message).toContain(`"${'x'.repeat(64)}"… (10485760 characters)`);
    ws.close();
  });

  it('answers a valid request with a validated result', async () => {
    const ws = await connect();
    const r = await call(ws, 1, 'hostInfo', {});
    expect(r).toMatchObject({ type: 'response', id: 1, ok: true, result: { host: 'browser', nativeDialogs: false } });
    const ex = await call(ws, 2, 'listExamples', {});
    expect(ex.ok).toBe(true);
    expect(Array.isArray(ex.result?.schedulers)).toBe(true);
    ws.close();
  });

  it('rejects a bad request with an error naming the field', async () => {
    const ws = await connect();
    const r = await call(ws, 7, 'stateAt', { t: 'soon' });
    expect(r.id).toBe(7);
    expect(r.ok).toBe(false);
    expect(r.error?.code).toBe('invalid_request');
    expect(r.error?.where).toBe('params.t');
    const junk = nextReply(ws);
    ws.send('{not json');
    const j = await junk;
    expect(j.ok).toBe(false);
    expect(j.id).toBeNull();
    expect(j.error?.message).toMatch(/JSON/);
    ws.close();
  });

  it('gives a typed error naming the file when an upload is not a BPF object', async () => {
    const ws = await connect();
    const dataBase64 = Buffer.from('hello, I am a text file\n').toString('base64');
    const r = await call(ws, 3, 'openObject', { name: 'notes.txt', dataBase64 });
    expect(r.ok).toBe(false);
    expect(r.error?.code).toBe('load_failed');
    expect(r.error?.file).toBe('notes.txt');
    expect(r.error?.message).toContain('notes.txt');
    expect(r.error?.loaderCode).toBe('elf_bad_header');
    ws.close();
  });

  it('says why timeline queries cannot answer before anything is open', async () => {
    const ws = await connect();
    const r = await call(ws, 4, 'slices', { t0: 0, t1: 100, nsPerPx: 1 });
    expect(r.ok).toBe(false);
    expect(r.error?.code).toBe('no_timeline');
    ws.close();
  });

  it('refuses WebSocket upgrades from other origins', async () => {
    await expect(connect('http://evil.example')).rejects.toThrow(/403/);
    const ok = await connect(`http://127.0.0.1:${host.port}`);
    ok.close();
  });
});

describe('browser host token', () => {
  it('trades the token in the URL for an HttpOnly cookie and a redirect that drops it', async () => {
    const res = await fetch(`${host.origin}/?token=${host.token}&x=1`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/?x=1');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toBe(`scxray-token-${host.port}=${host.token}; Path=/; HttpOnly; SameSite=Strict`);
    const page = await fetch(`${host.origin}/?x=1`, { headers: { cookie: cookie.split(';')[0] ?? '' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('scxray-bridge.js');
  });

  it('refuses the page without the token, or with a wrong one, and says where to find it', async () => {
    for (const url of [`${host.origin}/`, `${host.origin}/index.html?token=${'0'.repeat(64)}`, `${host.origin}/?token=short`]) {
      const res = await fetch(url, { redirect: 'manual' });
      expect(res.status, url).toBe(401);
      expect(await res.text()).toContain('?token=');
    }
    const wrongCookie = await fetch(`${host.origin}/`, { headers: { cookie: `scxray-token-${host.port}=${'f'.repeat(64)}` } });
    expect(wrongCookie.status).toBe(401);
    // A cookie for another port's host is not this host's.
    const otherPort = await fetch(`${host.origin}/`, { headers: { cookie: `scxray-token-${host.port + 1}=${host.token}` } });
    expect(otherPort.status).toBe(401);
  });

  it('refuses WebSocket upgrades without the token or with a wrong one (401), and takes it from the cookie', async () => {
    await expect(connect(undefined, null)).rejects.toThrow(/401/);
    await expect(connect(undefined, 'a'.repeat(64))).rejects.toThrow(/401/);
    await expect(connect(`http://127.0.0.1:${host.port}`, null)).rejects.toThrow(/401/);
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/session`, { headers: { cookie: `scxray-token-${host.port}=${host.token}` } });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    expect((await call(ws, 1, 'hostInfo', {})).ok).toBe(true);
    ws.close();
  });

  it('answers only to its own Host name (a DNS-rebound name gets 403)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: host.port, path: `/?token=${host.token}`, headers: { host: `evil.example:${host.port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/session?token=${host.token}`, { headers: { host: `evil.example:${host.port}` } });
    await expect(new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    })).rejects.toThrow(/403/);
  });
});

describe('browser host file paths', () => {
  it('refuses paths outside its folders with one code, whether or not they exist, and opens the examples', async () => {
    const ws = await connect();
    const codes = [];
    for (const path of ['/etc/passwd', '/nonexistent/x.bpf.o', '/etc', `${tmpdir()}/../etc/hostname`]) {
      const r = await call(ws, 10, 'openObject', { path });
      expect(r.ok, path).toBe(false);
      codes.push(r.error?.code);
      expect(r.error?.message).toMatch(/--allow-path/);
    }
    expect(new Set(codes)).toEqual(new Set(['forbidden']));
    const ex = await call(ws, 11, 'openObject', { example: 'fifo' });
    expect(ex.ok).toBe(true);
    ws.close();
  });
});
