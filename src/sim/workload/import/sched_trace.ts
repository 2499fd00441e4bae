// The scheduling trace model every importer produces and every consumer
// (workload builder, comparison figures, exporters) reads: the tasks a trace
// shows and its scheduler events in time order — sched_switch,
// sched_waking/sched_wakeup(_new), sched_process_fork/exit and
// sched_migrate_task, with the kernel's field meanings. Times are ns from the
// trace's own clock; pid 0 is the idle task (swapper/N).

/**
 * The tracepoints scxray reads, by kernel name. `ctx` is the task the event
 * was recorded in (the line head's task; -1 when unknown), which shows what
 * a CPU was running even where the trace lost a sched_switch.
 */
export type TraceEvent = TraceEventBody & { ctx: number; line: number; synthetic?: boolean };

type TraceEventBody =
  /** sched_switch: prevState is the kernel's letter(s) ("R", "R+", "S", "D", "X", "Z", "I", "D|K", …). */
  | { t: number; kind: 'switch'; cpu: number; prevPid: number; prevState: string; nextPid: number }
  /** sched_waking / sched_wakeup / sched_wakeup_new; waker is the task the event was recorded in (0: idle or interrupt context). */
  | { t: number; kind: 'wakeup'; cpu: number; pid: number; targetCpu: number; waker: number; isNew: boolean }
  | { t: number; kind: 'fork'; cpu: number; parent: number; child: number }
  | { t: number; kind: 'exit'; cpu: number; pid: number }
  | { t: number; kind: 'migrate'; cpu: number; pid: number; from: number; to: number };

export interface TraceTask {
  pid: number;
  /** The last comm the trace gave it (exec changes comm). */
  comm: string;
  /** Kernel priority as traced (prio 100..139 is nice -20..19; below 100 is real-time). */
  prio?: number;
  /** A kernel thread: a child of kthreadd (pid 2) or a well-known kernel thread name. */
  kthread: boolean;
  /** The CPU a per-CPU kernel thread is bound to ("ksoftirqd/3"), from its name. */
  boundCpu?: number;
}

/** The traced machine, as far as the trace says. */
export interface TracedMachine {
  cpus: number;
  /** CPUs per SMT core / LLC / NUMA node when a header gave the topology. */
  smt?: number;
  llc?: number;
  numa?: number;
}

export type TraceFormat = 'ftrace' | 'perf' | 'perfetto-json';

export interface SchedTrace {
  source: string;
  format: TraceFormat;
  machine: TracedMachine;
  /** First and last event time (ns). */
  startNs: number;
  endNs: number;
  tasks: Map<number, TraceTask>;
  /** Sorted by time (stable: same-time events keep file order). */
  events: TraceEvent[];
}

/** Bad or truncated input: names the file, the line and what was expected. */
export class TraceImportError extends Error {
  constructor(
    readonly source: string,
    readonly line: number,
    readonly detail: string,
  ) {
    super(line > 0 ? `${source}:${line}: ${detail}` : `${source}: ${detail}`);
    this.name = 'TraceImportError';
  }
}

/** "294.636258" (s) → ns without floating-point rounding. */
export function secondsToNs(text: string): number {
  const dot = text.indexOf('.');
  if (dot < 0) return Number(text) * 1e9;
  const frac = text.slice(dot + 1, dot + 10).padEnd(9, '0');
  return Number(text.slice(0, dot)) * 1e9 + Number(frac);
}

const KTHREAD_NAMES = /^(kthreadd|kworker\/|ksoftirqd\/|migration\/|rcu_|cpuhp\/|idle_inject\/|watchdog|irq\/|kswapd|kcompactd|khugepaged|jbd2\/|oom_reaper|kauditd|khungtaskd|kblockd|writeback|kintegrityd|ksmd|kdevtmpfs|pool_workqueue|card\d|scsi_|ext4-|xfs|btrfs|kthrotld|kstrp|zswap|mm_percpu_wq|netns|inet_frag_wq|edac-poller|devfreq_wq|ipv6_addrconf|tpm_dev_wq|blkcg_punt_bio|md|charger_manager|kmpath|ata_sff|nvme)/;

/** Per-CPU kernel threads carry their CPU in the name: "ksoftirqd/3", "migration/0", "cpuhp/1", "kworker/2:1". */
export function boundCpuOfKthread(comm: string): number | undefined {
  const m = /^(?:ksoftirqd|migration|cpuhp|idle_inject|watchdog|rcuc)\/(\d+)$/.exec(comm) ?? /^kworker\/(\d+):\d+H?(?:-.*)?$/.exec(comm);
  return m ? Number(m[1]) : undefined;
}

export function looksLikeKthread(comm: string): boolean {
  return KTHREAD_NAMES.test(comm);
}

/** Collects tasks and events while a parser reads a file, then sorts and finishes the trace. */
export class SchedTraceBuilder {
  readonly tasks = new Map<number, TraceTask>();
  readonly events: TraceEvent[] = [];
  maxCpu = -1;
  machine: Partial<TracedMachine> = {};
  /** The header's "time of last sample" (perf), when later than the last event. */
  lastSampleNs?: number;

  constructor(
    readonly source: string,
    readonly format: TraceFormat,
  ) {}

  task(pid: number, comm: string | undefined, prio?: number): void {
    if (pid <= 0) return;
    let t = this.tasks.get(pid);
    if (!t) {
      t = { pid, comm: comm ?? `pid${pid}`, kthread: pid === 2, prio };
      this.tasks.set(pid, t);
    }
    if (comm !== undefined && comm !== '' && comm !== '<...>') t.comm = comm;
    if (prio !== undefined) t.prio = prio;
  }

  event(e: TraceEvent): void {
    this.events.push(e);
    this.maxCpu = Math.max(this.maxCpu, e.cpu, e.kind === 'wakeup' ? e.targetCpu : e.kind === 'migrate' ? Math.max(e.from, e.to) : -1);
    if (e.kind === 'fork' && (e.parent === 2 || this.tasks.get(e.parent)?.kthread)) {
      const child = this.tasks.get(e.child);
      if (child) child.kthread = true;
    }
  }

  finish(): SchedTrace {
    if (this.events.length === 0) {
      throw new TraceImportError(this.source, 0, 'no scheduler events found (expected sched_switch, sched_wakeup, sched_waking, sched_wakeup_new, sched_process_fork/exit or sched_migrate_task lines)');
    }
    // stable sort: per-CPU ring buffers interleave slightly out of order in some tools
    const events = healLostSwitches(this.events.map((e, i) => ({ e, i })).sort((a, b) => a.e.t - b.e.t || a.i - b.i).map((x) => x.e));
    for (const t of this.tasks.values()) {
      if (looksLikeKthread(t.comm)) t.kthread = true;
      if (t.kthread) t.boundCpu = boundCpuOfKthread(t.comm);
    }
    const cpus = Math.max(this.machine.cpus ?? 0, this.maxCpu + 1);
    return {
      source: this.source,
      format: this.format,
      machine: { ...this.machine, cpus },
      startNs: events[0]!.t,
      endNs: Math.max(events[events.length - 1]!.t, this.lastSampleNs ?? 0),
      tasks: this.tasks,
      events,
    };
  }
}

/**
 * Where an event was recorded in a task other than the one the last
 * sched_switch put on that CPU, a switch was lost (dropped events, or tracing
 * that started per CPU at different times): insert one at that event, the
 * earliest instant the trace proves the change, with the old task still
 * runnable ("R"). Events recorded in the idle task (pid 0) prove nothing:
 * exporters without a waker write wakeups there.
 */
function healLostSwitches(events: TraceEvent[]): TraceEvent[] {
  const curr = new Map<number, number>();
  const seen = new Set<number>();
  const out: TraceEvent[] = [];
  for (const e of events) {
    const known = curr.get(e.cpu);
    const head = e.kind === 'switch' ? e.prevPid : e.ctx;
    // a CPU with no switch yet: a task seen before elsewhere got onto it unrecorded (from idle, as far as the trace says)
    const lost = head > 0 && (known !== undefined ? head !== known : seen.has(head));
    if (lost) out.push({ t: e.t, kind: 'switch', cpu: e.cpu, prevPid: known ?? 0, prevState: 'R', nextPid: head, ctx: known ?? 0, line: e.line, synthetic: true });
    if (e.kind === 'switch') curr.set(e.cpu, e.nextPid);
    else if (head > 0) curr.set(e.cpu, head);
    for (const pid of pidsOf(e)) seen.add(pid);
    out.push(e);
  }
  return out;
}

function pidsOf(e: TraceEvent): number[] {
  switch (e.kind) {
    case 'switch': return [e.prevPid, e.nextPid];
    case 'wakeup': return [e.pid, e.ctx];
    case 'fork': return [e.parent, e.child];
    case 'exit':
    case 'migrate': return [e.pid, e.ctx];
  }
}
