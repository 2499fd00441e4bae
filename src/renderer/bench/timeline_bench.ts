// Mounts the timeline benchmark: a synthetic run of `total` slices on
// `cpus` CPUs; paint times and rectangles drawn go to window.__timelineBench.
import { mount } from 'svelte';
import { DebuggerState } from '../lib/debugger_state.svelte';
import TimelineBench from './TimelineBench.svelte';
import { benchSession, syntheticRun } from './synthetic_timeline';

export interface BenchRecord {
  total: number;
  cpus: number;
  buildMs: number;
  paints: { ms: number; maxRects: number; at: number }[];
  /** The synthetic host's slices queries (level of detail over all slices), on the page's thread too. */
  queries: { ms: number; slices: number }[];
}

export function startTimelineBench(target: HTMLElement, total: number, cpus: number): void {
  const built = performance.now();
  const run = syntheticRun(total, cpus);
  const record: BenchRecord = { total, cpus, buildMs: performance.now() - built, paints: [], queries: [] };
  (window as unknown as { __timelineBench: BenchRecord }).__timelineBench = record;
  const dbg = new DebuggerState();
  dbg.cpus = cpus;
  dbg.trace = {
    file: 'synthetic',
    info: { scheduler: 'synthetic', objectFile: '', objectSha256: '', workload: 'synthetic', seed: 1, machine: { cpus }, kernelVersion: '', scxrayVersion: '' },
    durationNs: run.durationNs,
    eventCount: total,
    counts: {},
    truncated: false,
  };
  dbg.view = { t0: 0, t1: run.durationNs };
  mount(TimelineBench, {
    target,
    props: {
      session: benchSession(run.lanes, cpus, (ms, slices) => record.queries.push({ ms, slices })),
      dbg,
      total,
      onpaint: (ms: number, rects: number[]) => record.paints.push({ ms, maxRects: Math.max(0, ...rects), at: performance.now() }),
    },
  });
}
