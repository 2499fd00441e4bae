// What one run of a scheduler gave, with queries over it: the exit and
// diagnostics, per-task and per-group runtime / wait / wakeup latency
// percentiles, per-CPU utilisation, fairness by task or cgroup weight, DSQ
// depth over time and events (from the recorded trace), and the state,
// heap, globals and map values at an instant (by re-simulation).

import { rmSync } from 'node:fs';
import type { Diagnostic, ExitInfo, HeapObjectSnapshot, RunInfo, SimEvent, SimEventKind, SimSnapshot } from '../model/events';
import type { RunSummary } from '../sim/summary';
import { TraceReader } from '../sim/trace/reader';
import { dsqName } from '../model/text';
import { percentilesOf, type Percentiles, type TaskLatencyCollector } from './task_stats';
import { ApiError, toNs, type Time } from './options';
import type { Instant, Resimulator } from './instant';
import type { GlobalValue, MapEntry } from './instant';

export interface TaskStats {
  pid: number;
  comm: string;
  /** The workload group the task came from. */
  group?: string;
  cgroup?: string;
  weight: number;
  runtimeNs: number;
  waitNs: number;
  runs: number;
  exited: boolean;
  /** Woken (or forked) → running, in ns. */
  wakeupLatency: Percentiles;
  /** Any runnable → running (preemptions included), in ns. */
  wait: Percentiles;
}

export interface GroupStats {
  name: string;
  pids: number[];
  runtimeNs: number;
  wakeupLatency: Percentiles;
  wait: Percentiles;
  /** The longest wakeup latency: which task, how long (ns), and when its wait began. */
  worstWakeup?: { pid: number; latency: number; wokenAt: number };
}

export interface CpuStats {
  cpu: number;
  busyNs: number;
  utilization: number;
  switches: number;
}

export interface FairnessEntry {
  /** The pid (by: "weight") or cgroup path (by: "cgroup"). */
  key: string;
  weight: number;
  weightShare: number;
  runtimeShare: number;
  /** runtimeShare / weightShare: 1 is exactly fair. */
  ratio: number;
}

export interface Fairness {
  by: 'weight' | 'cgroup';
  entries: FairnessEntry[];
  /** Largest |ratio - 1|. */
  maxError: number;
}

export interface EventQuery {
  kind?: SimEventKind | readonly SimEventKind[];
  /** For op events: the sched_ext_ops member ("enqueue", "dispatch", …). */
  op?: string;
  pid?: number;
  cpu?: number;
  from?: Time;
  to?: Time;
  limit?: number;
}

export interface DsqDepth {
  dsq: string;
  label: string;
  /** Step series: depth[i] holds from t[i] until t[i + 1]. */
  t: number[];
  depth: number[];
  max: number;
}

/** The setup module of a run: its file and hash, what it printed (virtual time, ns), and its failure after attach. */
export interface SetupReport {
  file: string;
  sha256: string;
  log: { t: number; text: string }[];
  failure?: string;
}

/** What the run knew at its end that the trace does not: groups, cgroup weights, the setup module's log. */
export interface RunFacts {
  groupOfPid: Map<number, string>;
  cgroupWeights: Map<string, number>;
  setup?: SetupReport;
}

export class RunResult {
  private reader?: TraceReader;
  private closed = false;

  constructor(
    readonly info: RunInfo,
    readonly summary: RunSummary,
    /** The recorded trace (scxray replay / the UI open it). */
    readonly tracePath: string,
    private readonly keepTrace: boolean,
    private readonly latencies: TaskLatencyCollector,
    private readonly facts: RunFacts,
    private readonly resim: Resimulator,
    private readonly tempDir?: string,
    /** The run stopped at RunOptions.maxEvents before its duration. */
    readonly truncated = false,
  ) {}

  get exit(): ExitInfo & { ejected: boolean } {
    return this.summary.exit;
  }

  /** Whether the scheduler was ejected (error exit, stall, …) before the end. */
  get ejected(): boolean {
    return this.summary.exit.ejected;
  }

  get diagnostics(): Diagnostic[] {
    return this.summary.diagnostics;
  }

  get durationNs(): number {
    return this.summary.durationNs;
  }

  /** The setup module's report, when the scheduler was opened with one. */
  get setup(): SetupReport | undefined {
    return this.facts.setup;
  }

  tasks(): TaskStats[] {
    return this.summary.tasks.map((t) => ({
      ...t,
      group: this.facts.groupOfPid.get(t.pid),
      wakeupLatency: percentilesOf(this.latencies.wakeupSamples(t.pid)),
      wait: percentilesOf(this.latencies.waitSamples(t.pid)),
    }));
  }

  /** By pid, or by comm (the first task with it). */
  task(which: number | string): TaskStats {
    const t = this.tasks().find((x) => (typeof which === 'number' ? x.pid === which : x.comm === which));
    if (!t) throw new ApiError('task', `no task ${typeof which === 'number' ? `with pid ${which}` : `named "${which}"`} in this run`);
    return t;
  }

  /** A workload group's tasks together: latency percentiles over all their samples. */
  group(name: string): GroupStats {
    const pids = [...this.facts.groupOfPid].filter(([, g]) => g === name).map(([pid]) => pid).sort((a, b) => a - b);
    if (pids.length === 0) {
      const names = [...new Set(this.facts.groupOfPid.values())];
      throw new ApiError('group', `no task of group "${name}" ran (groups with tasks: ${names.join(', ') || 'none'})`);
    }
    const set = new Set(pids);
    return {
      name,
      pids,
      runtimeNs: this.summary.tasks.filter((t) => set.has(t.pid)).reduce((a, t) => a + t.runtimeNs, 0),
      wakeupLatency: percentilesOf(pids.flatMap((p) => this.latencies.wakeupSamples(p))),
      wait: percentilesOf(pids.flatMap((p) => this.latencies.waitSamples(p))),
      worstWakeup: this.latencies.worstWakeup(pids),
    };
  }

  cpus(): CpuStats[] {
    return this.summary.cpus;
  }

  /** Mean busy fraction over all CPUs (0..1). */
  utilisation(): number {
    const c = this.summary.cpus;
    return c.length ? c.reduce((a, x) => a + x.utilization, 0) / c.length : 0;
  }

  /**
   * Runtime share against weight share among the CPU-bound tasks (those
   * runnable the whole run, as the summary defines them): by task weight, or
   * summed per cgroup against the cgroups' cpu.weight.
   */
  fairness(by: 'weight' | 'cgroup' = 'weight'): Fairness {
    if (by === 'weight') {
      const entries = this.summary.fairness.map((f) => ({
        key: String(f.pid),
        weight: this.summary.tasks.find((t) => t.pid === f.pid)?.weight ?? 0,
        weightShare: f.weightShare,
        runtimeShare: f.runtimeShare,
        ratio: f.ratio,
      }));
      return { by, entries, maxError: this.summary.fairnessMaxError };
    }
    const hogs = new Set(this.summary.fairness.map((f) => f.pid));
    const runtime = new Map<string, number>();
    for (const t of this.summary.tasks) if (hogs.has(t.pid)) runtime.set(t.cgroup ?? '/', (runtime.get(t.cgroup ?? '/') ?? 0) + t.runtimeNs);
    const wsum = [...runtime.keys()].reduce((a, cg) => a + (this.facts.cgroupWeights.get(cg) ?? 100), 0);
    const rsum = [...runtime.values()].reduce((a, r) => a + r, 0);
    const entries = [...runtime].sort(([a], [b]) => a.localeCompare(b)).map(([cg, r]) => {
      const weight = this.facts.cgroupWeights.get(cg) ?? 100;
      const weightShare = wsum > 0 ? weight / wsum : 0;
      const runtimeShare = rsum > 0 ? r / rsum : 0;
      return { key: cg, weight, weightShare, runtimeShare, ratio: weightShare > 0 ? runtimeShare / weightShare : 0 };
    });
    return { by, entries, maxError: entries.reduce((m, e) => Math.max(m, Math.abs(e.ratio - 1)), 0) };
  }

  private trace(): TraceReader {
    if (this.closed) throw new ApiError('run', 'this run was closed');
    this.reader ??= TraceReader.open(this.tracePath);
    return this.reader;
  }

  /** Events in order, filtered by kind (and op name), task, CPU and time window [from, to]. */
  events(q: EventQuery = {}): SimEvent[] {
    const kinds = q.kind === undefined ? undefined : new Set<string>(typeof q.kind === 'string' ? [q.kind] : q.kind);
    const t0 = q.from === undefined ? -Infinity : toNs(q.from, 'from');
    const t1 = q.to === undefined ? Infinity : toNs(q.to, 'to');
    const limit = q.limit ?? Infinity;
    const out: SimEvent[] = [];
    this.trace().forEachEvent((e) => {
      if (out.length >= limit) return;
      if (kinds && !kinds.has(e.kind)) return;
      if (q.op !== undefined && (e.kind !== 'op' || e.op !== q.op)) return;
      if (q.pid !== undefined && !eventHasPid(e, q.pid)) return;
      if (q.cpu !== undefined && !('cpu' in e && e.cpu === q.cpu)) return;
      out.push(e);
    }, t0, t1);
    return out;
  }

  /** DSQs that held tasks during the run: ids and labels ("GLOBAL", "LOCAL(0)", user DSQ ids in decimal). */
  dsqs(): { dsq: string; label: string }[] {
    const r = this.trace();
    return r.counters(r.startTime, r.endTime + 1, 1).map((s) => ({ dsq: s.dsq, label: s.label }));
  }

  /** Depth of one DSQ over the run, by id or label ("GLOBAL", "LOCAL(2)", "0"). */
  dsqDepth(dsq: string): DsqDepth {
    const r = this.trace();
    const all = r.counters(r.startTime, r.endTime + 1, 1);
    const s = all.find((x) => x.dsq === dsq || x.label === dsq || dsqName(x.dsq) === dsq);
    if (!s) throw new ApiError('dsq', `no DSQ "${dsq}" in this run (there are: ${all.map((x) => x.label).join(', ')})`);
    const t = Array.from(s.t);
    const depth = Array.from(s.value);
    return { dsq: s.dsq, label: s.label, t, depth, max: depth.reduce((m, v) => Math.max(m, v), 0) };
  }

  /** The recorded state at t from the trace (heap field values as of the last keyframe; see fieldsAt). */
  stateAt(t: Time): SimSnapshot {
    return this.trace().stateAt(toNs(t, 'at'));
  }

  /** The full state at t by re-simulation: exact heap fields, globals and map values (see Instant). */
  at(t: Time): Instant {
    const ns = toNs(t, 'at');
    if (ns > this.durationNs) throw new ApiError('at', `${ns} ns is after the end of the run (${this.durationNs} ns)`);
    return this.resim.at(ns);
  }

  heapAt(t: Time): HeapObjectSnapshot[] {
    return this.at(t).heap;
  }

  globalsAt(t: Time): Record<string, GlobalValue> {
    return this.at(t).globals();
  }

  mapAt(t: Time, name: string): MapEntry[] {
    return this.at(t).map(name);
  }

  /** Close the trace; a trace recorded to a temporary directory (no `record` option) is deleted. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.reader?.close();
    if (!this.keepTrace && this.tempDir) rmSync(this.tempDir, { recursive: true, force: true });
  }
}

function eventHasPid(e: SimEvent, pid: number): boolean {
  switch (e.kind) {
    case 'switch': return e.prevPid === pid || e.nextPid === pid;
    case 'task_new': case 'task_exit': case 'task_state': case 'op': case 'dsq_insert': case 'dsq_remove': return e.pid === pid;
    default: return false;
  }
}
