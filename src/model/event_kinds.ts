// Every event kind, described once: its on-disk code, whether it carries a
// cpu and a task, its argument columns in a trace file, and where the UI
// lists it. `Record<SimEventKind, …>` makes the compiler refuse a kind that is
// missing here; the trace encoder, decoder and cursor (src/sim/trace) and the
// renderer's filters all read this table, so a new kind is one entry (plus
// its type in events.ts, the code that emits it, and docs/trace-format.md).
//
// The column descriptors are plain data; src/sim/trace/event_codec.ts
// compiles them into encoders and decoders. The layout they describe is the
// file format: never change an existing kind's columns, append new kinds with
// the next code (readers skip kinds they do not know, see trace-format.md).

import type { OwnerRef, SimEvent, SimEventKind, TaskState } from './events';

/** One argument of an event, in the order it is written. */
export type Column =
  | { type: 'int'; name: string } // svar in the int stream
  | { type: 'bool'; name: string } // 0/1 in the int stream
  | { type: 'str'; name: string } // index into the chunk's string table
  | { type: 'json'; name: string } // a string holding JSON.stringify(value)
  | { type: 'enum'; name: string; values: readonly string[] } // code in the int stream
  | { type: 'strs'; name: string } // count in the int stream, then that many strings
  | { type: 'blob'; name: string } // byte count in the int stream, bytes in the blob stream
  | { type: 'struct'; name: string; columns: readonly Column[] } // a nested object
  | { type: 'union'; name: string; tag: string; variants: readonly (readonly [string, readonly Column[]])[] } // code of the variant, then its columns
  /**
   * One int of flags, bit i for member i: a bool member is the bit itself; an
   * optional member's bit says it is present, and present members' values
   * follow the flags in member order.
   */
  | { type: 'flags'; members: readonly ({ type: 'bool'; name: string } | { type: 'optional'; column: Column })[] };

export const int = (name: string): Column => ({ type: 'int', name });
export const bool = (name: string): Column => ({ type: 'bool', name });
export const str = (name: string): Column => ({ type: 'str', name });
export const json = (name: string): Column => ({ type: 'json', name });
export const oneOf = (name: string, values: readonly string[]): Column => ({ type: 'enum', name, values });
export const strs = (name: string): Column => ({ type: 'strs', name });
export const blob = (name: string): Column => ({ type: 'blob', name });
export const struct = (name: string, columns: readonly Column[]): Column => ({ type: 'struct', name, columns });
export const optional = (column: Column) => ({ type: 'optional' as const, column });
export const flagBit = (name: string) => ({ type: 'bool' as const, name });
export const flags = (...members: ({ type: 'bool'; name: string } | { type: 'optional'; column: Column })[]): Column => ({ type: 'flags', members });

export const TASK_STATES: readonly TaskState[] = ['new', 'runnable', 'running', 'sleeping', 'exited'];
export const REMOVE_REASONS = ['consume', 'move', 'dequeue', 'run'] as const;
export const OWNER_KINDS: readonly OwnerRef['kind'][] = ['program', 'rb_root', 'list_head', 'kptr', 'refcount', 'freed'];

/** A program and instruction, with the source file and line when BTF line_info has them. */
const site = (name: string): Column => struct(name, [str('program'), int('insn'), flags(optional(str('file')), optional(int('line')))]);

/** Who holds a heap object: the owner kind's code, then that kind's fields. */
const owner = (name: string): Column => ({
  type: 'union',
  name,
  tag: 'kind',
  variants: [
    ['program', [str('program'), int('cpu')]],
    ['rb_root', [str('root')]],
    ['list_head', [str('root')]],
    ['kptr', [str('slot')]],
    ['refcount', [int('count')]],
    ['freed', []],
  ],
});

/** Where the UI groups a kind in its filters. */
export type KindGroup = 'scheduling' | 'dsq' | 'task' | 'heap' | 'output';

export interface EventKindInfo {
  /** The kind's byte in a trace file: append-only, never renumbered. */
  code: number;
  /** The event has a `cpu` (stored in the cpu column). */
  cpu: boolean;
  /** The event field stored in the pid column, if it has a task. */
  pid?: 'pid' | 'prevPid';
  /** The remaining fields, in the order a trace stores them. */
  columns: readonly Column[];
  group: KindGroup;
  /** What the kind means, for filter tooltips and docs. */
  doc: string;
}

export const EVENT_KINDS: { readonly [K in SimEventKind]: EventKindInfo } = {
  task_new: { code: 0, cpu: false, pid: 'pid', columns: [str('comm'), int('weight'), flags(optional(str('cgroup')))], group: 'task', doc: 'a task appeared (fork or workload start)' },
  task_exit: { code: 1, cpu: false, pid: 'pid', columns: [], group: 'task', doc: 'a task exited' },
  task_state: { code: 2, cpu: true, pid: 'pid', columns: [oneOf('state', TASK_STATES)], group: 'task', doc: 'a task became runnable, running, sleeping or exited' },
  switch: { code: 3, cpu: true, pid: 'prevPid', columns: [int('nextPid')], group: 'scheduling', doc: 'a CPU switched from one task to another' },
  op: { code: 4, cpu: true, pid: 'pid', columns: [str('op'), int('insns'), strs('args'), flags(optional(str('ret')))], group: 'scheduling', doc: 'a sched_ext_ops callback ran' },
  dsq_create: { code: 5, cpu: false, columns: [str('dsq'), str('name'), bool('vtime')], group: 'dsq', doc: 'a dispatch queue was created' },
  dsq_insert: { code: 6, cpu: true, pid: 'pid', columns: [str('dsq'), int('slice'), flags(flagBit('head'), optional(int('vtime')))], group: 'dsq', doc: 'a task was inserted into a dispatch queue' },
  dsq_remove: { code: 7, cpu: true, pid: 'pid', columns: [str('dsq'), oneOf('reason', REMOVE_REASONS)], group: 'dsq', doc: 'a task left a dispatch queue' },
  kick: { code: 8, cpu: true, columns: [int('target'), strs('flags')], group: 'scheduling', doc: 'scx_bpf_kick_cpu' },
  idle: { code: 9, cpu: true, columns: [bool('idle')], group: 'scheduling', doc: 'a CPU went idle or busy' },
  obj_new: { code: 10, cpu: false, columns: [int('obj'), str('type'), int('size'), site('site')], group: 'heap', doc: 'bpf_obj_new allocated an object' },
  obj_owner: { code: 11, cpu: false, columns: [int('obj'), owner('from'), owner('to'), flags(optional(site('site')), optional(int('at')))], group: 'heap', doc: 'an object changed owner (rbtree, list, kptr slot, program)' },
  obj_free: { code: 12, cpu: false, columns: [int('obj'), flags(optional(site('site')))], group: 'heap', doc: 'an object was freed' },
  ringbuf: { code: 13, cpu: false, columns: [str('map'), blob('bytes')], group: 'output', doc: 'a ring buffer record was submitted' },
  printk: { code: 14, cpu: true, columns: [str('program'), str('text')], group: 'output', doc: 'bpf_printk output' },
  diagnostic: { code: 15, cpu: false, columns: [json('diag')], group: 'output', doc: 'a leak, use-after-free, fault or other finding' },
  exit: { code: 16, cpu: false, columns: [json('exit')], group: 'output', doc: "the scheduler's exit (done, error, stall)" },
};

/** Every kind, in code order. */
export const KIND_NAMES = Object.keys(EVENT_KINDS).sort((a, b) => EVENT_KINDS[a as SimEventKind].code - EVENT_KINDS[b as SimEventKind].code) as SimEventKind[];

/** Kind by on-disk code (undefined for a code this version does not know). */
export const KIND_BY_CODE: readonly (SimEventKind | undefined)[] = (() => {
  const out: (SimEventKind | undefined)[] = [];
  for (const k of KIND_NAMES) out[EVENT_KINDS[k].code] = k;
  return out;
})();

/** Kinds in the order the UI offers them as filters: by group, then code. */
const GROUP_ORDER: readonly KindGroup[] = ['scheduling', 'task', 'dsq', 'heap', 'output'];
export const KINDS_FOR_FILTERS: readonly SimEventKind[] = [...KIND_NAMES].sort(
  (a, b) => GROUP_ORDER.indexOf(EVENT_KINDS[a].group) - GROUP_ORDER.indexOf(EVENT_KINDS[b].group) || EVENT_KINDS[a].code - EVENT_KINDS[b].code,
);

/** The event of one kind, for code that narrows by kind. */
export type EventOf<K extends SimEventKind> = Extract<SimEvent, { kind: K }>;
