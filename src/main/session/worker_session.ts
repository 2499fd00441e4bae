// The main-thread face of a Session running in a worker thread: the same
// handle / onPush / openFromHost / dispose as Session, so Electron main can
// use either. A crashed worker fails pending requests with a clear error.

import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import type { PushChannel, PushPayload, Result } from '../../protocol/contract';
import type { FromWorker, ToWorker, WorkerConfig } from './worker_protocol';

export interface WorkerSessionOptions {
  host: 'electron' | 'browser';
  assetsDir: string;
  /** The worker entry: dist/electron/session_worker.cjs, or session_worker.ts when `fromSource`. */
  script: string | URL;
  /** Load a TypeScript entry through tsx (a checkout; tests). */
  fromSource?: boolean;
  restrictPaths?: boolean;
  /** Native dialog in main; the chosen path is handed to the worker. */
  chooseFile?: (kind: 'object' | 'trace') => Promise<string | null>;
}

/** Worker code that registers tsx, then imports the TypeScript entry (execArgv --import does not reach a worker's entry). */
function tsxBootstrap(script: string | URL): string {
  const url = script instanceof URL ? script.href : pathToFileURL(script).href;
  return `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url)}); });`;
}

type Listener = <C extends PushChannel>(channel: C, payload: PushPayload<C>) => void;

export class WorkerSession {
  private readonly worker: Worker;
  private readonly pending = new Map<number, (r: Result<unknown>) => void>();
  private readonly listeners = new Set<Listener>();
  private nextId = 1;
  private dead: string | null = null;

  constructor(private readonly opts: WorkerSessionOptions) {
    const config: WorkerConfig = {
      host: opts.host,
      assetsDir: opts.assetsDir,
      restrictPaths: opts.restrictPaths ?? false,
      nativeDialogs: opts.chooseFile !== undefined,
    };
    this.worker = opts.fromSource
      ? new Worker(tsxBootstrap(opts.script), { eval: true, workerData: config })
      : new Worker(opts.script, { workerData: config });
    this.worker.on('message', (m: FromWorker) => this.receive(m));
    this.worker.on('error', (e) => this.die(`the session worker crashed: ${e.message}`));
    this.worker.on('exit', (code) => this.die(`the session worker exited (code ${code})`));
  }

  handle(raw: unknown): Promise<Result<unknown>> {
    if (this.dead) return Promise.resolve({ ok: false, error: { code: 'internal', message: this.dead } });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.send({ type: 'request', id, raw });
    });
  }

  onPush(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  openFromHost(kind: 'object' | 'trace', path: string): void {
    this.send({ type: 'openFromHost', kind, path });
  }

  dispose(): Promise<number> {
    this.dead ??= 'the session was closed';
    return this.worker.terminate();
  }

  private send(m: ToWorker): void {
    this.worker.postMessage(m);
  }

  private receive(m: FromWorker): void {
    if (m.type === 'response') {
      this.pending.get(m.id)?.(m.result);
      this.pending.delete(m.id);
    } else if (m.type === 'push') {
      for (const l of this.listeners) l(m.channel as PushChannel, m.payload as never);
    } else if (m.type === 'choose') {
      const choose = this.opts.chooseFile;
      void (choose ? choose(m.kind) : Promise.resolve(null)).then(
        (path) => this.send({ type: 'chosen', id: m.id, path }),
        () => this.send({ type: 'chosen', id: m.id, path: null }),
      );
    }
  }

  private die(message: string): void {
    this.dead ??= message;
    for (const p of this.pending.values()) p({ ok: false, error: { code: 'internal', message: this.dead } });
    this.pending.clear();
  }
}
