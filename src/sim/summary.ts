// The run summary `scxray run --json` prints: per-task and per-CPU figures,
// scheduling latency percentiles, fairness (runtime share against the
// expected share among CPU-bound competitors, through the cgroup hierarchy), DSQ high-water marks, heap statistics
// and every diagnostic.

import type { Diagnostic, ExitInfo, HeapObjectSnapshot } from '../model/events';
import type { ScxCore } from './core/scx_core';
import type { SimTask } from './core/task';
import { expectedShares, usesCgroups } from './fair_share';

export interface TaskSummary {
  pid: number;
  comm: string;
  weight: number;
  cgroup?: string;
  runtimeNs: number;
  waitNs: number;
  runs: number;
  exited: boolean;
}

export interface RunSummary {
  scheduler: string;
  durationNs: number;
  /** Ran to the end: kind "none"; otherwise the exit that ejected the scheduler. */
  exit: ExitInfo & { ejected: boolean };
  tasks: TaskSummary[];
  cpus: { cpu: number; busyNs: number; utilization: number; switches: number }[];
  latencyNs: { p50: number; p99: number; max: number; samples: number };
  /**
   * Per task: runtime share / expected share among tasks that were runnable
   * the whole run (1 = fair). The expected share (weightShare) divides the
   * CPU through the cgroup hierarchy's cpu.weight when tasks sit in cgroups
   * (fair_share.ts), else by task weight; taskWeightShare is always the
   * plain task-weight share.
   */
  fairness: { pid: number; comm: string; weightShare: number; taskWeightShare: number; runtimeShare: number; ratio: number }[];
  /** What weightShare is computed from: the cgroup hierarchy, or task weights alone. */
  fairnessBy: 'cgroup' | 'task';
  /** Largest |ratio - 1| over `fairness`. */
  fairnessMaxError: number;
  dsqHighWater: { dsq: string; max: number }[];
  /** bpf_obj_new objects since load: allocated, freed, still live, and the live ones by type. */
  heap: { allocated: number; live: number; freed: number; byType: Record<string, number> };
  ops: { calls: number; insns: number };
  diagnostics: Diagnostic[];
}

/** The object heap as the summary needs it: live objects (by type) and lifetime counts (freed ones are no longer listed). */
export interface HeapSummarySource {
  objects: HeapObjectSnapshot[];
  stats: { allocated: number; freed: number; live: number };
}

/** p50/p90/p99/max by nearest rank, and how many samples there were. */
export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  samples: number;
}

/** The percentiles of unsorted samples. */
export function percentiles(samples: ArrayLike<number>): Percentiles {
  const sorted = Float64Array.from(samples).sort();
  return {
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    max: sorted.length ? sorted[sorted.length - 1]! : 0,
    samples: sorted.length,
  };
}

export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

export function summarize(
  core: ScxCore,
  durationNs: number,
  latencies: number[],
  heap: HeapSummarySource,
  diagnostics: Diagnostic[],
): RunSummary {
  const all: SimTask[] = [...core.tasks.values(), ...core.exitedTasks].sort((a, b) => a.pid - b.pid);
  const now = core.now();
  // a task still waiting at the end has waited since it became runnable
  const waitOf = (p: SimTask) => p.waitNs + (p.readySince >= 0 && p.state === 'runnable' ? now - p.readySince : 0);
  const tasks = all.map((p) => ({
    pid: p.pid, comm: p.comm, weight: p.weight, cgroup: p.cgroup?.path, runtimeNs: p.runtimeNs, waitNs: waitOf(p), runs: p.runs,
    exited: p.state === 'exited',
  }));
  // a numeric typed-array sort: the same order as sort((a, b) => a - b) for these (finite, non-negative) latencies, without a comparator call per step
  const sorted = Float64Array.from(latencies).sort();
  // CPU-bound competitors: alive all run long and never slept (wait + run covers the run)
  const hogs = all.filter((p) => p.state !== 'exited' && p.runtimeNs + waitOf(p) >= durationNs * 0.95);
  const wsum = hogs.reduce((a, p) => a + p.weight, 0);
  const rsum = hogs.reduce((a, p) => a + p.runtimeNs, 0);
  const byCgroup = usesCgroups(hogs);
  const expected = byCgroup ? expectedShares(hogs) : undefined;
  const fairness = hogs.map((p) => {
    const taskWeightShare = wsum > 0 ? p.weight / wsum : 0;
    const weightShare = expected ? expected.get(p.pid)! : taskWeightShare;
    const runtimeShare = rsum > 0 ? p.runtimeNs / rsum : 0;
    return { pid: p.pid, comm: p.comm, weightShare, taskWeightShare, runtimeShare, ratio: weightShare > 0 ? runtimeShare / weightShare : 0 };
  });
  const dsqs = [core.globalDsq, ...core.userDsqs.values(), ...core.cpus.map((c) => c.local)];
  const byType: Record<string, number> = {};
  for (const o of heap.objects) if (o.owner.kind !== 'freed') byType[o.type] = (byType[o.type] ?? 0) + 1;
  const { allocated, freed, live } = heap.stats;
  const exit = core.exitInfo
    ? { ...core.exitInfo, ejected: true }
    : { kind: 'none', reason: 'ran to the end', message: '', ejected: false };
  return {
    scheduler: core.ops.name,
    durationNs,
    exit,
    tasks,
    cpus: core.cpus.map((c) => ({ cpu: c.id, busyNs: c.busyNs, utilization: durationNs > 0 ? c.busyNs / durationNs : 0, switches: c.switches })),
    latencyNs: { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted[sorted.length - 1] ?? 0, samples: sorted.length },
    fairness,
    fairnessBy: byCgroup ? 'cgroup' : 'task',
    fairnessMaxError: fairness.reduce((m, f) => Math.max(m, Math.abs(f.ratio - 1)), 0),
    dsqHighWater: dsqs.filter((d) => d.highWater > 0).map((d) => ({ dsq: d.label, max: d.highWater })),
    heap: { allocated, live, freed, byType },
    ops: { calls: core.opCalls, insns: core.insns },
    diagnostics,
  };
}
