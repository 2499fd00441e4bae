// The browser host's sessions run in a small pool of worker threads (one per
// core by default), several tabs per worker. Each worker runs with V8 heap
// limits; one that dies (out of memory, a crash) fails its pending requests,
// tells each of its tabs what was lost, and is replaced — the host and the
// other workers' tabs carry on, and the affected tabs get a fresh session.

import { Worker, type ResourceLimits } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { PushChannel, PushPayload, Result } from '../../protocol/contract';
import type { FromPoolWorker, PoolWorkerConfig, ToPoolWorker } from './pool_protocol';

type Listener = <C extends PushChannel>(channel: C, payload: PushPayload<C>) => void;

export interface PooledSession {
  readonly id: number;
  handle(raw: unknown): Promise<Result<unknown>>;
  onPush(listener: Listener): () => void;
  dispose(): void;
}

export interface SessionPoolOptions extends PoolWorkerConfig {
  size?: number;
  resourceLimits?: ResourceLimits;
  /** A session offered a download (saveTrace): main serves it once. */
  onDownload: (session: number, id: string, file: string, name: string) => void;
}

const SOURCE = fileURLToPath(new URL('./pool_worker.ts', import.meta.url));
const DEFAULT_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 3072, maxYoungGenerationSizeMb: 64 };

interface Slot {
  worker: Worker;
  sessions: Map<number, Set<Listener>>;
  pending: Map<number, (r: Result<unknown>) => void>;
}

export class SessionPool {
  private readonly slots: Slot[] = [];
  private nextSession = 1;
  private nextRequest = 1;
  private closed = false;
  restarts = 0;

  constructor(private readonly opts: SessionPoolOptions) {
    const size = Math.max(1, opts.size ?? 2);
    for (let i = 0; i < size; i++) this.slots.push(this.spawn(new Map()));
  }

  openSession(): PooledSession {
    const id = this.nextSession++;
    const listeners = new Set<Listener>();
    const slotOf = () => this.slots.find((s) => s.sessions.has(id));
    // the least loaded worker
    const slot = this.slots.reduce((a, b) => (b.sessions.size < a.sessions.size ? b : a));
    slot.sessions.set(id, listeners);
    post(slot, { type: 'open', session: id });
    return {
      id,
      handle: (raw) => {
        const s = slotOf();
        if (!s || this.closed) return Promise.resolve({ ok: false, error: { code: 'internal', message: 'the session was closed' } });
        const rid = this.nextRequest++;
        return new Promise((resolve) => {
          s.pending.set(rid, resolve);
          post(s, { type: 'request', session: id, id: rid, raw });
        });
      },
      onPush: (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
      dispose: () => {
        const s = slotOf();
        if (!s) return;
        s.sessions.delete(id);
        post(s, { type: 'close', session: id });
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(sessions: Slot['sessions']): Slot {
    const config: PoolWorkerConfig = { assetsDir: this.opts.assetsDir, allowedDirs: this.opts.allowedDirs };
    const resourceLimits = this.opts.resourceLimits ?? DEFAULT_LIMITS;
    if (!existsSync(SOURCE)) throw new Error(`the browser host's session worker is missing: ${SOURCE}`);
    // The host runs from source through tsx (bin/scxray.mjs); the worker registers tsx before importing its entry.
    const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(pathToFileURL(SOURCE).href)}); });`;
    const worker = new Worker(boot, { eval: true, workerData: config, resourceLimits });
    const slot: Slot = { worker, sessions, pending: new Map() };
    let reason: string | null = null;
    worker.on('message', (m: FromPoolWorker) => this.receive(slot, m));
    worker.on('error', (e) => {
      reason = (e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'it ran out of memory' : `it crashed: ${e.message}`;
    });
    worker.on('exit', (code) => {
      if (!this.closed) this.replace(slot, reason ?? `it exited (code ${code})`);
    });
    // Reopen the sessions this slot carries (after a crash they start empty).
    for (const id of sessions.keys()) post(slot, { type: 'open', session: id });
    return slot;
  }

  private replace(dead: Slot, reason: string): void {
    const message = `the session engine stopped: ${reason}`;
    for (const p of dead.pending.values()) p({ ok: false, error: { code: 'internal', message } });
    dead.pending.clear();
    const i = this.slots.indexOf(dead);
    if (i < 0) return;
    this.restarts++;
    this.slots[i] = this.spawn(dead.sessions);
    const told = `${message}. It was restarted: the open scheduler and the run in progress are gone (open the object again); trace files already saved stay where they are.`;
    for (const listeners of dead.sessions.values()) for (const l of listeners) l('error', { code: 'internal', message: told });
  }

  private receive(slot: Slot, m: FromPoolWorker): void {
    if (m.type === 'response') {
      slot.pending.get(m.id)?.(m.result);
      slot.pending.delete(m.id);
    } else if (m.type === 'push') {
      for (const l of slot.sessions.get(m.session) ?? []) l(m.channel as PushChannel, m.payload as never);
    } else {
      this.opts.onDownload(m.session, m.id, m.file, m.name);
    }
  }
}

function post(slot: Slot, m: ToPoolWorker): void {
  slot.worker.postMessage(m);
}
