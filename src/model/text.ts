// The words scxray uses for its own vocabulary, in one place for the UI and
// the command line: DSQ ids as people say them ("GLOBAL", "LOCAL(3)",
// "DSQ 7"), who holds a heap object, an ownership change, and one line of
// text per event. The renderer's tables and tooltips, `scxray replay`, the
// heap listings and the simulator's DSQ labels all read these, so a user DSQ
// is "DSQ 7" everywhere.

import type { OwnerRef, SimEvent } from './events';

// Built-in DSQ ids, like include/linux/sched/ext.h: SCX_DSQ_FLAG_BUILTIN is
// bit 63, SCX_DSQ_FLAG_LOCAL_ON bit 62 (the CPU in the low 32 bits),
// SCX_DSQ_GLOBAL = BUILTIN | 1, SCX_DSQ_LOCAL = BUILTIN | 2.
const DSQ_BUILTIN = 1n << 63n;
const DSQ_LOCAL_ON = 1n << 62n;

/** A DSQ id (hex string "0x8000000000000001", or the u64) as people say it: GLOBAL, LOCAL, LOCAL(3), DSQ 7. */
export function dsqName(id: string | bigint): string {
  let v: bigint;
  try {
    v = BigInt.asUintN(64, BigInt(id));
  } catch {
    return String(id);
  }
  if ((v & DSQ_BUILTIN) === 0n) return `DSQ ${v}`;
  if ((v & DSQ_LOCAL_ON) !== 0n) return `LOCAL(${v & 0xffffffffn})`;
  const low = v & ~DSQ_BUILTIN;
  if (low === 1n) return 'GLOBAL';
  if (low === 2n) return 'LOCAL';
  if (low === 0n) return 'INVALID';
  return typeof id === 'string' ? id : `0x${v.toString(16)}`;
}

/** Who holds a heap object, in words: "rbtree map tree[0].root", "program enqueue on CPU 2", ... */
export function ownerText(o: OwnerRef): string {
  switch (o.kind) {
    case 'program':
      return o.cpu >= 0 ? `program ${o.program} on CPU ${o.cpu}` : `program ${o.program}`;
    case 'rb_root':
      return `rbtree ${o.root}`;
    case 'list_head':
      return `list ${o.root}`;
    case 'kptr':
      return `kptr ${o.slot}`;
    case 'refcount':
      return `shared (${o.count} refs)`;
    case 'freed':
      return 'freed';
  }
}

/** The CPU an event happened on, when it has one (an ownership change: the program's CPU). */
export function eventCpu(e: SimEvent): number | undefined {
  if (e.kind === 'obj_owner') return e.to.kind === 'program' ? e.to.cpu : e.from.kind === 'program' ? e.from.cpu : undefined;
  return 'cpu' in e && typeof e.cpu === 'number' ? e.cpu : undefined;
}

/** Where an object was, for "taken from …". */
function ownerPlace(o: OwnerRef): string {
  switch (o.kind) {
    case 'program':
      return `program ${o.program}`;
    case 'rb_root':
      return `rbtree ${o.root}`;
    case 'list_head':
      return `list ${o.root}`;
    case 'kptr':
      return `kptr slot ${o.slot}`;
    case 'refcount':
      return `shared owners`;
    case 'freed':
      return 'nowhere';
  }
}

/** An ownership change in words a reader cannot misread: "allocated by", "added to rbtree", "stashed in", "dropped". */
export function ownerChangeText(obj: number, from: OwnerRef, to: OwnerRef): string {
  switch (to.kind) {
    case 'program':
      return from.kind === 'freed'
        ? `#${obj} allocated by ${to.program} on CPU ${to.cpu}`
        : `#${obj} taken by ${to.program} on CPU ${to.cpu} from ${ownerPlace(from)}`;
    case 'rb_root':
      return `#${obj} added to rbtree ${to.root}`;
    case 'list_head':
      return `#${obj} added to list ${to.root}`;
    case 'kptr':
      return `#${obj} stashed in ${to.slot}`;
    case 'refcount':
      return `#${obj} now shared (${to.count} refs)`;
    case 'freed':
      return `#${obj} dropped by ${ownerPlace(from)}`;
  }
}

export function eventText(e: SimEvent): string {
  switch (e.kind) {
    case 'task_new':
      return `pid ${e.pid} ${e.comm} weight ${e.weight}${e.cgroup ? ` cgroup ${e.cgroup}` : ''}`;
    case 'task_exit':
      return `pid ${e.pid}`;
    case 'task_state':
      return `pid ${e.pid} → ${e.state}`;
    case 'switch':
      return `${e.prevPid} → ${e.nextPid}`;
    case 'op':
      return `${e.op}(${[e.pid >= 0 ? `pid ${e.pid}` : '', ...e.args].filter(Boolean).join(', ')})${e.ret !== undefined ? ` = ${e.ret}` : ''} · ${e.insns} insns`;
    case 'dsq_create':
      return `${e.name} (${dsqName(e.dsq)})${e.vtime ? ' vtime' : ''}`;
    case 'dsq_insert':
      return `pid ${e.pid} → ${dsqName(e.dsq)}${e.head ? ' at head' : ''}${e.vtime !== undefined ? ` vtime ${e.vtime}` : ''} slice ${e.slice}`;
    case 'dsq_remove':
      return `pid ${e.pid} ← ${dsqName(e.dsq)} (${e.reason})`;
    case 'kick':
      return `CPU ${e.target}${e.flags.length ? ` ${e.flags.join('|')}` : ''}`;
    case 'idle':
      return e.idle ? 'idle' : 'busy';
    case 'obj_new':
      return `#${e.obj} ${e.type} (${e.size} B) in ${e.site.program}`;
    case 'obj_owner':
      return ownerChangeText(e.obj, e.from, e.to);
    case 'obj_free':
      return `#${e.obj}`;
    case 'ringbuf':
      return `${e.map}: ${e.bytes.length} bytes`;
    case 'printk':
      return `${e.program}: ${e.text}`;
    case 'diagnostic':
      return `${e.diag.kind}: ${e.diag.message}`;
    case 'exit':
      return `${e.exit.kind}: ${e.exit.reason} ${e.exit.message}`.trim();
  }
}
