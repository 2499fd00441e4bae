// A simulated run's figures from its events, measured like the importer
// measures the original trace (sim/workload/import/figures.ts): wakeup
// latency from a task becoming runnable after sleeping (or new) to its next
// switch-in, per-CPU busy time, migrations (consecutive runs on different
// CPUs). And the log-scale histogram both sides are drawn with.

import type { SimEvent } from '../../model/events';

export function wakeLatencies(events: readonly SimEvent[]): number[] {
  const state = new Map<number, string>();
  const wokenAt = new Map<number, number>();
  const out: number[] = [];
  for (const e of events) {
    if (e.kind === 'task_new') state.set(e.pid, 'new');
    else if (e.kind === 'task_state') {
      const before = state.get(e.pid);
      if (e.state === 'runnable' && (before === 'sleeping' || before === 'new') && !wokenAt.has(e.pid)) wokenAt.set(e.pid, e.t);
      state.set(e.pid, e.state);
    } else if (e.kind === 'switch' && e.nextPid !== 0) {
      const t = wokenAt.get(e.nextPid);
      if (t !== undefined) {
        out.push(e.t - t);
        wokenAt.delete(e.nextPid);
      }
    }
  }
  return out;
}

/** A simulated run's side of the comparison, from its events: per-CPU busy fraction over [0, endNs), migrations, wakeup latencies. */
export interface RunSide {
  utilization: number[];
  migrations: number;
  wakeLatencies: number[];
}

export function runSide(events: readonly SimEvent[], cpus: number, endNs: number): RunSide {
  const busy = new Array<number>(cpus).fill(0);
  const curr = new Array<number>(cpus).fill(0);
  const since = new Array<number>(cpus).fill(0);
  const lastCpu = new Map<number, number>();
  let migrations = 0;
  for (const e of events) {
    if (e.kind !== 'switch' || e.cpu >= cpus) continue;
    if (curr[e.cpu]! !== 0) busy[e.cpu]! += e.t - since[e.cpu]!;
    curr[e.cpu] = e.nextPid;
    since[e.cpu] = e.t;
    if (e.nextPid !== 0) {
      const before = lastCpu.get(e.nextPid);
      if (before !== undefined && before !== e.cpu) migrations++;
      lastCpu.set(e.nextPid, e.cpu);
    }
  }
  for (let c = 0; c < cpus; c++) if (curr[c]! !== 0) busy[c]! += Math.max(0, endNs - since[c]!);
  return { utilization: busy.map((b) => (endNs > 0 ? b / endNs : 0)), migrations, wakeLatencies: wakeLatencies(events) };
}

export interface LatencyHistogram {
  /** Bin i holds samples in [edges[i], edges[i+1]); the last bin is open-ended. */
  edges: number[];
  counts: number[];
  total: number;
}

/** Bins from 1 µs to 1 s, three per decade (1, 2, 5 × 10^k ns); below 1 µs goes to the first bin. */
export const LATENCY_EDGES: number[] = (() => {
  const e: number[] = [0];
  for (let d = 1e3; d < 1e9; d *= 10) e.push(d, 2 * d, 5 * d);
  e.push(1e9);
  return e;
})();

export function latencyHistogram(samples: ArrayLike<number>, edges: number[] = LATENCY_EDGES): LatencyHistogram {
  const counts = new Array<number>(edges.length).fill(0);
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]!;
    let b = edges.length - 1;
    while (b > 0 && v < edges[b]!) b--;
    counts[b]!++;
  }
  return { edges, counts, total: samples.length };
}
