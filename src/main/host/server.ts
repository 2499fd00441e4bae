// The browser host: serves the built renderer on 127.0.0.1 and carries the
// session contract over a WebSocket at /session, one Session per connection.
// The same CSP as the Electron window; WebSocket upgrades only from our own
// origin (a page on another site cannot drive the host), files by path or
// upload.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import { contentSecurityPolicy } from '../csp';
import { Session } from '../session/session';
import { decodeFrame, encodeFrame, type HostFrame } from '../../protocol/wire';
import { bridgeScript } from './bridge_bundle';
import { contentType, indexHtml, resolveStatic } from './static_files';

export interface HostOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Built renderer directory (default dist/renderer of this checkout). */
  rendererDir?: string;
  assetsDir?: string;
}

export interface RunningHost {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_MESSAGE = 128 * 1024 * 1024;

export function defaultRendererDir(): string {
  return process.env.SCXRAY_RENDERER_DIR ?? fileURLToPath(new URL('../../../dist/renderer', import.meta.url));
}

export async function startHost(opts: HostOptions = {}): Promise<RunningHost> {
  const rendererDir = opts.rendererDir ?? defaultRendererDir();
  const bridge = await bridgeScript();
  let origin = '';

  const server = createServer((req, res) => serveHttp(req, res, rendererDir, bridge, origin));
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE });

  server.on('upgrade', (req, socket, head) => {
    const path = (req.url ?? '').split('?')[0];
    const reqOrigin = req.headers.origin;
    // Browsers always send Origin; refuse other sites' pages. Non-browser clients (tests, tools) send none.
    if (path !== '/session' || (reqOrigin !== undefined && !sameHost(reqOrigin, origin))) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attachSession(ws, opts.assetsDir));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function sameHost(reqOrigin: string, origin: string): boolean {
  return reqOrigin === origin || reqOrigin === origin.replace('127.0.0.1', 'localhost');
}

function serveHttp(req: IncomingMessage, res: ServerResponse, rendererDir: string, bridge: string, origin: string): void {
  const wsOrigin = origin.replace(/^http/, 'ws');
  const headers = {
    'Content-Security-Policy': contentSecurityPolicy({ connect: [wsOrigin] }),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
    return;
  }
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (path === '/' || path === '/index.html') {
    res.writeHead(200, { ...headers, 'Content-Type': 'text/html; charset=utf-8' }).end(indexHtml(rendererDir));
    return;
  }
  if (path === '/scxray-bridge.js') {
    res.writeHead(200, { ...headers, 'Content-Type': 'text/javascript; charset=utf-8' }).end(bridge);
    return;
  }
  const file = resolveStatic(rendererDir, path);
  if (!file) {
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end(`not found: ${path}\n`);
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Type': contentType(file) }).end(readFileSync(file));
}

function send(ws: WebSocket, frame: HostFrame): void {
  if (ws.readyState !== ws.OPEN) return;
  // `push` mirrors `channel` for clients that key pushes by that name.
  ws.send(encodeFrame(frame.type === 'push' ? ({ ...frame, push: frame.channel } as HostFrame) : frame));
}

function attachSession(ws: WebSocket, assetsDir: string | undefined): void {
  const session = new Session({ host: 'browser', ...(assetsDir ? { assetsDir } : {}) });
  const off = session.onPush((channel, payload) => send(ws, { type: 'push', channel, payload }));
  ws.on('close', () => {
    off();
    session.dispose();
  });
  ws.on('message', async (data, isBinary) => {
    const reply = (id: number | null, message: string, where: string) =>
      send(ws, { type: 'response', id, ok: false, error: { code: 'invalid_request', message, where } });
    if (isBinary) return reply(null, 'frames must be JSON text, not binary', '(frame)');
    let frame: unknown;
    try {
      frame = decodeFrame(data.toString());
    } catch (e) {
      return reply(null, `frame is not valid JSON: ${(e as Error).message}`, '(frame)');
    }
    const f = frame as { id?: unknown; method?: unknown; params?: unknown } | null;
    if (typeof f !== 'object' || f === null || typeof f.id !== 'number' || !Number.isSafeInteger(f.id)) {
      return reply(null, 'id: every request needs an integer id', 'id');
    }
    const result = await session.handle({ method: f.method, params: f.params });
    send(ws, result.ok ? { type: 'response', id: f.id, ok: true, result: result.result } : { type: 'response', id: f.id, ok: false, error: result.error });
  });
}
