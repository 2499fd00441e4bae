// Run slices per CPU from a scheduling trace, as the UI draws the original
// under the simulated run: columnar arrays, times from the trace's start, the
// idle task left out.

import type { SchedTrace } from './sched_trace';

export interface TraceSlices {
  cpu: number[];
  pid: number[];
  start: number[];
  end: number[];
}

export function traceSlices(trace: SchedTrace): TraceSlices {
  const out: TraceSlices = { cpu: [], pid: [], start: [], end: [] };
  const t0 = trace.startNs;
  const on = new Map<number, { pid: number; t: number }>();
  const close = (cpu: number, t: number): void => {
    const cur = on.get(cpu);
    // zero-length runs stay: the trace proves the task was on the CPU (a healed lost switch), and the figures count them
    if (!cur || cur.pid === 0 || t < cur.t) return;
    out.cpu.push(cpu);
    out.pid.push(cur.pid);
    out.start.push(cur.t - t0);
    out.end.push(t - t0);
  };
  for (const e of trace.events) {
    if (e.kind !== 'switch') continue;
    // a CPU's first switch: its prev ran from the trace start
    if (!on.has(e.cpu)) on.set(e.cpu, { pid: e.prevPid, t: t0 });
    close(e.cpu, e.t);
    on.set(e.cpu, { pid: e.nextPid, t: e.t });
  }
  for (const cpu of on.keys()) close(cpu, trace.endNs);
  return out;
}
