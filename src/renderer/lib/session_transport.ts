// The browser's way to the session: the same ScxrayApi as Electron's preload,
// carried over a WebSocket to the host that served the page, with the host's
// JSON framing (src/protocol/wire.ts): typed arrays travel as
// { $typed, b64 } and are revived as the same class here, so the UI receives
// identical values from both hosts.
import type { MethodName, MethodParams, MethodResult, PushChannel, PushPayload, Result, ScxrayApi, SessionError } from '../../protocol/contract';

const TYPED = {
  Int8Array,
  Uint8Array,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
} as const;
type TypedName = keyof typeof TYPED;

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** JSON.parse reviver for the host's { $typed, b64 } typed-array encoding. */
export function reviveTyped(_key: string, v: unknown): unknown {
  if (typeof v === 'object' && v !== null && '$typed' in v && 'b64' in v) {
    const { $typed, b64 } = v as { $typed: unknown; b64: unknown };
    if (typeof $typed === 'string' && typeof b64 === 'string' && $typed in TYPED) {
      const bytes = fromBase64(b64);
      const Ctor = TYPED[$typed as TypedName];
      return new Ctor(bytes.buffer as ArrayBuffer, 0, bytes.byteLength / Ctor.BYTES_PER_ELEMENT);
    }
  }
  return v;
}

type HostFrame =
  | { type: 'response'; id: number | null; ok: true; result: unknown }
  | { type: 'response'; id: number | null; ok: false; error: SessionError }
  | { type: 'push'; channel: string; payload: unknown };

interface SocketLike {
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
    this.socket = new Promise((resolve, reject) => {
      const ws = this.open(this.url);
      ws.onopen = () => resolve(ws);
      ws.onerror = () => reject(new Error(`cannot reach the scxray host at ${this.url}`));
      ws.onclose = () => {
        this.socket = null;
        const lost: Result<unknown> = {
          ok: false,
          error: { code: 'internal', message: 'The connection to the scxray host closed; reload the page once the host runs again.' },
        };
        for (const done of this.pending.values()) done(lost);
        this.pending.clear();
      };
      ws.onmessage = (ev) => this.receive(ev.data);
    });
    return this.socket;
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let frame: HostFrame;
    try {
      frame = JSON.parse(data, reviveTyped) as HostFrame;
    } catch {
      return;
    }
    if (frame.type === 'push') {
      for (const l of this.listeners.get(frame.channel) ?? []) l(frame.payload);
      return;
    }
    if (frame.type !== 'response' || frame.id === null) return;
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
      ws.send(JSON.stringify({ type: 'request', id, method, params }));
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
}
