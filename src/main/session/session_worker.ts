// Worker entry: one Session off the main thread, so running the simulator
// never stalls Electron's main process (menus, IPC, window). Dialogs stay in
// main: chooseFile asks main and waits for the chosen path.
// Bundled to dist/electron/session_worker.cjs; run from source with tsx.

import { parentPort, workerData } from 'node:worker_threads';
import { sep } from 'node:path';
import { Session } from './session';
import { cleanStaleRunDirs } from './run_dirs';
import type { FromWorker, ToWorker, WorkerConfig } from './worker_protocol';

const port = parentPort;
if (!port) throw new Error('session_worker must run in a worker thread');
const config = workerData as WorkerConfig;
const chosen = new Set<string>();
const waiting = new Map<number, (path: string | null) => void>();
let nextChoice = 1;

const post = (m: FromWorker) => port.postMessage(m);

const session = new Session({
  host: config.host,
  assetsDir: config.assetsDir,
  ...(config.restrictPaths ? { allowPath: (p: string) => chosen.has(p) || p.startsWith(config.assetsDir + sep) } : {}),
  ...(config.nativeDialogs
    ? {
        chooseFile: (kind: 'object' | 'trace') =>
          new Promise<string | null>((resolve) => {
            const id = nextChoice++;
            waiting.set(id, resolve);
            post({ type: 'choose', id, kind });
          }),
      }
    : {}),
  ...(config.saveDialog
    ? {
        chooseSavePath: (name: string) =>
          new Promise<string | null>((resolve) => {
            const id = nextChoice++;
            waiting.set(id, resolve);
            post({ type: 'chooseSave', id, name });
          }),
      }
    : {}),
});
// Traces of runs whose app died are swept at start; this session's go when it ends.
cleanStaleRunDirs();

session.onPush((channel, payload) => post({ type: 'push', channel, payload }));

port.on('message', (m: ToWorker) => {
  switch (m.type) {
    case 'request':
      void session.handle(m.raw).then((result) => post({ type: 'response', id: m.id, result }));
      break;
    case 'openFromHost':
      chosen.add(m.path);
      void session.openFromHost(m.kind, m.path);
      break;
    case 'chosen': {
      // a path chosen to open (or saved to) may be opened again
      if (m.path !== null) chosen.add(m.path);
      waiting.get(m.id)?.(m.path);
      waiting.delete(m.id);
      break;
    }
  }
});
