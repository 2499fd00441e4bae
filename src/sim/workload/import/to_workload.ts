// Turns a scheduling trace into a workload that replays it: one task group
// per traced task with its run bursts (CPU time between blocking points, as
// measured in the trace), its sleeps, and its wakeup edges — a wakeup by
// another replayed task becomes a `wake` step in the waker at that point of
// its run and a `wait` in the wakee, so a waker the new scheduler delays
// delays its wakee too; a wakeup from an interrupt, the idle task or a task
// left out becomes a timed sleep of the traced length. Forks by replayed
// parents become `fork` steps (the child is a template); exits end the
// steps. docs/workloads.md describes the model and its limits.

import type { Step, Workload, WorkloadGroup } from '../schema';
import type { SchedTrace, TraceEvent, TraceTask } from './sched_trace';

export interface ImportFilter {
  /** Keep kernel threads (default true); the idle task (pid 0) is never a task. */
  kthreads?: boolean;
  /** Leave out tasks whose comm matches one of these. */
  excludeComm?: RegExp[];
  /** Replay only these pids (after the other filters). */
  pids?: Set<number>;
}

interface TaskBuild {
  task: TraceTask;
  steps: Step[];
  /** On-CPU time since the last step boundary. */
  acc: number;
  /** Switched in at (ns), or -1. */
  runningSince: number;
  /** Blocked since (ns), or -1. */
  blockedAt: number;
  seen: boolean;
  /** Appears at this offset from the trace start (fork by a task not replayed, or first seen waking). */
  start: number;
  template: boolean;
  startBlocked: boolean;
  exited: boolean;
  partialStart: boolean;
}

export function groupName(t: TraceTask): string {
  return `${t.comm.replace(/[^A-Za-z0-9_.:/-]/g, '_')}-${t.pid}`;
}

export function keptTasks(trace: SchedTrace, filter: ImportFilter = {}): Set<number> {
  const keep = new Set<number>();
  for (const t of trace.tasks.values()) {
    if (t.pid === 0) continue;
    if (t.kthread && filter.kthreads === false) continue;
    if (filter.excludeComm?.some((re) => re.test(t.comm))) continue;
    if (filter.pids && !filter.pids.has(t.pid)) continue;
    keep.add(t.pid);
  }
  return keep;
}

function niceOf(prio: number | undefined): { nice: number; realtime: boolean } {
  if (prio === undefined) return { nice: 0, realtime: false };
  if (prio < 100) return { nice: -20, realtime: true };
  return { nice: Math.min(19, Math.max(-20, prio - 120)), realtime: false };
}

export function traceToWorkload(trace: SchedTrace, opts: { name: string; filter?: ImportFilter }): Workload {
  const keep = keptTasks(trace, opts.filter);
  const replay = new ReplayBuilder(trace, keep);
  for (const e of trace.events) replay.event(e);
  const groups = replay.groups();
  const m = trace.machine;
  return {
    name: opts.name,
    description: `Imported from ${trace.source} (${trace.format}): ${groups.length} tasks over ${((trace.endNs - trace.startNs) / 1e6).toFixed(1)} ms on ${m.cpus} CPUs`,
    cpus: Math.min(256, Math.max(1, m.cpus)),
    cgroups: [],
    hotplug: [],
    groups,
    origin: {
      source: trace.source,
      format: trace.format,
      startNs: trace.startNs,
      endNs: trace.endNs,
      ...(m.smt ? { smt: m.smt } : {}),
      ...(m.llc ? { llc: m.llc } : {}),
      ...(m.numa ? { numa: m.numa } : {}),
      excluded: [...trace.tasks.keys()].filter((p) => p !== 0 && !keep.has(p)).length,
    },
  };
}

/** Walks the trace's events in order, building each replayed task's steps. */
class ReplayBuilder {
  private readonly builds = new Map<number, TaskBuild>();
  private readonly t0: number;

  constructor(
    private readonly trace: SchedTrace,
    keep: Set<number>,
  ) {
    this.t0 = trace.startNs;
    for (const pid of keep) {
      this.builds.set(pid, {
        task: trace.tasks.get(pid)!, steps: [], acc: 0, runningSince: -1, blockedAt: -1, seen: false,
        start: 0, template: false, startBlocked: false, exited: false, partialStart: false,
      });
    }
  }

  event(e: TraceEvent): void {
    switch (e.kind) {
      case 'switch': return this.onSwitch(e);
      case 'wakeup': return this.onWakeup(e);
      case 'fork': return this.onFork(e);
      case 'exit': {
        // do_exit() still runs (it wakes the parent, releases files) until the final switch with prev_state X/Z
        const b = this.live(e.pid);
        if (b) this.onCpu(b, e.t);
        return;
      }
      case 'migrate':
        return;
    }
  }

  private live(pid: number): TaskBuild | undefined {
    const b = this.builds.get(pid);
    return b && !b.exited ? b : undefined;
  }

  private flushRun(b: TaskBuild): void {
    if (b.acc <= 0) return;
    const last = b.steps[b.steps.length - 1];
    if (last && 'run' in last && last.run.dist === 'fixed') last.run = { dist: 'fixed', value: last.run.value + b.acc };
    else b.steps.push({ run: { dist: 'fixed', value: b.acc } });
    b.acc = 0;
  }

  /** The event was recorded in this task's context at t: it is on a CPU (since the trace start if first seen). */
  private onCpu(b: TaskBuild, t: number): void {
    if (!b.seen) {
      b.seen = true;
      b.partialStart = true;
      b.runningSince = this.t0;
    }
    if (b.runningSince < 0) b.runningSince = t;
    b.acc += t - b.runningSince;
    b.runningSince = t;
  }

  private onSwitch(e: Extract<TraceEvent, { kind: 'switch' }>): void {
    const prev = this.live(e.prevPid);
    if (prev) {
      this.onCpu(prev, e.t);
      prev.runningSince = -1;
      if (/^[XZ]/.test(e.prevState)) {
        this.flushRun(prev);
        prev.steps.push({ exit: true });
        prev.exited = true;
      } else if (!e.prevState.startsWith('R')) {
        this.flushRun(prev);
        prev.blockedAt = e.t;
      }
    }
    const next = this.live(e.nextPid);
    if (!next) return;
    if (!next.seen) {
      next.seen = true;
      next.partialStart = true;
    }
    if (next.blockedAt >= 0) {
      // switched in without a recorded wakeup (lost event, or a trace without wakeups): keep the blocked time
      next.steps.push({ sleep: { dist: 'fixed', value: Math.max(1, e.t - next.blockedAt) } });
      next.blockedAt = -1;
    }
    next.runningSince = e.t;
  }

  /** The waker, on its CPU, wakes b here: a wake step at this point of its run. */
  private wakeEdge(waker: TaskBuild, b: TaskBuild, t: number): void {
    this.onCpu(waker, t);
    this.flushRun(waker);
    waker.steps.push({ wake: groupName(b.task), which: 'same' });
  }

  private onWakeup(e: Extract<TraceEvent, { kind: 'wakeup' }>): void {
    const b = this.live(e.pid);
    if (!b) return;
    const waker = e.waker !== e.pid ? this.live(e.waker) : undefined;
    if (!b.seen) {
      b.seen = true;
      // a new task with no fork event (its parent is not replayed, or the tracer had no fork events)
      if (e.isNew) {
        b.start = e.t - this.t0;
        return;
      }
      b.partialStart = true;
      if (waker) {
        this.wakeEdge(waker, b, e.t);
        b.startBlocked = true;
      } else b.start = e.t - this.t0;
      return;
    }
    // a wakeup of a task that is not blocked (still on its CPU, or a second event for the same wakeup) changes nothing
    if (b.blockedAt < 0) return;
    if (waker) {
      this.wakeEdge(waker, b, e.t);
      b.steps.push({ wait: true });
    } else {
      b.steps.push({ sleep: { dist: 'fixed', value: Math.max(1, e.t - b.blockedAt) } });
    }
    b.blockedAt = -1;
  }

  private onFork(e: Extract<TraceEvent, { kind: 'fork' }>): void {
    const child = this.builds.get(e.child);
    const parent = this.live(e.parent);
    if (parent) this.onCpu(parent, e.t);
    if (!child || child.seen) return;
    child.seen = true;
    if (parent) {
      this.flushRun(parent);
      parent.steps.push({ fork: groupName(child.task), count: 1 });
      child.template = true;
    } else child.start = e.t - this.t0;
  }

  /** The groups at the end of the trace, by traced pid. */
  groups(): WorkloadGroup[] {
    const out: WorkloadGroup[] = [];
    const end = this.trace.endNs;
    for (const b of this.builds.values()) {
      if (!b.seen) continue;
      if (b.runningSince >= 0) {
        b.acc += end - b.runningSince;
        b.runningSince = -1;
      }
      this.flushRun(b);
      // blocked at the end: stay blocked to the end of the traced span rather than exiting early
      if (b.blockedAt >= 0 && end > b.blockedAt) b.steps.push({ sleep: { dist: 'fixed', value: end - b.blockedAt } });
      if (b.steps.length === 0) b.steps.push({ sleep: { dist: 'fixed', value: Math.max(1, end - this.t0 - b.start) } });
      const { nice, realtime } = niceOf(b.task.prio);
      const partialEnd = !b.exited;
      const partial = b.partialStart && partialEnd ? 'both' : b.partialStart ? 'start' : partialEnd ? 'end' : undefined;
      out.push({
        name: groupName(b.task),
        comm: b.task.comm.slice(0, 15),
        count: 1,
        nice,
        policy: 'ext',
        ...(b.task.boundCpu !== undefined && b.task.boundCpu < this.trace.machine.cpus ? { cpus: [b.task.boundCpu] } : {}),
        start: b.start,
        stagger: 0,
        template: b.template,
        repeat: 1,
        startBlocked: b.startBlocked,
        steps: b.steps,
        trace: { pid: b.task.pid, kthread: b.task.kthread, realtime, ...(partial ? { partial } : {}) },
      });
    }
    return out.sort((a, b) => a.trace!.pid - b.trace!.pid);
  }
}
