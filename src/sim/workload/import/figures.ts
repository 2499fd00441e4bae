// The figures a comparison puts side by side, computed the same way from any
// scheduling trace — an imported one (what the kernel's scheduler did) or one
// recorded from a simulated run (export/sched_recorder.ts): per task its
// runtime, runnable wait, wakeup latency percentiles, runs and migrations
// (consecutive runs on different CPUs), and per CPU the busy fraction.

import type { SchedTrace } from './sched_trace';
import { percentiles, type Percentiles } from '../../summary';

export { percentiles, type Percentiles };


export interface TaskFigures {
  pid: number;
  comm: string;
  kthread: boolean;
  runtimeNs: number;
  /** Runnable but not running: from a wakeup or a preemption to the next switch-in. */
  waitNs: number;
  /** Wakeup → switch-in, per wakeup from a block. */
  wakeLatencyNs: Percentiles;
  runs: number;
  migrations: number;
}

export interface TraceFigures {
  spanNs: number;
  cpus: { cpu: number; busyNs: number; utilization: number }[];
  tasks: TaskFigures[];
  /** Over every task's wakeups. */
  wakeLatencyNs: Percentiles;
  /** Every wakeup latency sample (ns), for histograms. */
  wakeLatencySamples: Float64Array;
  migrations: number;
}


interface TaskState {
  runStart: number;
  readySince: number;
  woken: boolean;
  lastCpu: number;
  runtime: number;
  wait: number;
  runs: number;
  migrations: number;
  lat: number[];
}

/** Figures over [from, to) of the trace (default: all of it); `include` picks tasks (default: all but idle). */
export function traceFigures(trace: SchedTrace, opts: { include?: (pid: number) => boolean; from?: number; to?: number } = {}): TraceFigures {
  const from = opts.from ?? trace.startNs;
  const to = opts.to ?? trace.endNs;
  const include = opts.include ?? (() => true);
  const st = new Map<number, TaskState>();
  const get = (pid: number): TaskState => {
    let s = st.get(pid);
    if (!s) {
      s = { runStart: -1, readySince: -1, woken: false, lastCpu: -1, runtime: 0, wait: 0, runs: 0, migrations: 0, lat: [] };
      st.set(pid, s);
    }
    return s;
  };
  const ncpu = trace.machine.cpus;
  const curr = new Int32Array(ncpu).fill(-1);
  const since = new Float64Array(ncpu).fill(from);
  const busy = new Float64Array(ncpu);
  const clip = (a: number, b: number): number => Math.max(0, Math.min(b, to) - Math.max(a, from));
  for (const e of trace.events) {
    if (e.t > to) break;
    if (e.kind === 'switch') {
      const c = e.cpu;
      const cpuSince = c < ncpu ? since[c]! : from;
      if (c < ncpu) {
        const was = curr[c]! >= 0 ? curr[c]! : e.prevPid;
        if (was !== 0) busy[c]! += clip(since[c]!, e.t);
        curr[c] = e.nextPid;
        since[c] = e.t;
      }
      if (e.prevPid !== 0) {
        const p = get(e.prevPid);
        // not seen switched in: on this CPU since its last switch (the trace start when it had none)
        p.runtime += clip(p.runStart >= 0 ? p.runStart : cpuSince, e.t);
        p.runStart = -1;
        p.lastCpu = c;
        p.readySince = e.prevState.startsWith('R') ? e.t : -1;
        p.woken = false;
      }
      if (e.nextPid !== 0) {
        const n = get(e.nextPid);
        if (n.readySince >= 0) {
          n.wait += clip(n.readySince, e.t);
          if (n.woken && e.t >= from) n.lat.push(e.t - n.readySince);
        }
        if (e.t >= from) {
          n.runs++;
          if (n.lastCpu >= 0 && n.lastCpu !== c) n.migrations++;
        }
        n.lastCpu = c;
        n.readySince = -1;
        n.woken = false;
        n.runStart = e.t;
      }
    } else if (e.kind === 'wakeup') {
      const p = get(e.pid);
      // the first of sched_waking / sched_wakeup for a blocked task; a task still on its CPU was not blocked
      if (p.runStart < 0 && p.readySince < 0) {
        p.readySince = e.t;
        p.woken = true;
      }
    }
  }
  for (let c = 0; c < ncpu; c++) if (curr[c]! > 0) busy[c]! += clip(since[c]!, to);
  const tasks: TaskFigures[] = [];
  const all: number[] = [];
  let migrations = 0;
  for (const [pid, s] of [...st].sort((a, b) => a[0] - b[0])) {
    if (!include(pid)) continue;
    if (s.runStart >= 0) s.runtime += clip(s.runStart, to);
    else if (s.readySince >= 0) s.wait += clip(s.readySince, to);
    const t = trace.tasks.get(pid);
    tasks.push({
      pid, comm: t?.comm ?? `pid${pid}`, kthread: t?.kthread ?? false, runtimeNs: s.runtime, waitNs: s.wait,
      wakeLatencyNs: percentiles(s.lat), runs: s.runs, migrations: s.migrations,
    });
    for (const l of s.lat) all.push(l);
    migrations += s.migrations;
  }
  const span = Math.max(0, to - from);
  return {
    spanNs: span,
    cpus: Array.from(busy, (b, cpu) => ({ cpu, busyNs: b, utilization: span > 0 ? b / span : 0 })),
    tasks,
    wakeLatencyNs: percentiles(all),
    wakeLatencySamples: Float64Array.from(all),
    migrations,
  };
}
