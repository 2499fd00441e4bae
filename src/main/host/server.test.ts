import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
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

async function connect(origin?: string): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/session`, origin ? { origin } : {});
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
  it('listens on 127.0.0.1 with a real port', () => {
    expect(host.port).toBeGreaterThan(0);
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/`);
  });

  it('serves index.html with the CSP and the session bridge injected first', async () => {
    const res = await fetch(host.url);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    const html = await res.text();
    expect(html.indexOf('scxray-bridge.js')).toBeGreaterThan(-1);
    expect(html.indexOf('scxray-bridge.js')).toBeLessThan(html.indexOf('<title>'));
    const bridge = await fetch(new URL('scxray-bridge.js', host.url));
    expect(bridge.headers.get('content-type')).toContain('javascript');
    expect(await bridge.text()).toContain('/session');
  });

  it('serves files under the renderer dir only', async () => {
    expect((await fetch(new URL('app.js', host.url))).status).toBe(200);
    const escape = await fetch(`http://127.0.0.1:${host.port}/..%2f..%2f..%2fetc%2fpasswd`);
    expect(escape.status).toBe(404);
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
