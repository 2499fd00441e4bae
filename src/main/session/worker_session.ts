// The main-thread face of a Session running in a worker thread: the same
// handle / onPush / openFromHost / dispose as Session, so Electron main can
// use either. The worker runs with V8 heap limits (resourceLimits): a run
// that needs more memory ends that worker, not the app. A worker that dies
// fails its pending requests with a clear error, tells the window what was
// lost (the open object and the run in progress; trace files on disk stay),
// and is replaced by a fresh one.

import { Worker, type ResourceLimits } from 'node:worker_threads';
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
  /** Native save dialog in main for "Save trace as…". */
  chooseSavePath?: (defaultName: string) => Promise<string | null>;
  /** V8 limits of the worker (default: DEFAULT_WORKER_LIMITS). */
  resourceLimits?: ResourceLimits;
}

/** Room for a 256-CPU run; past it the worker ends with ERR_WORKER_OUT_OF_MEMORY instead of taking the app down. */
export const DEFAULT_WORKER_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 3072, maxYoungGenerationSizeMb: 64 };
/** More crashes than this within RESTART_WINDOW_MS stop the restarts (something is wrong at start-up). */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;

/** Worker code that registers tsx, then imports the TypeScript entry (execArgv --import does not reach a worker's entry). */
function tsxBootstrap(script: string | URL): string {
  const url = script instanceof URL ? script.href : pathToFileURL(script).href;
  return `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url)}); });`;
}

type Listener = <C extends PushChannel>(channel: C, payload: PushPayload<C>) => void;

export class WorkerSession {
  private worker: Worker;
  private readonly pending = new Map<number, (r: Result<unknown>) => void>();
  private readonly listeners = new Set<Listener>();
  private nextId = 1;
  private dead: string | null = null;
  private disposed = false;
  private readonly crashes: number[] = [];
  /** How many times the worker was replaced after a crash. */
  restarts = 0;

  constructor(private readonly opts: WorkerSessionOptions) {
    this.worker = this.spawn();
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
    this.disposed = true;
    this.dead ??= 'the session was closed';
    return this.worker.terminate();
  }

  private spawn(): Worker {
    const config: WorkerConfig = {
      host: this.opts.host,
      assetsDir: this.opts.assetsDir,
      restrictPaths: this.opts.restrictPaths ?? false,
      nativeDialogs: this.opts.chooseFile !== undefined,
      saveDialog: this.opts.chooseSavePath !== undefined,
    };
    const resourceLimits = this.opts.resourceLimits ?? DEFAULT_WORKER_LIMITS;
    const worker = this.opts.fromSource
      ? new Worker(tsxBootstrap(this.opts.script), { eval: true, workerData: config, resourceLimits })
      : new Worker(this.opts.script, { workerData: config, resourceLimits });
    let reason: string | null = null;
    worker.on('message', (m: FromWorker) => this.receive(m));
    worker.on('error', (e) => {
      reason = (e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'it ran out of memory' : `it crashed: ${e.message}`;
    });
    worker.on('exit', (code) => {
      if (worker !== this.worker) return;
      this.crashed(reason ?? `it exited (code ${code})`);
    });
    return worker;
  }

  private crashed(reason: string): void {
    const message = `the session engine stopped: ${reason}`;
    if (this.disposed) {
      this.dead ??= message;
    }
    for (const p of this.pending.values()) p({ ok: false, error: { code: 'internal', message } });
    this.pending.clear();
    if (this.disposed) return;
    const now = Date.now();
    this.crashes.push(now);
    while (this.crashes.length > 0 && now - this.crashes[0]! > RESTART_WINDOW_MS) this.crashes.shift();
    if (this.crashes.length > MAX_RESTARTS) {
      this.dead = `${message}; it crashed ${this.crashes.length} times in a minute, so it was not restarted: restart scxray`;
      this.tell(this.dead);
      return;
    }
    this.restarts++;
    this.worker = this.spawn();
    this.tell(`${message}. It was restarted: the open scheduler and the run in progress are gone (open the object again); trace files already written stay where they are.`);
  }

  private tell(message: string): void {
    for (const l of this.listeners) l('error', { code: 'internal', message });
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
    } else if (m.type === 'chooseSave') {
      const choose = this.opts.chooseSavePath;
      void (choose ? choose(m.name) : Promise.resolve(null)).then(
        (path) => this.send({ type: 'chosen', id: m.id, path }),
        () => this.send({ type: 'chosen', id: m.id, path: null }),
      );
    }
  }
}
