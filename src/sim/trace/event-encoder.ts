// Writes events into the columns of one chunk: kind (u8), time delta, cpu,
// pid, and per-kind arguments split into an integer stream, a string-index
// stream (into a per-chunk string table) and a blob stream. Columns of like
// values compress far better than interleaved records. The layout per kind is
// documented in docs/trace-format.md and mirrored by event-decoder.ts.

import type { OwnerRef, SimEvent, SourceSite } from '../../model/events';
import { ByteWriter } from './bytes';
import { TraceError } from './errors';
import { codeOf, HAS_CPU, HAS_PID, K, OWNER_KINDS, REMOVE_REASONS, TASK_STATES } from './kinds';

export class EventEncoder {
  readonly kinds = new ByteWriter(1 << 14);
  readonly dts = new ByteWriter(1 << 14);
  readonly cpus = new ByteWriter(1 << 14);
  readonly pids = new ByteWriter(1 << 14);
  readonly ints = new ByteWriter(1 << 14);
  readonly strs = new ByteWriter(1 << 12);
  readonly blobs = new ByteWriter(256);
  private strings = new Map<string, number>();
  count = 0;
  firstT = 0;
  lastT = 0;
  private prevT: number;

  constructor(readonly baseT: number) {
    this.prevT = baseT;
  }

  add(ev: SimEvent): void {
    const t = ev.t;
    if (!Number.isSafeInteger(t) || t < 0) throw new TraceError('bad_event', `event time must be a non-negative integer of ns, got ${t} (${ev.kind})`);
    const code = K[ev.kind];
    if (code === undefined) throw new TraceError('bad_event', `unknown event kind ${String(ev.kind)}`);
    const kindsLen = this.kinds.length;
    const marks = [this.dts.length, this.cpus.length, this.pids.length, this.ints.length, this.strs.length, this.blobs.length];
    try {
      this.kinds.u8(code);
      this.dts.svar(t - this.prevT);
      if (HAS_CPU[code]) this.cpus.uvar(nonNeg((ev as { cpu: number }).cpu, 'cpu', ev));
      if (HAS_PID[code]) this.pids.svar(int(ev.kind === 'switch' ? ev.prevPid : (ev as { pid: number }).pid, 'pid', ev));
      this.payload(ev);
    } catch (e) {
      // Roll the columns back so one bad event does not corrupt the chunk.
      this.kinds.length = kindsLen;
      [this.dts.length, this.cpus.length, this.pids.length, this.ints.length, this.strs.length, this.blobs.length] = marks as [number, number, number, number, number, number];
      if (e instanceof TraceError) throw e;
      throw new TraceError('bad_event', `cannot store ${ev.kind} event at t=${t}: ${(e as Error).message}`);
    }
    if (this.count === 0) this.firstT = t;
    this.count++;
    this.prevT = t;
    this.lastT = t;
  }

  private i(v: number, what: string, ev: SimEvent): void {
    this.ints.svar(int(v, what, ev));
  }

  private s(v: string): void {
    if (typeof v !== 'string') throw new TypeError(`expected a string, got ${typeof v}`);
    let idx = this.strings.get(v);
    if (idx === undefined) {
      idx = this.strings.size;
      this.strings.set(v, idx);
    }
    this.strs.uvar(idx);
  }

  private site(site: SourceSite, ev: SimEvent): void {
    this.s(site.program);
    this.i(site.insn, 'site.insn', ev);
    const flags = (site.file !== undefined ? 1 : 0) | (site.line !== undefined ? 2 : 0);
    this.ints.svar(flags);
    if (site.file !== undefined) this.s(site.file);
    if (site.line !== undefined) this.i(site.line, 'site.line', ev);
  }

  private owner(o: OwnerRef, ev: SimEvent): void {
    this.ints.svar(codeOf(OWNER_KINDS, o.kind, 'owner kind'));
    switch (o.kind) {
      case 'program':
        this.s(o.program);
        this.i(o.cpu, 'owner.cpu', ev);
        break;
      case 'rb_root':
      case 'list_head':
        this.s(o.root);
        break;
      case 'kptr':
        this.s(o.slot);
        break;
      case 'refcount':
        this.i(o.count, 'owner.count', ev);
        break;
      case 'freed':
        break;
    }
  }

  private payload(ev: SimEvent): void {
    switch (ev.kind) {
      case 'task_new':
        this.s(ev.comm);
        this.i(ev.weight, 'weight', ev);
        this.ints.svar(ev.cgroup !== undefined ? 1 : 0);
        if (ev.cgroup !== undefined) this.s(ev.cgroup);
        break;
      case 'task_exit':
        break;
      case 'task_state':
        this.ints.svar(codeOf(TASK_STATES, ev.state, 'task state'));
        break;
      case 'switch':
        this.i(ev.nextPid, 'nextPid', ev);
        break;
      case 'op':
        this.s(ev.op);
        this.i(ev.insns, 'insns', ev);
        this.ints.svar(ev.args.length);
        for (const a of ev.args) this.s(a);
        this.ints.svar(ev.ret !== undefined ? 1 : 0);
        if (ev.ret !== undefined) this.s(ev.ret);
        break;
      case 'dsq_create':
        this.s(ev.dsq);
        this.s(ev.name);
        this.ints.svar(ev.vtime ? 1 : 0);
        break;
      case 'dsq_insert':
        this.s(ev.dsq);
        this.i(ev.slice, 'slice', ev);
        this.ints.svar((ev.head ? 1 : 0) | (ev.vtime !== undefined ? 2 : 0));
        if (ev.vtime !== undefined) this.i(ev.vtime, 'vtime', ev);
        break;
      case 'dsq_remove':
        this.s(ev.dsq);
        this.ints.svar(codeOf(REMOVE_REASONS, ev.reason, 'remove reason'));
        break;
      case 'kick':
        this.i(ev.target, 'target', ev);
        this.ints.svar(ev.flags.length);
        for (const f of ev.flags) this.s(f);
        break;
      case 'idle':
        this.ints.svar(ev.idle ? 1 : 0);
        break;
      case 'obj_new':
        this.i(ev.obj, 'obj', ev);
        this.s(ev.type);
        this.i(ev.size, 'size', ev);
        this.site(ev.site, ev);
        break;
      case 'obj_owner':
        this.i(ev.obj, 'obj', ev);
        this.owner(ev.from, ev);
        this.owner(ev.to, ev);
        this.ints.svar((ev.site !== undefined ? 1 : 0) | (ev.at !== undefined ? 2 : 0));
        if (ev.site !== undefined) this.site(ev.site, ev);
        if (ev.at !== undefined) this.i(ev.at, 'at', ev);
        break;
      case 'obj_free':
        this.i(ev.obj, 'obj', ev);
        this.ints.svar(ev.site !== undefined ? 1 : 0);
        if (ev.site !== undefined) this.site(ev.site, ev);
        break;
      case 'ringbuf':
        this.s(ev.map);
        this.ints.svar(ev.bytes.length);
        this.blobs.bytes(ev.bytes);
        break;
      case 'printk':
        this.s(ev.program);
        this.s(ev.text);
        break;
      case 'diagnostic':
        this.s(JSON.stringify(ev.diag));
        break;
      case 'exit':
        this.s(JSON.stringify(ev.exit));
        break;
    }
  }

  /** The chunk's event block, uncompressed: count, string table, columns. */
  finish(): Uint8Array {
    const out = new ByteWriter(
      64 + this.kinds.length + this.dts.length + this.cpus.length + this.pids.length + this.ints.length + this.strs.length + this.blobs.length,
    );
    out.uvar(this.count);
    out.uvar(this.strings.size);
    for (const s of this.strings.keys()) out.str(s);
    for (const col of [this.kinds, this.dts, this.cpus, this.pids, this.ints, this.strs, this.blobs]) {
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
