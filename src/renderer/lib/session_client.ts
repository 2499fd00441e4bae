// One typed session for the whole UI. In Electron the preload installs
// window.scxray (IPC); in a browser the host injects the same API with its
// bridge script (src/main/host/bridge.ts), and without it (vite dev) we speak the contract over a WebSocket to the
// page's own origin. Calls resolve with the result or throw SessionFailure
// carrying the contract's SessionError (file, where, message) for the banner.
import type { MethodName, MethodParams, MethodResult, PushChannel, PushPayload, ScxrayApi, SessionError } from '../../protocol/contract';
import { WebSocketScxray } from '../../protocol/ws_client';
import { toBase64 } from '../../protocol/wire';

export class SessionFailure extends Error {
  constructor(readonly error: SessionError) {
    super(error.message);
  }
}

export interface Session {
  readonly transport: 'preload' | 'websocket';
  call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>>;
  on<C extends PushChannel>(channel: C, listener: (payload: PushPayload<C>) => void): () => void;
}

export function sessionOver(api: ScxrayApi, transport: Session['transport']): Session {
  return {
    transport,
    async call(method, params) {
      const r = await api.request(method, params);
      if (!r.ok) throw new SessionFailure(r.error);
      return r.result;
    },
    on: (channel, listener) => api.on(channel, listener),
  };
}

/** The WebSocket path the browser host serves the session on. */
export const SESSION_SOCKET_PATH = '/session';

export function connectSession(win: Window = window): Session {
  const preload = (win as { scxray?: ScxrayApi }).scxray;
  if (preload) return sessionOver(preload, 'preload');
  const proto = win.location.protocol === 'https:' ? 'wss' : 'ws';
  return sessionOver(new WebSocketScxray(`${proto}://${win.location.host}${SESSION_SOCKET_PATH}`), 'websocket');
}

/** Read a picked <input type=file> as the contract's upload FileRef. */
export async function uploadRef(file: File): Promise<{ name: string; dataBase64: string }> {
  return { name: file.name, dataBase64: toBase64(new Uint8Array(await file.arrayBuffer())) };
}

/** Text for the error banner: the file first, then what is wrong. */
export function describeFailure(e: unknown): { file?: string; message: string } {
  if (e instanceof SessionFailure) return { file: e.error.file, message: e.error.message };
  return { message: e instanceof Error ? e.message : String(e) };
}
