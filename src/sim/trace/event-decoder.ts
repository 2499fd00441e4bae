// Reads a chunk's event block (see event-encoder.ts) into columns: one pass
// fills kind, time, cpu, pid and per-event offsets into the integer, string
// and blob streams; SimEvent objects are built only on request (event(i)), so
// timeline queries scan typed arrays without allocating per event.

import type { SimEvent } from '../../model/events';
import { ByteReader } from './bytes';
import { TraceError } from './errors';
import { EventCursor } from './event-cursor';
import { HAS_CPU, HAS_PID, K, KIND_CODES } from './kinds';

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
  let time = baseT;
  let io = 0;
  let so = 0;
  let bo = 0;
  let ci = 0;
  let pi = 0;
  for (let i = 0; i < count; i++) {
    const k = kinds[i]!;
    if (k >= KIND_CODES.length) throw new TraceError('corrupt', `unknown event kind code ${k} at event ${i}`);
    time += dtv[i]!;
    t[i] = time;
    if (HAS_CPU[k]) {
      if (ci >= cpuv.length) throw new TraceError('corrupt', `cpu column ends at event ${i}`);
      cpu[i] = cpuv[ci++]!;
    } else cpu[i] = -1;
    if (HAS_PID[k]) {
      if (pi >= pidv.length) throw new TraceError('corrupt', `pid column ends at event ${i}`);
      pid[i] = pidv[pi++]!;
    }
    intOff[i] = io;
    strOff[i] = so;
    blobOff[i] = bo;
    const fi = FIXED_INTS[k]!;
    if (fi !== VARIABLE) {
      io += fi;
      so += FIXED_STRS[k]!;
      if (io > ints.length || so > strIdx.length) throw new TraceError('corrupt', `event ${i} (${KIND_CODES[k]}) reads past its argument columns`);
      continue;
    }
    const used = consumed(k, ints, io);
    if (used.ints < 0 || used.strs < 0 || used.blob < 0) throw new TraceError('corrupt', `event ${i} (${KIND_CODES[k]}) has a negative argument count`);
    io += used.ints;
    so += used.strs;
    bo += used.blob;
    if (io > ints.length || so > strIdx.length || bo > blobs.length) throw new TraceError('corrupt', `event ${i} (${KIND_CODES[k]}) reads past its argument columns`);
  }
  return new ChunkEvents(count, kinds, t, cpu, pid, intOff, strOff, blobOff, ints, strIdx, strings, blobs);
}

/** Every LEB128 varint in a column (zigzag-decoded when signed), in one tight loop. */
function readVarints(bytes: Uint8Array, signed: boolean, what: string): Float64Array {
  const out = new Float64Array(bytes.length);
  const n = bytes.length;
  let pos = 0;
  let k = 0;
  while (pos < n) {
    let b = bytes[pos++]!;
    let v = b & 0x7f;
    if (b >= 0x80) {
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
    out[k++] = signed ? (v % 2 === 1 ? -(v + 1) / 2 : v / 2) : v;
  }
  return out.subarray(0, k);
}

const USED = { ints: 0, strs: 0, blob: 0 };

// Kinds whose argument counts never vary, looked up without a switch.
const VARIABLE = 255;
const FIXED_INTS = new Uint8Array(KIND_CODES.length).fill(VARIABLE);
const FIXED_STRS = new Uint8Array(KIND_CODES.length);
for (const [k, ni, ns] of [
  [K.task_exit, 0, 0],
  [K.task_state, 1, 0],
  [K.switch, 1, 0],
  [K.idle, 1, 0],
  [K.dsq_create, 1, 2],
  [K.dsq_remove, 1, 1],
  [K.printk, 0, 2],
  [K.diagnostic, 0, 1],
  [K.exit, 0, 1],
] as const) {
  FIXED_INTS[k] = ni;
  FIXED_STRS[k] = ns;
}

function at(ints: Float64Array, i: number): number {
  return i < ints.length ? ints[i]! : 0;
}

// A SourceSite at ints[j] (insn, flags, line?) with strs (program, file?).
function siteInts(ints: Float64Array, j: number): number {
  return 2 + (at(ints, j + 1) & 2 ? 1 : 0);
}
function siteStrs(ints: Float64Array, j: number): number {
  return 1 + (at(ints, j + 1) & 1 ? 1 : 0);
}

// An OwnerRef at ints[j]: program (code, cpu; name), rb_root/list_head/kptr
// (code; key), refcount (code, count), freed (code).
function ownerInts(code: number): number {
  return code === 0 || code === 4 ? 2 : 1;
}
function ownerStrs(code: number): number {
  return code === 4 || code === 5 ? 0 : 1;
}

// How many entries of each argument stream an event uses, mirroring
// EventEncoder.payload. Reads counts and presence flags from the int stream.
function consumed(k: number, ints: Float64Array, io: number): typeof USED {
  switch (k) {
    case K.task_new:
      return set(2, 1 + (at(ints, io + 1) ? 1 : 0));
    case K.task_exit:
      return set(0, 0);
    case K.task_state:
    case K.switch:
    case K.idle:
      return set(1, 0);
    case K.op:
      return set(3, 1 + at(ints, io + 1) + (at(ints, io + 2) ? 1 : 0));
    case K.dsq_create:
      return set(1, 2);
    case K.dsq_insert:
      return set(2 + (at(ints, io + 1) & 2 ? 1 : 0), 1);
    case K.dsq_remove:
      return set(1, 1);
    case K.kick:
      return set(2, at(ints, io + 1));
    case K.obj_new:
      return set(2 + siteInts(ints, io + 2), 1 + siteStrs(ints, io + 2));
    case K.obj_owner: {
      const from = at(ints, io + 1);
      const to = at(ints, io + 1 + ownerInts(from));
      const fl = 1 + ownerInts(from) + ownerInts(to);
      const flags = at(ints, io + fl);
      let ni = fl + 1;
      let ns = ownerStrs(from) + ownerStrs(to);
      if (flags & 1) {
        ns += siteStrs(ints, io + ni);
        ni += siteInts(ints, io + ni);
      }
      if (flags & 2) ni += 1;
      return set(ni, ns);
    }
    case K.obj_free:
      return at(ints, io + 1) ? set(2 + siteInts(ints, io + 2), siteStrs(ints, io + 2)) : set(2, 0);
    case K.ringbuf:
      set(1, 1);
      USED.blob = at(ints, io);
      return USED;
    case K.printk:
      return set(0, 2);
    case K.diagnostic:
    case K.exit:
      return set(0, 1);
  }
  throw new TraceError('corrupt', `unknown event kind code ${k}`);
}

function set(ints: number, strs: number): typeof USED {
  USED.ints = ints;
  USED.strs = strs;
  USED.blob = 0;
  return USED;
}
