// JSON framing for the browser host's WebSocket. Electron IPC uses structured
// clone, which carries typed arrays as they are; JSON does not, so typed
// arrays travel as { $typed, b64 } and come back as the same class. With this
// the renderer receives identical values from both hosts.
//
// Frames:
//   client -> host  { type: 'request', id, method, params }
//   host -> client  { type: 'response', id, ok: true, result } | { type: 'response', id, ok: false, error }
//                   { type: 'push', channel, payload }

import type { SessionError } from './contract';

export type ClientFrame = { type: 'request'; id: number; method: string; params: unknown };
export type HostFrame =
  | { type: 'response'; id: number | null; ok: true; result: unknown }
  | { type: 'response'; id: number | null; ok: false; error: SessionError }
  | { type: 'push'; channel: string; payload: unknown };

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

/** Bytes as base64 (uploads and the typed-array encoding). */
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

function typedName(v: unknown): TypedName | undefined {
  if (!ArrayBuffer.isView(v) || v instanceof DataView) return undefined;
  for (const name of Object.keys(TYPED) as TypedName[]) if (v instanceof TYPED[name]) return name;
  return undefined;
}

// Replacers see typed arrays already converted by toJSON-less default
// handling only if we intercept on the parent, so convert up front.
function encodeValue(v: unknown): unknown {
  const name = typedName(v);
  if (name) {
    const view = v as ArrayBufferView;
    return { $typed: name, b64: toBase64(new Uint8Array(view.buffer, view.byteOffset, view.byteLength)) };
  }
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return v.map(encodeValue);
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = encodeValue(x);
    return out;
  }
  return v;
}

export function encodeFrame(frame: ClientFrame | HostFrame): string {
  return JSON.stringify(encodeValue(frame));
}

/** JSON.parse reviver for the { $typed, b64 } typed-array encoding. */
export function reviveTyped(_key: string, v: unknown): unknown {
  if (typeof v === 'object' && v !== null && '$typed' in v && 'b64' in v) {
    const { $typed, b64 } = v as { $typed: unknown; b64: unknown };
    if (typeof $typed === 'string' && typeof b64 === 'string' && $typed in TYPED) {
      const bytes = fromBase64(b64);
      const Ctor = TYPED[$typed as TypedName];
      // fromBase64 allocates a fresh buffer, so offset 0 is aligned for every element size.
      return new Ctor(bytes.buffer as ArrayBuffer, 0, bytes.byteLength / Ctor.BYTES_PER_ELEMENT);
    }
  }
  return v;
}

/** Parse a frame's JSON text; throws SyntaxError on bad JSON (callers report it). */
export function decodeFrame(text: string): unknown {
  return JSON.parse(text, reviveTyped);
}
