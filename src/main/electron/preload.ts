// The preload: exposes the session API as window.scxray through
// contextBridge, and nothing else. The renderer never sees ipcRenderer.
// Runs sandboxed, so it imports only 'electron' and the dependency-free
// channel lists (bundled by esbuild into dist/electron/preload.cjs).

import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_PUSH, IPC_REQUEST, METHOD_LIST, PUSH_LIST } from '../../protocol/channels';

type Reply = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string } };

const methods: readonly string[] = METHOD_LIST;
const pushes: readonly string[] = PUSH_LIST;

function request(method: string, params?: unknown): Promise<Reply> {
  if (typeof method !== 'string' || !methods.includes(method)) {
    return Promise.resolve({ ok: false, error: { code: 'unknown_method', message: `method: unknown session method "${String(method)}"` } });
  }
  return ipcRenderer.invoke(IPC_REQUEST, { method, params: params ?? {} }) as Promise<Reply>;
}

contextBridge.exposeInMainWorld('scxray', {
  request,
  async call(method: string, params?: unknown): Promise<unknown> {
    const r = await request(method, params);
    if (r.ok) return r.result;
    throw new Error(r.error.message);
  },
  on(channel: string, listener: (payload: unknown) => void): () => void {
    if (!pushes.includes(channel)) throw new Error(`scxray.on: unknown push channel "${channel}"`);
    const handler = (_e: IpcRendererEvent, msg: { channel: string; payload: unknown }) => {
      if (msg.channel === channel) listener(msg.payload);
    };
    ipcRenderer.on(IPC_PUSH, handler);
    return () => {
      ipcRenderer.removeListener(IPC_PUSH, handler);
    };
  },
});
