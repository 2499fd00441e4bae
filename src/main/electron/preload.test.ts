// The preload against a stand-in 'electron': it exposes exactly one API,
// window.scxray, forwards known methods over one IPC channel, and filters
// pushes by channel.
import { beforeAll, describe, expect, it, vi } from 'vitest';

type Listener = (e: unknown, msg: unknown) => void;

const fake = vi.hoisted(() => {
  const state = {
    exposed: new Map<string, unknown>(),
    invoked: [] as { channel: string; payload: unknown }[],
    listeners: new Set<Listener>(),
  };
  const electron = {
    contextBridge: { exposeInMainWorld: (k: string, v: unknown) => state.exposed.set(k, v) },
    ipcRenderer: {
      invoke: async (channel: string, payload: { method: string }) => {
        state.invoked.push({ channel, payload });
        return payload.method === 'hostInfo'
          ? { ok: true, result: { host: 'electron' } }
          : { ok: false, error: { code: 'invalid_request', message: 'params.t: expected number' } };
      },
      on: (_c: string, l: Listener) => state.listeners.add(l),
      removeListener: (_c: string, l: Listener) => state.listeners.delete(l),
    },
  };
  return { state, electron };
});
vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }));

interface Api {
  request(m: string, p?: unknown): Promise<unknown>;
  call(m: string, p?: unknown): Promise<unknown>;
  on(c: string, l: (p: unknown) => void): () => void;
}
let api: Api;

beforeAll(async () => {
  await import('./preload');
  api = fake.state.exposed.get('scxray') as Api;
});

describe('preload', () => {
  it('exposes only window.scxray', () => {
    expect([...fake.state.exposed.keys()]).toEqual(['scxray']);
    expect(Object.keys(api).sort()).toEqual(['call', 'on', 'request']);
  });

  it('forwards known methods over scxray:request and refuses unknown ones locally', async () => {
    expect(await api.request('hostInfo', {})).toEqual({ ok: true, result: { host: 'electron' } });
    expect(fake.state.invoked).toEqual([{ channel: 'scxray:request', payload: { method: 'hostInfo', params: {} } }]);
    expect(await api.request('shell.openExternal', {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(fake.state.invoked).toHaveLength(1);
  });

  it('call rejects with the error message', async () => {
    await expect(api.call('stateAt', { t: 'x' })).rejects.toThrow('params.t');
  });

  it('delivers pushes only to listeners of that channel and unsubscribes', () => {
    const got: unknown[] = [];
    const off = api.on('progress', (p) => got.push(p));
    for (const l of fake.state.listeners) {
      l({}, { channel: 'progress', payload: 1 });
      l({}, { channel: 'runState', payload: 2 });
    }
    expect(got).toEqual([1]);
    off();
    expect(fake.state.listeners.size).toBe(0);
    expect(() => api.on('nonsense', () => undefined)).toThrow(/unknown push channel/);
  });
});
