// The rangeSummary query (protocol/range_summary.ts): the figures of a time
// range [t0, t1), folded from the state just before t0 and the range's events
// over any Timeline (a live run's growing trace or an opened recording). The
// one place they are computed: the session answers the UI's Range tab with it
// and `scxray replay TRACE --summary --from T0 --to T1` prints it, so the
// table and the command line cannot disagree. Ops and source lines are
// lineCounts' (line_counts.ts), the rows the source pane's gutter shows.
//
// Times are whole nanoseconds (the simulator's clock), so "every event before
// t0" is the state at t0 - 1 and events t0 <= t < t1 are the range's.

import type { SimEvent, SimEventKind, SimSnapshot, TaskState } from '../../model/events';
import { dsqName } from '../../model/text';
import type { RangeSummary } from '../../protocol/range_summary';
import { percentiles } from '../../sim/summary';
import { localDsqCpu } from '../../sim/trace/dsq_ids';
import { countLines } from './line_counts';
import type { Timeline } from './timeline';

/** The event kinds the summary reads (run slices, idle, kicks and output are not needed). */
export const RANGE_KINDS: readonly SimEventKind[] = [
  'task_new', 'task_state', 'task_exit', 'op', 'obj_new', 'obj_owner', 'obj_free', 'dsq_create', 'dsq_insert', 'dsq_remove',
];

/** The most events one summary reads; past it the figures stop at the last event read (`truncated`). */
export const MAX_RANGE_EVENTS = 1_000_000;

/** The summary of [t0, t1) (rounded up to whole ns) over `timeline`. */
export function rangeSummary(timeline: Pick<Timeline, 'stateAt' | 'events'>, t0: number, t1: number, limit = MAX_RANGE_EVENTS): RangeSummary {
  if (!Number.isFinite(t0) || !Number.isFinite(t1) || t0 < 0 || t1 < t0) {
    throw new RangeError(`a range summary needs 0 <= t0 <= t1, got ${t0} .. ${t1}`);
  }
  const from = Math.ceil(t0);
  const to = Math.max(from, Math.ceil(t1));
  const before = timeline.stateAt(from - 1);
  const read = timeline.events(from, to, [...RANGE_KINDS], limit);
  let end = to;
  // a cut-short read ends at its last event: count only whole instants
  if (read.truncated && read.events.length > 0) end = read.events[read.events.length - 1]!.t;
  const events = read.truncated ? read.events.filter((e) => e.t < end) : read.events;
  return summarizeRange(before, events, from, end, read.truncated);
}

type DsqRow = RangeSummary['dsqs'][number];

interface TaskAcc {
  pid: number;
  comm: string;
  state: TaskState;
  /** When the current state began (t0 for the state the range starts in). */
  since: number;
  runtimeNs: number;
  waitNs: number;
  runs: number;
  /** When a wakeup inside the range made it runnable; cleared when it runs. */
  wokenAt: number | undefined;
  latencies: number[];
}

/**
 * The fold: `before` holds every event before t0 (its tasks' states and DSQ contents are what the range starts
 * from), `events` are the range's, in recorded order, all with t0 <= t < t1.
 */
export function summarizeRange(before: SimSnapshot, events: readonly SimEvent[], t0: number, t1: number, truncated = false): RangeSummary {
  const tasks = new Map<number, TaskAcc>();
  const taskAcc = (pid: number, comm: string, state: TaskState, since: number): TaskAcc => {
    const a: TaskAcc = { pid, comm, state, since, runtimeNs: 0, waitNs: 0, runs: 0, wokenAt: undefined, latencies: [] };
    tasks.set(pid, a);
    return a;
  };
  for (const p of before.tasks) taskAcc(p.pid, p.comm, p.state, t0);

  const dsqs = new Map<string, DsqRow & { depth: number }>();
  const labels = new Map<string, string>();
  const dsqRow = (name: string): DsqRow & { depth: number } => {
    let d = dsqs.get(name);
    if (!d) dsqs.set(name, (d = { dsq: name, maxDepth: 0, startDepth: 0, inserts: 0, depth: 0 }));
    return d;
  };
  const startDepth = (name: string, n: number): void => {
    const d = dsqRow(name);
    d.depth = d.startDepth = d.maxDepth = n;
  };
  for (const d of before.dsqs) {
    labels.set(d.id, d.label);
    // local DSQs are counted from cpus[].local, as the replay keeps them
    if (localDsqCpu(d.id, -1) === null) startDepth(d.label, d.tasks.length);
  }
  for (const c of before.cpus) startDepth(`LOCAL(${c.cpu})`, c.local.length);
  const dsqOf = (id: string, cpu: number): string => {
    const local = localDsqCpu(id, cpu);
    return local !== null ? `LOCAL(${local})` : (labels.get(id) ?? dsqName(id));
  };

  for (const e of events) {
    switch (e.kind) {
      case 'task_new':
        taskAcc(e.pid, e.comm, 'new', e.t);
        break;
      case 'task_state':
      case 'task_exit': {
        const a = tasks.get(e.pid);
        if (a) enterState(a, e.kind === 'task_exit' ? 'exited' : e.state, e.t);
        break;
      }
      case 'dsq_create':
        labels.set(e.dsq, e.name);
        break;
      case 'dsq_insert': {
        const d = dsqRow(dsqOf(e.dsq, e.cpu));
        d.depth++;
        d.inserts++;
        d.maxDepth = Math.max(d.maxDepth, d.depth);
        break;
      }
      case 'dsq_remove': {
        const d = dsqRow(dsqOf(e.dsq, e.cpu));
        d.depth = Math.max(0, d.depth - 1);
        break;
      }
      default:
        break;
    }
  }

  const all: number[] = [];
  const taskRows: RangeSummary['tasks'] = [];
  for (const a of tasks.values()) {
    enterState(a, a.state, t1); // charges the state the range ends in
    if (a.runtimeNs === 0 && a.waitNs === 0 && a.runs === 0 && a.latencies.length === 0) continue;
    for (const l of a.latencies) all.push(l);
    taskRows.push({ pid: a.pid, comm: a.comm, runtimeNs: a.runtimeNs, waitNs: a.waitNs, runs: a.runs, wakeLatencyNs: percentiles(a.latencies) });
  }
  taskRows.sort((x, y) => y.runtimeNs - x.runtimeNs || x.pid - y.pid);
  const counted = countLines(events, t0, t1);
  const opRows = counted.ops.map((r) => ({ ...r, meanInsns: r.calls > 0 ? r.insns / r.calls : 0 })).sort((x, y) => y.insns - x.insns || x.op.localeCompare(y.op));
  const lineRows = counted.lines.sort((x, y) => y.alloc + y.move + y.free - (x.alloc + x.move + x.free) || x.file.localeCompare(y.file) || x.line - y.line);
  const dsqRows = [...dsqs.values()]
    .filter((d) => d.maxDepth > 0)
    .map(({ dsq, maxDepth, startDepth: s, inserts }) => ({ dsq, maxDepth, startDepth: s, inserts }))
    .sort((x, y) => y.maxDepth - x.maxDepth || x.dsq.localeCompare(y.dsq, undefined, { numeric: true }));
  return {
    t0,
    t1,
    events: events.length,
    truncated,
    tasks: taskRows,
    wakeLatencyNs: percentiles(all),
    ops: opRows,
    lines: lineRows,
    dsqs: dsqRows,
  };
}

/**
 * A task's state changes at t: the time since its last change is charged to the state it leaves (running:
 * runtime, runnable: wait). Like the simulator's setNext, entering running counts a run and ends a wait; a
 * wakeup is runnable entered from sleeping or new, and its latency is measured when the task next runs.
 */
function enterState(a: TaskAcc, state: TaskState, t: number): void {
  if (a.state === 'running') a.runtimeNs += t - a.since;
  else if (a.state === 'runnable') a.waitNs += t - a.since;
  if (state === 'running' && a.state !== 'running') {
    a.runs++;
    if (a.wokenAt !== undefined) a.latencies.push(t - a.wokenAt);
    a.wokenAt = undefined;
  } else if (state === 'runnable' && (a.state === 'sleeping' || a.state === 'new')) {
    a.wokenAt = t;
  } else if (state !== 'runnable') {
    a.wokenAt = undefined;
  }
  a.state = state;
  a.since = t;
}
