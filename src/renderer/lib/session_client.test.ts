import { describe, expect, it } from 'vitest';
import { SessionFailure, describeFailure, sessionOver } from './session_client';
import { WebSocketScxray, type SocketFactory } from '../../protocol/ws_client';
import { reviveTyped, toBase64 } from '../../protocol/wire';
import type { ScxrayApi } from '../../protocol/contract';

/** An in-memory socket standing in for the host so the framing can be checked. */
function fakeSocket(reply: (frame: { id: number; method: string; params: unknown }) => string) {
  const sent: string[] = [];
  const factory: SocketFactory = () => {
    const ws = {
      readyState: 1,
      onopen: null as ((e: unknown) => void) | null,
      onclose: null as ((e: unknown) => void) | null,
      onerror: null as ((e: unknown) => void) | null,
      onmessage: null as ((e: { data: unknown }) => void) | null,
      send(text: string) {
        sent.push(text);
        const f = JSON.parse(text);
        queueMicrotask(() => ws.onmessage?.({ data: reply(f) }));
      },
      close() {},
    };
    queueMicrotask(() => ws.onopen?.({}));
    return ws;
  };
  return { sent, factory };
}

describe('WebSocketScxray', () => {
  it('sends request frames and revives typed arrays in results', async () => {
    const start = new Float64Array([1.5, 2.5]);
    const { sent, factory } = fakeSocket((f) =>
      JSON.stringify({
        type: 'response', id: f.id, ok: true,
        result: { start: { $typed: 'Float64Array', b64: toBase64(new Uint8Array(start.buffer)) } },
      }),
    );
    const api = new WebSocketScxray('ws://x/session', factory);
    const r = await api.request('slices', { t0: 0, t1: 10, nsPerPx: 1 });
    expect(JSON.parse(sent[0]!)).toMatchObject({ type: 'request', id: 1, method: 'slices' });
    expect(r.ok).toBe(true);
    const res = (r as { result: { start: Float64Array } }).result;
    expect(res.start).toBeInstanceOf(Float64Array);
    expect(Array.from(res.start)).toEqual([1.5, 2.5]);
  });

  it('returns the host error as a failed result', async () => {
    const { factory } = fakeSocket((f) =>
      JSON.stringify({ type: 'response', id: f.id, ok: false, error: { code: 'load_failed', message: 'not an ELF file', file: 'notes.txt' } }),
    );
    const s = sessionOver(new WebSocketScxray('ws://x/session', factory), 'websocket');
    const err = await s.call('openObject', { name: 'notes.txt', dataBase64: 'aGk=' }).catch((e) => e);
    expect(err).toBeInstanceOf(SessionFailure);
    expect(describeFailure(err)).toEqual({ file: 'notes.txt', message: 'not an ELF file' });
  });
});

describe('reviveTyped', () => {
  it('leaves ordinary objects alone', () => {
    expect(reviveTyped('', { a: 1 })).toEqual({ a: 1 });
  });
});

describe('sessionOver', () => {
  it('passes pushes through from the preload API', () => {
    let listener: ((p: unknown) => void) | undefined;
    const api = {
      request: async () => ({ ok: true, result: {} }),
      on: (_c: string, l: (p: unknown) => void) => ((listener = l), () => {}),
    } as unknown as ScxrayApi;
    const s = sessionOver(api, 'preload');
    let seen = '';
    s.on('error', (e) => (seen = e.message));
    listener!({ code: 'internal', message: 'boom' });
    expect(seen).toBe('boom');
  });
});
