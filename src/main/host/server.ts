// The browser host: serves the built renderer on 127.0.0.1 and carries the
// session contract over a WebSocket at /session, one Session per connection,
// run in a pool of worker threads (session_pool.ts).
// The same CSP as the Electron window. Who may drive it:
//   - a per-launch token (token.ts) on every WebSocket upgrade and on the page
//     itself: other local processes cannot open a session;
//   - the Origin check on upgrades: a page on another site cannot either;
//   - the Host header check: a DNS-rebound name pointing at 127.0.0.1 gets 403.
// A bad frame (oversized, invalid UTF-8, a 2^40-byte length) closes that one
// socket; every other session keeps running.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import { contentSecurityPolicy } from '../csp';
import { defaultAssetsDir } from '../session/examples';
import { decodeFrame, encodeFrame, type HostFrame } from '../../protocol/wire';
import { bridgeScript } from './bridge_bundle';
import { contentType, indexHtml, resolveStatic } from './static_files';
import { newHostToken, requestToken, tokenCookie } from './token';
import { SessionPool, type PooledSession } from './session_pool';
import { Downloads, sendDownload } from './downloads';
import { cleanStaleRunDirs } from '../session/run_dirs';

export interface HostOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Built renderer directory (default dist/renderer of this checkout). */
  rendererDir?: string;
  assetsDir?: string;
  /** Session worker threads (default 2). */
  workers?: number;
  /** The per-launch secret (default: 32 random bytes); tests may fix it. */
  token?: string;
  /**
   * Directories whose files `{ path }` requests may open, besides the bundled
   * examples (default: the working directory). `scxray serve --allow-path DIR` adds to it.
   */
  allowedDirs?: string[];
}

export interface RunningHost {
  /** The URL to open, with the token: http://127.0.0.1:PORT/?token=… */
  url: string;
  /** http://127.0.0.1:PORT */
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** Largest WebSocket message (an upload arrives as one base64 message). */
export const MAX_MESSAGE = 128 * 1024 * 1024;
/** WebSocket close code for a socket we drop because of what it sent (RFC 6455: policy violation). */
const CLOSE_POLICY = 1008;

export function defaultRendererDir(): string {
  return process.env.SCXRAY_RENDERER_DIR ?? fileURLToPath(new URL('../../../dist/renderer', import.meta.url));
}

export async function startHost(opts: HostOptions = {}): Promise<RunningHost> {
  const rendererDir = opts.rendererDir ?? defaultRendererDir();
  const bridge = await bridgeScript();
  const token = opts.token ?? newHostToken();
  let port = 0;
  let origin = '';
  // Traces of runs whose host died (a crash, kill -9) are swept at start; live ones go when their session ends.
  cleanStaleRunDirs();
  const downloads = new Downloads();
  // Sessions run off this thread, in a pool of workers with heap limits: this thread only accepts
  // connections, serves the page and moves frames.
  const pool = new SessionPool({
    size: opts.workers ?? 2,
    assetsDir: opts.assetsDir,
    allowedDirs: [...(opts.allowedDirs ?? [process.cwd()]), opts.assetsDir ?? defaultAssetsDir()],
    onDownload: (session, id, file, name) => downloads.add(id, file, name, session),
  });

  const server = createServer((req, res) => serveHttp(req, res, { rendererDir, bridge, origin, port, token, downloads }));
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE });
  // A failed handshake or a socket error surfaces here and on the socket; neither may end the process.
  wss.on('error', () => undefined);
  server.on('clientError', (_err, socket) => socket.destroy());

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const url = requestUrl(req);
    const refuse = (status: string) => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
    };
    const reqOrigin = req.headers.origin;
    // Browsers always send Origin; refuse other sites' pages. Non-browser clients (tests, tools) send none but need the token.
    if (!url || url.pathname !== '/session' || !hostAllowed(req, port) || (reqOrigin !== undefined && !sameHost(reqOrigin, origin))) {
      return refuse('403 Forbidden');
    }
    if (!requestToken(req, url, port, token)) return refuse('401 Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => attachSession(ws, pool.openSession(), downloads));
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
    });
  } catch (e) {
    // the workers would keep the process alive
    await pool.close();
    throw e;
  }
  port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => void pool.close().then(() => resolve()));
      }),
  };
}

function requestUrl(req: IncomingMessage): URL | null {
  try {
    return new URL(req.url ?? '/', 'http://127.0.0.1');
  } catch {
    return null;
  }
}

function sameHost(reqOrigin: string, origin: string): boolean {
  return reqOrigin === origin || reqOrigin === origin.replace('127.0.0.1', 'localhost');
}

/** The Host header names us (127.0.0.1 or localhost on our port): a rebound DNS name does not. */
function hostAllowed(req: IncomingMessage, port: number): boolean {
  const h = req.headers.host;
  return h === `127.0.0.1:${port}` || h === `localhost:${port}`;
}

interface HttpContext {
  downloads: Downloads;
  rendererDir: string;
  bridge: string;
  origin: string;
  port: number;
  token: string;
}

const TOKEN_NEEDED = `<!doctype html><html><head><meta charset="utf-8"><title>scxray: token needed</title></head>
<body><main id="scxray-token-needed"><h1>scxray</h1><p>This scxray host needs its token. Open the URL that
<code>scxray serve</code> (or <code>npm start</code>) printed, which ends in <code>?token=…</code>.</p></main></body></html>`;

function serveHttp(req: IncomingMessage, res: ServerResponse, ctx: HttpContext): void {
  const wsOrigin = ctx.origin.replace(/^http/, 'ws');
  const headers = {
    'Content-Security-Policy': contentSecurityPolicy({ connect: [wsOrigin] }),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
  const text = (status: number, body: string): void => {
    res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end(body);
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
    return;
  }
  const url = requestUrl(req);
  if (!url || !hostAllowed(req, ctx.port)) return text(403, 'forbidden: this host answers only to 127.0.0.1 and localhost\n');
  const path = url.pathname;
  if (path === '/' || path === '/index.html') {
    const how = requestToken(req, url, ctx.port, ctx.token);
    if (how === 'query') {
      // Keep the token in an HttpOnly cookie and take it out of the address bar (and history).
      url.searchParams.delete('token');
      res.writeHead(303, { ...headers, 'Set-Cookie': tokenCookie(ctx.port, ctx.token), Location: `${path}${url.search}` }).end();
      return;
    }
    if (!how) {
      res.writeHead(401, { ...headers, 'Content-Type': 'text/html; charset=utf-8' }).end(TOKEN_NEEDED);
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': 'text/html; charset=utf-8' }).end(indexHtml(ctx.rendererDir));
    return;
  }
  if (path.startsWith('/download/')) {
    // a saved trace: only for the page that holds the token (its cookie), once per offer
    if (!requestToken(req, url, ctx.port, ctx.token)) return text(401, 'this download needs the host token\n');
    const offer = ctx.downloads.take(path.slice('/download/'.length));
    if (!offer) return text(404, 'this download has expired or was already fetched; save the trace again\n');
    return sendDownload(res, headers, offer);
  }
  // The bridge and the built renderer's assets hold no secret; the page and the session are what the token guards.
  if (path === '/scxray-bridge.js') {
    res.writeHead(200, { ...headers, 'Content-Type': 'text/javascript; charset=utf-8' }).end(ctx.bridge);
    return;
  }
  const file = resolveStatic(ctx.rendererDir, path);
  if (!file) return text(404, `not found: ${path.slice(0, 200)}\n`);
  res.writeHead(200, { ...headers, 'Content-Type': contentType(file) }).end(readFileSync(file));
}

function send(ws: WebSocket, frame: HostFrame): void {
  if (ws.readyState !== ws.OPEN) return;
  // `push` mirrors `channel` for clients that key pushes by that name.
  ws.send(encodeFrame(frame.type === 'push' ? ({ ...frame, push: frame.channel } as HostFrame) : frame));
}

function attachSession(ws: WebSocket, session: PooledSession, downloads: Downloads): void {
  const off = session.onPush((channel, payload) => send(ws, { type: 'push', channel, payload }));
  // ws emits 'error' for frames it refuses (payload over maxPayload, invalid UTF-8, bad opcodes) and then
  // closes the socket; without a listener that error would end the whole host.
  ws.on('error', (e) => {
    if (ws.readyState === ws.OPEN) ws.close(CLOSE_POLICY, e.message.slice(0, 120));
  });
  ws.on('close', () => {
    off();
    downloads.withdrawSession(session.id);
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
      return reply(null, `frame is not valid JSON: ${(e as Error).message.slice(0, 200)}`, '(frame)');
    }
    const f = frame as { id?: unknown; method?: unknown; params?: unknown } | null;
    if (typeof f !== 'object' || f === null || typeof f.id !== 'number' || !Number.isSafeInteger(f.id)) {
      return reply(null, 'id: every request needs an integer id', 'id');
    }
    const id = f.id;
    const result = await session.handle({ method: f.method, params: f.params });
    send(ws, result.ok ? { type: 'response', id, ok: true, result: result.result } : { type: 'response', id, ok: false, error: result.error });
  });
}
