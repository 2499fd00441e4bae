// Numeric codes for event kinds and the small enums inside events, as stored
// in trace files. Codes are part of the format: append new ones, never
// renumber (a reader maps unknown codes to a 'corrupt' error).

import type { OwnerRef, SimEventKind, TaskState } from '../../model/events';

export const KIND_CODES: readonly SimEventKind[] = [
  'task_new',
  'task_exit',
  'task_state',
  'switch',
  'op',
  'dsq_create',
  'dsq_insert',
  'dsq_remove',
  'kick',
  'idle',
  'obj_new',
  'obj_owner',
  'obj_free',
  'ringbuf',
  'printk',
  'diagnostic',
  'exit',
];

export const KIND_CODE = Object.fromEntries(KIND_CODES.map((k, i) => [k, i])) as Record<SimEventKind, number>;

export const K = KIND_CODE;

/** Kinds whose events carry a cpu, stored in the cpu column. */
export const HAS_CPU = new Uint8Array(KIND_CODES.length);
/** Kinds whose events carry a pid (switch: prevPid), stored in the pid column. */
export const HAS_PID = new Uint8Array(KIND_CODES.length);
for (const k of ['task_state', 'switch', 'op', 'dsq_insert', 'dsq_remove', 'kick', 'idle', 'printk'] as const) HAS_CPU[K[k]] = 1;
for (const k of ['task_new', 'task_exit', 'task_state', 'switch', 'op', 'dsq_insert', 'dsq_remove'] as const) HAS_PID[K[k]] = 1;

export const TASK_STATES: readonly TaskState[] = ['new', 'runnable', 'running', 'sleeping', 'exited'];
export const REMOVE_REASONS = ['consume', 'move', 'dequeue', 'run'] as const;
export const OWNER_KINDS: readonly OwnerRef['kind'][] = ['program', 'rb_root', 'list_head', 'kptr', 'refcount', 'freed'];

export function codeOf<T>(table: readonly T[], v: T, what: string): number {
  const i = table.indexOf(v);
  if (i < 0) throw new RangeError(`unknown ${what} ${String(v)}`);
  return i;
}
