// Cross-selection: what picking an event selects — the task it is about, or
// the heap object it moves — so the lanes, the change tracks, the flows and
// the inspector all follow a row of the events table. An object's task field
// (a node keyed by pid) links to that task.
import type { HeapObjectSnapshot, SimEvent } from '../../model/events';
import type { DebuggerState, Selection } from './debugger_state.svelte';
import { diagObject } from './diag_focus';

/** The task or object event `e` is about, or null (a CPU-only event: kick, idle, printk, the exit). */
export function selectionOf(e: SimEvent): Selection {
  switch (e.kind) {
    case 'obj_new':
    case 'obj_owner':
    case 'obj_free':
      return { kind: 'obj', id: e.obj };
    case 'diagnostic': {
      const id = diagObject(e);
      return id === null ? null : { kind: 'obj', id };
    }
    case 'switch': {
      const pid = e.nextPid > 0 ? e.nextPid : e.prevPid;
      return pid > 0 ? { kind: 'task', pid } : null;
    }
    case 'task_new':
    case 'task_exit':
    case 'task_state':
    case 'op':
    case 'dsq_insert':
    case 'dsq_remove':
      return e.pid > 0 ? { kind: 'task', pid: e.pid } : null;
    default:
      return null;
  }
}

/** Select what `e` is about (kept as it is for an event about neither). */
export function selectFromEvent(dbg: DebuggerState, e: SimEvent): void {
  const sel = selectionOf(e);
  if (sel) dbg.selection = sel;
}

/** Field names that hold a task's pid in the objects schedulers keep (a node of a run queue, a per-task context). */
const TASK_FIELDS = /^(pid|tid|task_pid|p_pid)$/;

/** The pid an object's task field holds (its name and value), if it has one naming a real task (> 0). */
export function taskField(obj: HeapObjectSnapshot | undefined): { field: string; pid: number } | null {
  if (!obj) return null;
  for (const [field, value] of Object.entries(obj.fields)) {
    if (!TASK_FIELDS.test(field)) continue;
    const pid = Number(value);
    if (Number.isInteger(pid) && pid > 0) return { field, pid };
  }
  return null;
}
