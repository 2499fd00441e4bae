// Writes events into the columns of one chunk: kind (u8), time delta, cpu,
// pid, and per-kind arguments split into an integer stream, a string-index
// stream (into a per-chunk string table) and a blob stream. Columns of like
// values compress far better than interleaved records. Each kind's arguments
// are written by its codec (event_codec.ts, from src/model/event_kinds.ts);
// docs/trace-format.md describes the layout.

import type { SimEvent } from '../../model/events';
import { ByteWriter } from './bytes';
import { TraceError } from './errors';
import { BASE_KIND_COUNT, CODECS, type ArgWriter } from './event_codec';

export class EventEncoder implements ArgWriter {
  readonly kinds = new ByteWriter(1 << 14);
  readonly dts = new ByteWriter(1 << 14);
  readonly cpus = new ByteWriter(1 << 14);
  readonly pids = new ByteWriter(1 << 14);
  readonly ints = new ByteWriter(1 << 14);
  readonly strs = new ByteWriter(1 << 12);
  readonly blobs = new ByteWriter(256);
  /** Per event of a kind newer than format 1.0: which of cpu/pid it has and how much of each stream it uses, so older readers can skip it. */
  readonly ext = new ByteWriter(64);
  private nInts = 0;
  private nStrs = 0;
  private event: SimEvent | undefined;
  private strings = new Map<string, number>();
  count = 0;
  firstT = 0;
  lastT = 0;
  private prevT: number;

  constructor(baseT: number) {
    this.prevT = baseT;
  }

  /**
   * Empties the columns for the next chunk, keeping their buffers: the
   * recorder reuses one encoder, so a chunk neither allocates nor regrows
   * (fresh 16 KiB columns per chunk, zeroed and doubled as they filled, were
   * a fifth of what storing an event cost).
   */
  reset(baseT: number): void {
    for (const col of [this.kinds, this.dts, this.cpus, this.pids, this.ints, this.strs, this.blobs, this.ext]) col.reset();
    this.strings.clear();
    this.nInts = 0;
    this.nStrs = 0;
    this.event = undefined;
    this.count = 0;
    this.firstT = 0;
    this.lastT = 0;
    this.prevT = baseT;
  }

  add(ev: SimEvent): void {
    const t = ev.t;
    if (!Number.isSafeInteger(t) || t < 0) throw new TraceError('bad_event', `event time must be a non-negative integer of ns, got ${t} (${ev.kind})`);
    const codec = CODECS[ev.kind];
    if (codec === undefined) throw new TraceError('bad_event', `unknown event kind ${String(ev.kind)}`);
    const { code, cpu, pid } = codec.info;
    // Stream lengths before the event, to roll back to (locals, not an array: this runs per event).
    const kindsLen = this.kinds.length, dtsLen = this.dts.length, cpusLen = this.cpus.length, pidsLen = this.pids.length;
    const intsLen = this.ints.length, strsLen = this.strs.length, blobsLen = this.blobs.length, extLen = this.ext.length;
    const nInts0 = this.nInts, nStrs0 = this.nStrs;
    this.event = ev;
    try {
      this.kinds.u8(code);
      this.dts.svar(t - this.prevT);
      if (cpu) this.cpus.uvar(nonNeg((ev as { cpu: number }).cpu, 'cpu', ev));
      if (pid) this.pids.svar(int((ev as unknown as Record<string, number>)[pid]!, pid, ev));
      codec.write(this, ev);
      if (code >= BASE_KIND_COUNT) {
        this.ext.uvar((cpu ? 1 : 0) | (pid ? 2 : 0));
        this.ext.uvar(this.nInts - nInts0);
        this.ext.uvar(this.nStrs - nStrs0);
        this.ext.uvar(this.blobs.length - blobsLen);
      }
    } catch (e) {
      // Roll the columns back so one bad event does not corrupt the chunk.
      this.kinds.length = kindsLen;
      this.dts.length = dtsLen;
      this.cpus.length = cpusLen;
      this.pids.length = pidsLen;
      this.ints.length = intsLen;
      this.strs.length = strsLen;
      this.blobs.length = blobsLen;
      this.ext.length = extLen;
      this.nInts = nInts0;
      this.nStrs = nStrs0;
      if (e instanceof TraceError) throw e;
      throw new TraceError('bad_event', `cannot store ${ev.kind} event at t=${t}: ${(e as Error).message}`);
    }
    if (this.count === 0) this.firstT = t;
    this.count++;
    this.prevT = t;
    this.lastT = t;
  }

  int(v: unknown, what: string): void {
    this.ints.svar(int(v as number, what, this.event!));
    this.nInts++;
  }

  raw(v: number): void {
    this.ints.svar(v);
    this.nInts++;
  }

  str(v: unknown, what: string): void {
    if (typeof v !== 'string') throw new TypeError(`${what}: expected a string, got ${typeof v}`);
    let idx = this.strings.get(v);
    if (idx === undefined) {
      idx = this.strings.size;
      this.strings.set(v, idx);
    }
    this.strs.uvar(idx);
    this.nStrs++;
  }

  blob(bytes: Uint8Array): void {
    this.blobs.bytes(bytes);
  }

  /** The chunk's event block, uncompressed: count, string table, columns. */
  finish(): Uint8Array {
    const out = new ByteWriter(
      64 + this.kinds.length + this.dts.length + this.cpus.length + this.pids.length + this.ints.length + this.strs.length + this.blobs.length + this.ext.length,
    );
    out.uvar(this.count);
    out.uvar(this.strings.size);
    for (const s of this.strings.keys()) out.str(s);
    for (const col of [this.kinds, this.dts, this.cpus, this.pids, this.ints, this.strs, this.blobs, this.ext]) {
      out.uvar(col.length);
      out.bytes(col.finish());
    }
    return out.finish();
  }
}

function int(v: number, what: string, ev: SimEvent): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new TraceError('bad_event', `${ev.kind} at t=${ev.t}: ${what} must be an integer, got ${String(v)}`);
  return v;
}

function nonNeg(v: number, what: string, ev: SimEvent): number {
  if (int(v, what, ev) < 0) throw new TraceError('bad_event', `${ev.kind} at t=${ev.t}: ${what} must be >= 0, got ${v}`);
  return v;
}
