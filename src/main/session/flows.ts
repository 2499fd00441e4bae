// The flows query (protocol/flows.ts): a task's way from becoming runnable
// to running, and a heap object's changes of owner, folded from the events of
// a window over any Timeline (a live run's growing trace or a recording).
//
// A task's chain follows sched_ext's path (kernel/sched/ext.c): it becomes
// runnable (a wakeup, or put back while it ran), is enqueued — ops.enqueue,
// a direct dispatch from ops.select_cpu or ops.enqueue, or the kernel's own
// insertion when the scheduler has no ops.enqueue — then dispatched (ops.dispatch
// inserts it, or a CPU consumes it from a shared DSQ to its local one), and
// runs when a CPU switches to it. The simulator records a direct dispatch's
// insertion right after the op that asked for it (dispatch.ts directDispatch),
// and ops.dispatch's insertions after that op's own event (flushDispatchBuf):
// the last op event before an insertion tells which one it is.

import type { OwnerRef, SimEvent, SimEventKind, TaskState } from '../../model/events';
import { FLOW_STEPS, type FlowStepKind, type Flows } from '../../protocol/flows';
import { dsqOn, LEAK_OBJ } from './change_tracks';
import type { Timeline } from './timeline';

/** The most events one answer reads, and the most steps it carries; past either the chains stop (`truncated`). */
export const MAX_FLOW_EVENTS = 500_000;
export const MAX_FLOW_STEPS = 50_000;

const TASK_KINDS: SimEventKind[] = ['task_state', 'op', 'dsq_create', 'dsq_insert', 'dsq_remove', 'switch'];
const OBJ_KINDS: SimEventKind[] = ['obj_new', 'obj_owner', 'obj_free', 'diagnostic'];

export interface FlowStep {
  t: number;
  cpu: number;
  kind: FlowStepKind;
  label: string;
}

/** The flows of a task (`pid`) or an object (`obj`) over [t0, t1). */
export function flows(timeline: Pick<Timeline, 'stateAt' | 'events'>, p: { t0: number; t1: number; pid?: number; obj?: number }): Flows {
  const start = timeline.stateAt(p.t0);
  if (p.pid !== undefined) {
    // a task already waiting at t0: its chain starts when it became ready
    const task = start.tasks.find((x) => x.pid === p.pid);
    const ready = task?.state === 'runnable' && task.readySince !== undefined && task.readySince >= 0 ? task.readySince : p.t0;
    const from = Math.min(p.t0, ready);
    const read = timeline.events(from, p.t1, TASK_KINDS, MAX_FLOW_EVENTS);
    const labels = new Map(start.dsqs.map((d) => [d.id, d.label]));
    const chains = taskChains(read.events, p.pid, labels).filter((c) => c[c.length - 1]!.t >= p.t0);
    return pack(p.t0, p.t1, { kind: 'task', pid: p.pid }, chains, read.truncated);
  }
  const id = p.obj!;
  const read = timeline.events(p.t0, p.t1, OBJ_KINDS, MAX_FLOW_EVENTS);
  const held = start.heap.find((h) => h.id === id)?.owner;
  const steps = objectSteps(read.events.filter((e) => e.t >= p.t0), id, held);
  return pack(p.t0, p.t1, { kind: 'obj', id }, steps.length > 0 ? [steps] : [], read.truncated);
}

interface TaskStep {
  t: number;
  cpu: number;
  kind: FlowStepKind;
  /** Where it was put (enqueue: its DSQ; dispatch: the DSQ it went to). */
  into?: string;
  /** dispatch: the DSQ a CPU took it from. */
  from?: string;
  /** enqueue: which op queued it ("select_cpu", "enqueue") or "" for the kernel itself. */
  via?: string;
}

/**
 * A task's chains in `events` (time order): each starts when it becomes runnable and ends when it runs, sleeps,
 * exits or leaves its DSQ without running (a dequeue). Exported for tests.
 */
export function taskChains(events: SimEvent[], pid: number, labels: Map<string, string>): FlowStep[][] {
  const out: FlowStep[][] = [];
  let chain: TaskStep[] | null = null;
  let state: TaskState | undefined;
  let lastOp: (SimEvent & { kind: 'op' }) | null = null;
  const close = (): void => {
    if (chain && chain.length > 0) out.push(chain.map(taskStepText));
    chain = null;
  };
  const open = (): TaskStep[] => (chain ??= []);
  for (const e of events) {
    switch (e.kind) {
      case 'dsq_create':
        labels.set(e.dsq, e.name);
        break;
      case 'op':
        lastOp = e;
        if (e.pid === pid && e.op === 'enqueue') {
          const c = open();
          if (!c.some((s) => s.kind === 'enqueue')) c.push({ t: e.t, cpu: e.cpu, kind: 'enqueue', via: 'enqueue' });
        }
        break;
      case 'task_state':
        if (e.pid !== pid) break;
        if (e.state === 'runnable') {
          close();
          chain = [{ t: e.t, cpu: e.cpu, kind: state === 'running' ? 'preempted' : 'wakeup' }];
        } else if (e.state !== 'running') close();
        state = e.state;
        break;
      case 'dsq_insert': {
        if (e.pid !== pid) break;
        const name = dsqOn(e.dsq, e.cpu, labels);
        const c = open();
        const enq = c.find((s) => s.kind === 'enqueue');
        const byOp = lastOp !== null && lastOp.pid === pid && lastOp.t === e.t && (lastOp.op === 'enqueue' || lastOp.op === 'select_cpu');
        if (!enq) c.push({ t: e.t, cpu: e.cpu, kind: 'enqueue', into: name, via: byOp ? lastOp!.op : '' });
        else if (byOp && enq.into === undefined && !c.some((s) => s.kind === 'dispatch')) enq.into = name;
        else {
          const last = c[c.length - 1]!;
          if (last.kind === 'dispatch' && last.t === e.t && last.cpu === e.cpu && last.into === undefined) last.into = name;
          else c.push({ t: e.t, cpu: e.cpu, kind: 'dispatch', into: name });
        }
        break;
      }
      case 'dsq_remove':
        if (e.pid !== pid) break;
        if (e.reason === 'consume' || e.reason === 'move') open().push({ t: e.t, cpu: e.cpu, kind: 'dispatch', from: dsqOn(e.dsq, e.cpu, labels) });
        else if (e.reason === 'dequeue') close();
        break;
      case 'switch':
        if (e.nextPid !== pid) break;
        open().push({ t: e.t, cpu: e.cpu, kind: 'run' });
        close();
        break;
      default:
        break;
    }
  }
  close();
  return out;
}

function taskStepText(s: TaskStep): FlowStep {
  let label: string;
  switch (s.kind) {
    case 'wakeup':
      label = `wakeup on CPU ${s.cpu}`;
      break;
    case 'preempted':
      label = `preempted on CPU ${s.cpu}, runnable again`;
      break;
    case 'enqueue':
      if (s.via === 'select_cpu') label = `select_cpu dispatched it directly to ${s.into ?? '?'}`;
      else if (s.via === 'enqueue') label = s.into ? `ops.enqueue into ${s.into}` : 'ops.enqueue: kept by the BPF scheduler (in no DSQ)';
      else label = `queued by the kernel into ${s.into ?? '?'}`;
      break;
    case 'dispatch':
      label = s.from ? `CPU ${s.cpu} took it from ${s.from}${s.into ? ` to ${s.into}` : ''}` : `ops.dispatch on CPU ${s.cpu} inserted it into ${s.into ?? '?'}`;
      break;
    default:
      label = `runs on CPU ${s.cpu}`;
  }
  return { t: s.t, cpu: s.cpu, kind: s.kind, label };
}

const rootText = (o: OwnerRef): string => (o.kind === 'rb_root' ? `rbtree ${o.root}` : o.kind === 'list_head' ? `list ${o.root}` : '');

/**
 * An object's steps in `events` (time order): allocation, each change of owner, the leak and the free. `held` is its
 * owner at the window's start (for the CPU of a step that does not name one). Exported for tests.
 */
export function objectSteps(events: SimEvent[], id: number, held: OwnerRef | undefined): FlowStep[] {
  const out: FlowStep[] = [];
  let owner = held;
  let type = '';
  const cpuOf = (o: OwnerRef | undefined): number => (o?.kind === 'program' ? o.cpu : -1);
  for (const e of events) {
    if (out.length >= MAX_FLOW_STEPS) break;
    if (e.kind === 'obj_new' && e.obj === id) type = e.type;
    else if (e.kind === 'obj_owner' && e.obj === id) {
      const { from, to } = e;
      const by = to.kind === 'program' ? to : from.kind === 'program' ? from : undefined;
      const cpu = by ? by.cpu : cpuOf(owner);
      const prog = by ? ` by ${by.program}` : '';
      if (from.kind === 'freed') out.push({ t: e.t, cpu, kind: 'alloc', label: `bpf_obj_new${type ? ` (${type})` : ''}${prog}` });
      else if (to.kind === 'rb_root' || to.kind === 'list_head') out.push({ t: e.t, cpu, kind: 'add', label: `added to ${rootText(to)}${prog}` });
      else if (from.kind === 'rb_root' || from.kind === 'list_head') out.push({ t: e.t, cpu, kind: 'remove', label: `removed from ${rootText(from)}${prog}` });
      else if (to.kind === 'kptr') out.push({ t: e.t, cpu, kind: 'stash', label: `stashed in ${to.slot} (bpf_kptr_xchg)${prog}` });
      else if (from.kind === 'kptr') out.push({ t: e.t, cpu, kind: 'unstash', label: `taken out of ${from.slot} (bpf_kptr_xchg)${prog}` });
      else if (from.kind === 'refcount') out.push({ t: e.t, cpu, kind: 'acquire', label: `new reference (${from.count + 1} now)${prog}` });
      else if (to.kind === 'refcount') out.push({ t: e.t, cpu, kind: 'release', label: `reference dropped (${to.count} left)${prog}` });
      owner = to.kind === 'refcount' ? owner : to;
    } else if (e.kind === 'obj_free' && e.obj === id) {
      const prog = e.site?.program ? ` by ${e.site.program}` : '';
      out.push({ t: e.t, cpu: cpuOf(owner), kind: 'free', label: owner?.kind === 'program' ? `dropped (bpf_obj_drop)${prog}` : `freed with its ${owner ? ownerPlace(owner) : 'owner'}${prog}` });
      owner = { kind: 'freed' };
    } else if (e.kind === 'diagnostic' && e.diag.kind === 'leak' && Number(LEAK_OBJ.exec(e.diag.message)?.[1]) === id) {
      out.push({ t: e.t, cpu: cpuOf(owner), kind: 'leak', label: `leaked: ${e.diag.program ?? 'its program'} returned still owning it` });
    }
  }
  return out;
}

function ownerPlace(o: OwnerRef): string {
  if (o.kind === 'kptr') return `map slot ${o.slot}`;
  if (o.kind === 'rb_root' || o.kind === 'list_head') return rootText(o);
  return o.kind;
}

function pack(t0: number, t1: number, subject: Flows['subject'], chains: FlowStep[][], truncatedRead: boolean): Flows {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const str = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) index.set(s, (i = strings.push(s) - 1));
    return i;
  };
  let truncated = truncatedRead;
  const kept: FlowStep[][] = [];
  let n = 0;
  for (const c of chains) {
    if (n + c.length > MAX_FLOW_STEPS) {
      truncated = true;
      break;
    }
    kept.push(c);
    n += c.length;
  }
  const offset = new Int32Array(kept.length + 1);
  const steps = { t: new Float64Array(n), cpu: new Int32Array(n), kind: new Uint8Array(n), label: new Int32Array(n) };
  let k = 0;
  kept.forEach((c, i) => {
    offset[i] = k;
    for (const s of c) {
      steps.t[k] = s.t;
      steps.cpu[k] = s.cpu;
      steps.kind[k] = FLOW_STEPS.indexOf(s.kind);
      steps.label[k] = str(s.label);
      k++;
    }
  });
  offset[kept.length] = n;
  return { t0, t1, subject, strings, steps, offset, truncated };
}
