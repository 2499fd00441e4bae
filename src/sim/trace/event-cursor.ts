// Builds one SimEvent from a decoded chunk's columns, reading its arguments in
// the order EventEncoder.payload wrote them.

import type { Diagnostic, ExitInfo, OwnerRef, SimEvent, SourceSite } from '../../model/events';
import type { ChunkEvents } from './event-decoder';
import { TraceError } from './errors';
import { KIND_CODES, OWNER_KINDS, REMOVE_REASONS, TASK_STATES } from './kinds';

export class EventCursor {
  private io: number;
  private so: number;

  constructor(
    private readonly c: ChunkEvents,
    private readonly i: number,
  ) {
    this.io = c.intOff[i]!;
    this.so = c.strOff[i]!;
  }

  private int(): number {
    return this.c.ints[this.io++]!;
  }

  private str(): string {
    return this.c.strings[this.c.strIdx[this.so++]!]!;
  }

  private pick<T>(table: readonly T[], what: string): T {
    const code = this.int();
    const v = table[code];
    if (v === undefined) throw new TraceError('corrupt', `unknown ${what} code ${code} in event ${this.i}`);
    return v;
  }

  private site(): SourceSite {
    const program = this.str();
    const insn = this.int();
    const flags = this.int();
    const site: SourceSite = { program, insn };
    if (flags & 1) site.file = this.str();
    if (flags & 2) site.line = this.int();
    return site;
  }

  private owner(): OwnerRef {
    const kind = this.pick(OWNER_KINDS, 'owner kind');
    switch (kind) {
      case 'program': {
        const program = this.str();
        return { kind, program, cpu: this.int() };
      }
      case 'rb_root':
      case 'list_head':
        return { kind, root: this.str() };
      case 'kptr':
        return { kind, slot: this.str() };
      case 'refcount':
        return { kind, count: this.int() };
      case 'freed':
        return { kind };
    }
  }

  private json<T>(what: string): T {
    const s = this.str();
    try {
      return JSON.parse(s) as T;
    } catch {
      throw new TraceError('corrupt', `event ${this.i}: ${what} is not valid JSON`);
    }
  }

  read(): SimEvent {
    const c = this.c;
    const i = this.i;
    const t = c.t[i]!;
    const cpu = c.cpu[i]!;
    const pid = c.pid[i]!;
    const kind = KIND_CODES[c.kind[i]!];
    switch (kind) {
      case 'task_new': {
        const comm = this.str();
        const weight = this.int();
        const ev: SimEvent = { t, kind, pid, comm, weight };
        if (this.int()) ev.cgroup = this.str();
        return ev;
      }
      case 'task_exit':
        return { t, kind, pid };
      case 'task_state':
        return { t, kind, pid, state: this.pick(TASK_STATES, 'task state'), cpu };
      case 'switch':
        return { t, kind, cpu, prevPid: pid, nextPid: this.int() };
      case 'op': {
        const op = this.str();
        const insns = this.int();
        const n = this.int();
        const args: string[] = [];
        for (let j = 0; j < n; j++) args.push(this.str());
        const ev: SimEvent = { t, kind, cpu, op, pid, args, insns };
        if (this.int()) ev.ret = this.str();
        return ev;
      }
      case 'dsq_create': {
        const dsq = this.str();
        const name = this.str();
        return { t, kind, dsq, name, vtime: this.int() !== 0 };
      }
      case 'dsq_insert': {
        const dsq = this.str();
        const slice = this.int();
        const flags = this.int();
        const ev: SimEvent = { t, kind, cpu, dsq, pid, slice, head: (flags & 1) !== 0 };
        if (flags & 2) ev.vtime = this.int();
        return ev;
      }
      case 'dsq_remove': {
        const dsq = this.str();
        return { t, kind, cpu, dsq, pid, reason: this.pick(REMOVE_REASONS, 'remove reason') };
      }
      case 'kick': {
        const target = this.int();
        const n = this.int();
        const flags: string[] = [];
        for (let j = 0; j < n; j++) flags.push(this.str());
        return { t, kind, cpu, target, flags };
      }
      case 'idle':
        return { t, kind, cpu, idle: this.int() !== 0 };
      case 'obj_new': {
        const obj = this.int();
        const type = this.str();
        const size = this.int();
        return { t, kind, obj, type, size, site: this.site() };
      }
      case 'obj_owner': {
        const obj = this.int();
        const from = this.owner();
        const to = this.owner();
        const flags = this.int();
        const ev: SimEvent = { t, kind, obj, from, to };
        if (flags & 1) ev.site = this.site();
        if (flags & 2) ev.at = this.int();
        return ev;
      }
      case 'obj_free': {
        const obj = this.int();
        const ev: SimEvent = { t, kind, obj };
        if (this.int()) ev.site = this.site();
        return ev;
      }
      case 'ringbuf': {
        const map = this.str();
        const n = this.int();
        const off = c.blobOff[i]!;
        return { t, kind, map, bytes: c.blobs.slice(off, off + n) };
      }
      case 'printk': {
        const program = this.str();
        return { t, kind, cpu, program, text: this.str() };
      }
      case 'diagnostic':
        return { t, kind, diag: this.json<Diagnostic>('diagnostic') };
      case 'exit':
        return { t, kind, exit: this.json<ExitInfo>('exit info') };
      case undefined:
        break;
    }
    throw new TraceError('corrupt', `unknown event kind code ${c.kind[i]} in event ${i}`);
  }
}
