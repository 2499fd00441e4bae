// Reads a chunk's event block (see event_encoder.ts) into columns: one pass
// fills kind, time, cpu, pid and per-event offsets into the integer, string
// and blob streams; SimEvent objects are built only on request (event(i)), so
// timeline queries scan typed arrays without allocating per event.

import type { SimEvent } from '../../model/events';
import { ByteReader } from './bytes';
import { TraceError } from './errors';
import { EventCursor } from './event_cursor';
import { BASE_KIND_COUNT, CODEC_BY_CODE, type SkipState } from './event_codec';

export class ChunkEvents {
  constructor(
    readonly count: number,
    readonly kind: Uint8Array,
    readonly t: Float64Array,
    /** -1 for kinds without a cpu. */
    readonly cpu: Int32Array,
    /** Task pid (switch: prevPid); 0 for kinds without one. */
    readonly pid: Int32Array,
    readonly intOff: Uint32Array,
    readonly strOff: Uint32Array,
    readonly blobOff: Uint32Array,
    readonly ints: Float64Array,
    readonly strIdx: Float64Array,
    readonly strings: string[],
    readonly blobs: Uint8Array,
  ) {}

  /** switch: the incoming pid, without building the event. */
  nextPid(i: number): number {
    return this.ints[this.intOff[i]!]!;
  }

  /** dsq_insert/dsq_remove: the DSQ id, without building the event. */
  dsq(i: number): string {
    return this.strings[this.strIdx[this.strOff[i]!]!]!;
  }

  /** Binary search: the first index with t >= time. */
  lowerBound(time: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.t[mid]! < time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Binary search: the first index with t > time. */
  upperBound(time: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.t[mid]! <= time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  event(i: number): SimEvent {
    return new EventCursor(this, i).read();
  }
}

export function decodeChunkEvents(block: Uint8Array, baseT: number): ChunkEvents {
  const r = new ByteReader(block, 0, block.length, 'event block');
  const count = r.uvar();
  const nStrings = r.uvar();
  if (count > block.length || nStrings > block.length) throw new TraceError('corrupt', `event block claims ${count} events and ${nStrings} strings in ${block.length} bytes`);
  const strings = new Array<string>(nStrings);
  for (let i = 0; i < nStrings; i++) strings[i] = r.str();
  const cols: Uint8Array[] = [];
  for (let c = 0; c < 7; c++) cols.push(r.bytes(r.uvar()));
  const [kinds, dts, cpus, pids, intBytes, strBytes, blobs] = cols as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  // Format 1.1 adds an eighth column: per event of a kind newer than 1.0, its cpu/pid flags and stream usage.
  const ext = r.pos < block.length ? readVarints(r.bytes(r.uvar()), false, 'ext column') : new Float64Array(0);
  if (kinds.length !== count) throw new TraceError('corrupt', `event block has ${kinds.length} kinds for ${count} events`);

  const ints = readVarints(intBytes, true, 'int column');
  const strIdx = readVarints(strBytes, false, 'string column');
  for (let i = 0; i < strIdx.length; i++) if (strIdx[i]! >= nStrings) throw new TraceError('corrupt', `string index ${strIdx[i]} beyond table of ${nStrings}`);
  // Whole columns first, in tight loops; then one pass hands them out by kind.
  const dtv = readVarints(dts, true, 'time column');
  const cpuv = readVarints(cpus, false, 'cpu column');
  const pidv = readVarints(pids, true, 'pid column');
  if (dtv.length !== count) throw new TraceError('corrupt', `time column has ${dtv.length} entries for ${count} events`);

  const t = new Float64Array(count);
  const cpu = new Int32Array(count);
  const pid = new Int32Array(count);
  const intOff = new Uint32Array(count);
  const strOff = new Uint32Array(count);
  const blobOff = new Uint32Array(count);
  // Events of kinds this version does not know are skipped: `n` counts the kept ones.
  let kept: Uint8Array = kinds;
  let n = 0;
  let time = baseT;
  const s: SkipState = { ints, io: 0, so: 0, bo: 0 };
  let ci = 0;
  let pi = 0;
  let ei = 0;
  for (let i = 0; i < count; i++) {
    const k = kinds[i]!;
    time += dtv[i]!;
    const codec = CODEC_BY_CODE[k];
    let hasCpu: boolean;
    let hasPid: boolean;
    let extUse: [number, number, number] | undefined;
    if (k >= BASE_KIND_COUNT) {
      if (ei + 4 > ext.length) throw new TraceError('corrupt', `event ${i} (kind code ${k}) has no entry in the ext column`);
      const f = ext[ei]!;
      hasCpu = (f & 1) !== 0;
      hasPid = (f & 2) !== 0;
      extUse = [ext[ei + 1]!, ext[ei + 2]!, ext[ei + 3]!];
      ei += 4;
    } else if (codec) {
      hasCpu = codec.info.cpu;
      hasPid = codec.info.pid !== undefined;
    } else {
      throw new TraceError('corrupt', `unknown event kind code ${k} at event ${i}`);
    }
    const evCpu = hasCpu ? (ci < cpuv.length ? cpuv[ci++]! : corruptEnd('cpu', i)) : -1;
    const evPid = hasPid ? (pi < pidv.length ? pidv[pi++]! : corruptEnd('pid', i)) : 0;
    const io = s.io;
    const so = s.so;
    const bo = s.bo;
    if (codec) {
      const fixed = codec.fixed;
      if (fixed) {
        s.io += fixed.ints;
        s.so += fixed.strs;
      } else {
        codec.skip(s);
      }
    } else {
      s.io += extUse![0];
      s.so += extUse![1];
      s.bo += extUse![2];
    }
    const name = codec?.kind ?? `code ${k}`;
    if (s.io < io || s.so < so || s.bo < bo) throw new TraceError('corrupt', `event ${i} (${name}) has a negative argument count`);
    if (s.io > ints.length || s.so > strIdx.length || s.bo > blobs.length) throw new TraceError('corrupt', `event ${i} (${name}) reads past its argument columns`);
    if (!codec) {
      if (kept === kinds) kept = kinds.slice(0, n);
      continue;
    }
    if (kept !== kinds) kept = appendByte(kept, n, k);
    t[n] = time;
    cpu[n] = evCpu;
    pid[n] = evPid;
    intOff[n] = io;
    strOff[n] = so;
    blobOff[n] = bo;
    n++;
  }
  if (n === count) return new ChunkEvents(count, kinds, t, cpu, pid, intOff, strOff, blobOff, ints, strIdx, strings, blobs);
  return new ChunkEvents(n, kept.subarray(0, n), t.subarray(0, n), cpu.subarray(0, n), pid.subarray(0, n), intOff.subarray(0, n), strOff.subarray(0, n), blobOff.subarray(0, n), ints, strIdx, strings, blobs);
}

function corruptEnd(column: string, i: number): never {
  throw new TraceError('corrupt', `${column} column ends at event ${i}`);
}

/** `bytes` with `b` at index `n`, grown when full (only for chunks that hold unknown kinds). */
function appendByte(bytes: Uint8Array, n: number, b: number): Uint8Array {
  let out = bytes;
  if (n >= out.length) {
    out = new Uint8Array(Math.max(16, out.length * 2));
    out.set(bytes);
  }
  out[n] = b;
  return out;
}

/** Every LEB128 varint in a column (zigzag-decoded when signed), in one tight loop. */
function readVarints(bytes: Uint8Array, signed: boolean, what: string): Float64Array {
  const out = new Float64Array(bytes.length);
  const n = bytes.length;
  let pos = 0;
  let k = 0;
  while (pos < n) {
    let b = bytes[pos++]!;
    // most values are one byte: integer zigzag, no float arithmetic
    if (b < 0x80) {
      out[k++] = signed ? (b >>> 1) ^ -(b & 1) : b;
      continue;
    }
    let v = b & 0x7f;
    {
      let mul = 0x80;
      let len = 1;
      do {
        if (pos >= n) throw new TraceError('corrupt', `${what} ends inside a varint`);
        if (++len > 10) throw new TraceError('corrupt', `${what}: varint longer than 10 bytes at ${pos}`);
        b = bytes[pos++]!;
        v += (b & 0x7f) * mul;
        mul *= 0x80;
      } while (b >= 0x80);
    }
    if (!signed) out[k++] = v;
    else if (v <= 0x7fffffff) out[k++] = (v >>> 1) ^ -(v & 1);
    else out[k++] = v % 2 === 1 ? -(v + 1) / 2 : v / 2;
  }
  return out.subarray(0, k);
}
