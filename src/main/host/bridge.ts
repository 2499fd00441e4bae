// window.scxray in a browser: the same API the Electron preload exposes,
// carried over a WebSocket to the host that served the page. The host
// injects this script (built to an IIFE) before the renderer's own code, so
// the renderer finds window.scxray in both hosts and cannot tell them apart.
//
// Runs in the page: no Node, no imports beyond the shared framing.

import type { MethodName, PushChannel, Result, ScxrayApi, SessionError } from '../../protocol/contract';
import { decodeFrame, encodeFrame, type HostFrame } from '../../protocol/wire';

type Pending = (r: Result<unknown>) => void;

function createBridge(url: string): ScxrayApi {
  let socket: Promise<WebSocket> | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();

  const lost = (message: string): SessionError => ({ code: 'internal', message });

  function connect(): Promise<WebSocket> {
    if (socket) return socket;
    socket = new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onopen = () => resolve(ws);
      ws.onerror = () => reject(new Error(`cannot reach the scxray host at ${url}`));
      ws.onclose = () => {
        socket = null;
        for (const p of pending.values()) p({ ok: false, error: lost('the connection to the scxray host closed') });
        pending.clear();
      };
      ws.onmessage = (ev) => {
        if (typeof ev.data !== 'string') return;
        let frame: HostFrame;
        try {
          frame = decodeFrame(ev.data) as HostFrame;
        } catch {
          return;
        }
        if (frame.type === 'push') {
          for (const l of listeners.get(frame.channel) ?? []) l(frame.payload);
        } else if (frame.type === 'response' && typeof frame.id === 'number') {
          const p = pending.get(frame.id);
          pending.delete(frame.id);
          p?.(frame.ok ? { ok: true, result: frame.result } : { ok: false, error: frame.error });
        }
      };
    });
    socket.catch(() => {
      socket = null;
    });
    return socket;
  }

  async function request(method: MethodName, params: unknown): Promise<Result<unknown>> {
    let ws: WebSocket;
    try {
      ws = await connect();
    } catch (e) {
      return { ok: false, error: lost((e as Error).message) };
    }
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      ws.send(encodeFrame({ type: 'request', id, method, params: params ?? {} }));
    });
  }

  const api = {
    request,
    async call(method: MethodName, params?: unknown) {
      const r = await request(method, params);
      if (r.ok) return r.result;
      throw Object.assign(new Error(r.error.message), r.error);
    },
    on(channel: PushChannel, listener: (p: unknown) => void) {
      let set = listeners.get(channel);
      if (!set) listeners.set(channel, (set = new Set()));
      set.add(listener);
      void connect().catch(() => undefined);
      return () => {
        set.delete(listener);
      };
    },
  };
  return api as unknown as ScxrayApi;
}

const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
Object.defineProperty(window, 'scxray', {
  value: Object.freeze(createBridge(`${proto}//${location.host}/session`)),
  writable: false,
  configurable: false,
});
