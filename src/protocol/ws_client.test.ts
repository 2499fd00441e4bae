import { describe, expect, it } from 'vitest';
import { CONNECTION_LOST, WebSocketScxray, type SocketFactory, type SocketLike } from './ws_client';
import { decodeFrame } from './wire';
import type { MethodParams } from './contract';

/** A socket the test drives by hand: it records what the client sends. */
function manualSocket() {
  const sockets: (SocketLike & { sent: string[] })[] = [];
  const factory: SocketFactory = () => {
    const ws = {
      readyState: 1,
      sent: [] as string[],
      onopen: null as ((e: unknown) => void) | null,
      onclose: null as ((e: unknown) => void) | null,
      onerror: null as ((e: unknown) => void) | null,
      onmessage: null as ((e: { data: unknown }) => void) | null,
      send(text: string) {
        ws.sent.push(text);
      },
      close() {},
    };
    sockets.push(ws);
    return ws;
  };
  return { sockets, factory };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('the one WebSocket client', () => {
  it('encodes typed arrays and bigints in params with the host framing (the old bridge sent plain JSON)', async () => {
    const { sockets, factory } = manualSocket();
    const api = new WebSocketScxray('ws://h/session', factory);
    const params = { bytes: new Uint8Array([1, 2, 255]), big: 2n ** 64n - 1n } as unknown as MethodParams<'openObject'>;
    void api.request('openObject', params);
    sockets[0]!.onopen!({});
    await tick();
    const frame = decodeFrame(sockets[0]!.sent[0]!) as { params: { bytes: Uint8Array; big: string } };
    expect(frame.params.bytes).toBeInstanceOf(Uint8Array);
    expect(Array.from(frame.params.bytes)).toEqual([1, 2, 255]);
    expect(frame.params.big).toBe('18446744073709551615');
  });

  it('fails every pending call with one error shape when the socket closes, and reconnects on the next call', async () => {
    const { sockets, factory } = manualSocket();
    const api = new WebSocketScxray('ws://h/session', factory);
    const first = api.request('listExamples', {} as MethodParams<'listExamples'>);
    sockets[0]!.onopen!({});
    await tick();
    sockets[0]!.onclose!({});
    expect(await first).toEqual({ ok: false, error: CONNECTION_LOST });
    void api.request('listExamples', {} as MethodParams<'listExamples'>);
    expect(sockets).toHaveLength(2);
  });

  it('reports an unreachable host as a failed result naming the URL, then retries', async () => {
    const { sockets, factory } = manualSocket();
    const api = new WebSocketScxray('ws://h/session', factory);
    const r = api.request('listExamples', {} as MethodParams<'listExamples'>);
    sockets[0]!.onerror!({});
    expect(await r).toEqual({ ok: false, error: { code: 'internal', message: 'cannot reach the scxray host at ws://h/session' } });
    void api.request('listExamples', {} as MethodParams<'listExamples'>);
    expect(sockets).toHaveLength(2);
  });

  it('exposes a frozen facade that still works', async () => {
    const { sockets, factory } = manualSocket();
    const facade = new WebSocketScxray('ws://h/session', factory).facade();
    expect(Object.isFrozen(facade)).toBe(true);
    const r = facade.request('listExamples', {} as MethodParams<'listExamples'>);
    sockets[0]!.onopen!({});
    await tick();
    const id = (decodeFrame(sockets[0]!.sent[0]!) as { id: number }).id;
    sockets[0]!.onmessage!({ data: JSON.stringify({ type: 'response', id, ok: true, result: { examples: [] } }) });
    expect(await r).toEqual({ ok: true, result: { examples: [] } });
  });
});
