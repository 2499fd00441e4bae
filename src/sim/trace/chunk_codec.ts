// A chunk record's payload: a small uncompressed meta block (times, counts,
// sizes, which task each CPU runs at the keyframe), then the keyframe
// (deflated JSON SimSnapshot) and the event block (deflated columns). The
// footer is the list of chunk index entries.

import { deflateSync, inflateSync } from 'fflate';
import type { SimSnapshot } from '../../model/events';
import { ByteReader, ByteWriter } from './bytes';
import { TraceError } from './errors';

export interface ChunkMeta {
  /** Keyframe time: the state before the chunk's first event. */
  tBase: number;
  tFirst: number;
  tLast: number;
  count: number;
  /** Running pid per CPU at the keyframe. */
  curr: Int32Array;
}

export interface ChunkIndexEntry extends ChunkMeta {
  /** Offset of the chunk's record header in the file, and the record's full length. */
  offset: number;
  length: number;
  /** Number of events in all earlier chunks. */
  firstEvent: number;
}

export interface ChunkPayload {
  meta: ChunkMeta;
  keyframe: () => SimSnapshot;
  events: () => Uint8Array;
}

/** Raw DEFLATE (RFC 1951) of a block; any level or implementation yields the same format. */
export type Deflate = (raw: Uint8Array) => Uint8Array;

const fflateDeflate: Deflate = (raw) => deflateSync(raw, { level: 6 });

/** `deflate` defaults to fflate (works anywhere); the recorder passes node:zlib's, which is several times faster. */
export function encodeChunkPayload(meta: ChunkMeta, keyframe: SimSnapshot, events: Uint8Array, deflate: Deflate = fflateDeflate): Uint8Array {
  const kfRaw = new TextEncoder().encode(JSON.stringify(keyframe));
  const kf = deflate(kfRaw);
  const ev = deflate(events);
  const w = new ByteWriter(96 + meta.curr.length * 3 + kf.length + ev.length);
  w.f64(meta.tBase);
  w.f64(meta.tFirst);
  w.f64(meta.tLast);
  w.uvar(meta.count);
  w.uvar(kfRaw.length);
  w.uvar(kf.length);
  w.uvar(events.length);
  w.uvar(ev.length);
  w.uvar(meta.curr.length);
  for (const p of meta.curr) w.svar(p);
  w.bytes(kf);
  w.bytes(ev);
  return w.finish();
}

function inflateExact(src: Uint8Array, size: number, what: string): Uint8Array {
  const out = new Uint8Array(size);
  let got: Uint8Array;
  try {
    got = inflateSync(src, { out });
  } catch (e) {
    throw new TraceError('corrupt', `${what} does not decompress: ${(e as Error).message}`);
  }
  if (got.length !== size) throw new TraceError('corrupt', `${what} decompressed to ${got.length} bytes, expected ${size}`);
  return got;
}

/** Parses a CRC-checked chunk payload; keyframe and events decompress on demand. */
export function decodeChunkPayload(p: Uint8Array): ChunkPayload {
  const r = new ByteReader(p, 0, p.length, 'chunk meta');
  const tBase = r.f64();
  const tFirst = r.f64();
  const tLast = r.f64();
  const count = r.uvar();
  const kfRawLen = r.uvar();
  const kfLen = r.uvar();
  const evRawLen = r.uvar();
  const evLen = r.uvar();
  const ncpu = r.uvar();
  if (ncpu > r.remaining) throw new TraceError('corrupt', `chunk meta claims ${ncpu} CPUs`);
  const curr = new Int32Array(ncpu);
  for (let i = 0; i < ncpu; i++) curr[i] = r.svar();
  // A deflate stream expands at most ~1032x; a larger claim is corruption, not data.
  if (kfRawLen > kfLen * 1100 + 64 || evRawLen > evLen * 1100 + 64) throw new TraceError('corrupt', 'chunk claims an impossible decompressed size');
  if (!(tBase <= tFirst || count === 0) || !(tFirst <= tLast) || count > evRawLen) throw new TraceError('corrupt', `chunk meta is inconsistent (t ${tBase}/${tFirst}/${tLast}, ${count} events)`);
  const kf = r.bytes(kfLen);
  const ev = r.bytes(evLen);
  if (r.remaining !== 0) throw new TraceError('corrupt', `chunk has ${r.remaining} unexplained bytes`);
  return {
    meta: { tBase, tFirst, tLast, count, curr },
    keyframe: () => {
      const raw = inflateExact(kf, kfRawLen, 'keyframe');
      let s: SimSnapshot;
      try {
        s = JSON.parse(new TextDecoder().decode(raw)) as SimSnapshot;
      } catch {
        throw new TraceError('corrupt', 'keyframe is not valid JSON');
      }
      if (!s || typeof s.t !== 'number' || !Array.isArray(s.cpus) || !Array.isArray(s.dsqs) || !Array.isArray(s.tasks) || !Array.isArray(s.heap) || !Array.isArray(s.roots) || !Array.isArray(s.slots)) {
        throw new TraceError('corrupt', 'keyframe is not a snapshot');
      }
      return s;
    },
    events: () => inflateExact(ev, evRawLen, 'event block'),
  };
}

export function encodeFooter(chunks: readonly ChunkIndexEntry[]): Uint8Array {
  const w = new ByteWriter(64 + chunks.length * 40);
  w.uvar(chunks.length);
  for (const c of chunks) {
    w.uvar(c.offset);
    w.uvar(c.length);
    w.f64(c.tBase);
    w.f64(c.tFirst);
    w.f64(c.tLast);
    w.uvar(c.count);
    w.uvar(c.curr.length);
    for (const p of c.curr) w.svar(p);
  }
  return w.finish();
}

export function decodeFooter(p: Uint8Array): ChunkIndexEntry[] {
  const r = new ByteReader(p, 0, p.length, 'footer');
  const n = r.uvar();
  if (n > p.length) throw new TraceError('corrupt', `footer claims ${n} chunks`);
  const out: ChunkIndexEntry[] = [];
  let firstEvent = 0;
  for (let i = 0; i < n; i++) {
    const offset = r.uvar();
    const length = r.uvar();
    const tBase = r.f64();
    const tFirst = r.f64();
    const tLast = r.f64();
    const count = r.uvar();
    const ncpu = r.uvar();
    if (ncpu > r.remaining) throw new TraceError('corrupt', `footer entry ${i} claims ${ncpu} CPUs`);
    const curr = new Int32Array(ncpu);
    for (let j = 0; j < ncpu; j++) curr[j] = r.svar();
    out.push({ offset, length, tBase, tFirst, tLast, count, curr, firstEvent });
    firstEvent += count;
  }
  return out;
}
