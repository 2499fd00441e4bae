// Worker entry of the browser host's session pool: many Sessions (one per
// browser tab) off the host's main thread, so a long simulation step, a big
// file or a run that exhausts this worker's heap never stalls or ends the
// process that accepts connections and serves the page.

import { parentPort, workerData } from 'node:worker_threads';
import { randomBytes } from 'node:crypto';
import { Session } from '../session/session';
import { pathPolicy } from './path_policy';
import type { FromPoolWorker, PoolWorkerConfig, ToPoolWorker } from './pool_protocol';

const port = parentPort;
if (!port) throw new Error('pool_worker must run in a worker thread');
const config = workerData as PoolWorkerConfig;
const allowPath = pathPolicy(config.allowedDirs);
const sessions = new Map<number, Session>();
const post = (m: FromPoolWorker) => port.postMessage(m);

/** SCXRAY_TRACE_REQUESTS=1: one stderr line per request (when it started, method, params, ms until answered), to see what holds a session busy. */
const LOG_REQUESTS = !!process.env.SCXRAY_TRACE_REQUESTS;
function logRequest(raw: unknown, t0: number): void {
  const r = (raw ?? {}) as { method?: unknown; params?: unknown };
  process.stderr.write(`REQ @${t0.toFixed(0)} ${String(r.method)} ${JSON.stringify(r.params ?? {}).slice(0, 90)} ${(performance.now() - t0).toFixed(1)}ms\n`);
}

function open(id: number): Session {
  const session = new Session({
    host: 'browser',
    ...(config.assetsDir ? { assetsDir: config.assetsDir } : {}),
    allowPath,
    offerDownload: (file, name) => {
      const dl = randomBytes(16).toString('hex');
      // posted before the saveTrace response, so main knows the download when the page asks for it
      post({ type: 'download', session: id, id: dl, file, name });
      return `/download/${dl}`;
    },
  });
  session.onPush((channel, payload) => post({ type: 'push', session: id, channel, payload }));
  sessions.set(id, session);
  return session;
}

port.on('message', (m: ToPoolWorker) => {
  if (m.type === 'open') open(m.session);
  else if (m.type === 'close') {
    sessions.get(m.session)?.dispose();
    sessions.delete(m.session);
  } else {
    const session = sessions.get(m.session) ?? open(m.session);
    const t0 = performance.now();
    void session.handle(m.raw).then((result) => {
      if (LOG_REQUESTS) logRequest(m.raw, t0);
      post({ type: 'response', id: m.id, result });
    });
  }
});
