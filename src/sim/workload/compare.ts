// A run of an imported workload beside the trace it came from: the same
// figures (import/figures.ts) for the original — what the traced kernel's
// scheduler did, usually EEVDF — and for the simulated run, task by task
// (matched through each group's trace pid) over the same span from the
// start.

import type { ScxCore } from '../core/scx_core';
import { traceFigures, type TaskFigures, type TraceFigures } from './import/figures';
import type { SchedTrace } from './import/sched_trace';

export interface TaskComparison {
  /** The traced task's pid; the simulated task's pid where it was created. */
  tracePid: number;
  simPid?: number;
  comm: string;
  original?: TaskFigures;
  simulated?: TaskFigures;
}

export interface RunComparison {
  source: string;
  format: string;
  tracedCpus: number;
  simulatedCpus: number;
  spanNs: number;
  original: TraceFigures;
  simulated: TraceFigures;
  tasks: TaskComparison[];
  warnings: string[];
}

/** The traced pids a workload replays (its groups' trace.pid). */
export function replayedPids(groups: readonly { trace?: { pid: number } }[]): Set<number> {
  return new Set(groups.flatMap((g) => (g.trace ? [g.trace.pid] : [])));
}

/** Simulated pid → traced pid, for the tasks of imported groups (group.trace.pid). */
export function simToTracePids(core: ScxCore): Map<number, number> {
  const out = new Map<number, number>();
  for (const p of [...core.tasks.values(), ...core.exitedTasks]) {
    const pid = p.behaviour?.group.trace?.pid;
    if (pid !== undefined) out.set(p.pid, pid);
  }
  return out;
}

/**
 * `replayed`: the traced pids the workload replays (its groups' trace.pid), so
 * the original side counts every one of them even where the run never
 * created the task (a fork it did not reach); default: those it created.
 */
export function compareRun(original: SchedTrace, simulated: SchedTrace, simToTrace: Map<number, number>, durationNs: number, replayed?: Set<number>): RunComparison {
  const traced = replayed ?? new Set(simToTrace.values());
  const span = Math.min(durationNs, original.endNs - original.startNs);
  const orig = traceFigures(original, { include: (pid) => traced.has(pid), from: original.startNs, to: original.startNs + span });
  const sim = traceFigures(simulated, { include: (pid) => simToTrace.has(pid), from: 0, to: span });
  const bySim = new Map(sim.tasks.map((t) => [simToTrace.get(t.pid)!, t]));
  const simPidOf = new Map([...simToTrace].map(([s, t]) => [t, s]));
  const byOrig = new Map(orig.tasks.map((t) => [t.pid, t]));
  const pids = [...new Set([...byOrig.keys(), ...bySim.keys()])].sort((a, b) => a - b);
  const tasks = pids.map((pid) => ({
    tracePid: pid,
    ...(simPidOf.has(pid) ? { simPid: simPidOf.get(pid)! } : {}),
    comm: original.tasks.get(pid)?.comm ?? bySim.get(pid)?.comm ?? `pid${pid}`,
    ...(byOrig.has(pid) ? { original: byOrig.get(pid)! } : {}),
    ...(bySim.has(pid) ? { simulated: bySim.get(pid)! } : {}),
  }));
  const warnings: string[] = [];
  if (simulated.machine.cpus !== original.machine.cpus) {
    warnings.push(`the trace is from ${original.machine.cpus} CPUs but the run simulated ${simulated.machine.cpus} (pass --cpus ${original.machine.cpus})`);
  }
  if (durationNs < original.endNs - original.startNs) {
    warnings.push(`the run (${(durationNs / 1e6).toFixed(1)} ms) is shorter than the trace (${((original.endNs - original.startNs) / 1e6).toFixed(1)} ms): both are compared over the first ${(span / 1e6).toFixed(1)} ms`);
  }
  return {
    source: original.source,
    format: original.format,
    tracedCpus: original.machine.cpus,
    simulatedCpus: simulated.machine.cpus,
    spanNs: span,
    original: orig,
    simulated: sim,
    tasks,
    warnings,
  };
}
