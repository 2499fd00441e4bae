// The one WebSocket client of the session protocol: the ScxrayApi carried
// over a socket to the browser host, with the host's framing (wire.ts) in
// both directions, so typed arrays and bigints in params and results travel
// the same way. The host's injected bridge (src/main/host/bridge.ts) and the
// renderer's fallback for pages without it (vite dev) both use this class.

import type { MethodName, MethodParams, MethodResult, PushChannel, PushPayload, Result, ScxrayApi, SessionError } from './contract';
import { decodeFrame, encodeFrame, type HostFrame } from './wire';

/** What the client needs of a WebSocket (the DOM's, or a test double). */
export interface SocketLike {
  readyState: number;
  send(text: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

export type SocketFactory = (url: string) => SocketLike;

type Listener = (payload: unknown) => void;

/** The error every pending call gets when the socket closes. */
export const CONNECTION_LOST: SessionError = {
  code: 'internal',
  message: 'The connection to the scxray host closed; reload the page once the host runs again.',
};

export class WebSocketScxray implements ScxrayApi {
  private socket: Promise<SocketLike> | null = null;
  private nextId = 1;
  private pending = new Map<number, (r: Result<unknown>) => void>();
  private listeners = new Map<string, Set<Listener>>();

  constructor(
    private readonly url: string,
    private readonly open: SocketFactory = (u) => new WebSocket(u) as unknown as SocketLike,
  ) {}

  private connect(): Promise<SocketLike> {
    if (this.socket) return this.socket;
    const socket = new Promise<SocketLike>((resolve, reject) => {
      const ws = this.open(this.url);
      ws.onopen = () => resolve(ws);
      ws.onerror = () => reject(new Error(`cannot reach the scxray host at ${this.url}`));
      ws.onclose = () => {
        this.socket = null;
        for (const done of this.pending.values()) done({ ok: false, error: CONNECTION_LOST });
        this.pending.clear();
      };
      ws.onmessage = (ev) => this.receive(ev.data);
    });
    // A failed connection is retried by the next call.
    socket.catch(() => {
      if (this.socket === socket) this.socket = null;
    });
    this.socket = socket;
    return socket;
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let frame: HostFrame;
    try {
      frame = decodeFrame(data) as HostFrame;
    } catch {
      return;
    }
    if (frame.type === 'push') {
      for (const l of this.listeners.get(frame.channel) ?? []) l(frame.payload);
      return;
    }
    if (frame.type !== 'response' || typeof frame.id !== 'number') return;
    const done = this.pending.get(frame.id);
    if (!done) return;
    this.pending.delete(frame.id);
    done(frame.ok ? { ok: true, result: frame.result } : { ok: false, error: frame.error });
  }

  async request<M extends MethodName>(method: M, params: MethodParams<M>): Promise<Result<MethodResult<M>>> {
    let ws: SocketLike;
    try {
      ws = await this.connect();
    } catch (e) {
      return { ok: false, error: { code: 'internal', message: (e as Error).message } };
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve as (r: Result<unknown>) => void);
      ws.send(encodeFrame({ type: 'request', id, method, params: params ?? {} }));
    });
  }

  async call<M extends MethodName>(method: M, params?: MethodParams<M>): Promise<MethodResult<M>> {
    const r = await this.request(method, (params ?? {}) as MethodParams<M>);
    if (r.ok) return r.result;
    throw Object.assign(new Error(r.error.message), r.error);
  }

  on<C extends PushChannel>(channel: C, listener: (payload: PushPayload<C>) => void): () => void {
    let set = this.listeners.get(channel);
    if (!set) this.listeners.set(channel, (set = new Set()));
    set.add(listener as Listener);
    void this.connect().catch(() => {});
    return () => set!.delete(listener as Listener);
  }

  /** A frozen object with just the API, for exposing on window (the class keeps mutable state). */
  facade(): ScxrayApi {
    return Object.freeze({
      request: this.request.bind(this),
      call: this.call.bind(this),
      on: this.on.bind(this),
    }) as ScxrayApi;
  }
}
