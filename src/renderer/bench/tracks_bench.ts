// Mounts the change-tracks benchmark (#bench-tracks=<objects>,<cpus>): a
// synthetic 10 s run on `cpus` CPUs with `objects` heap objects, the timeline
// over the change tracks; paint and draw times go to window.__tracksBench.
import { mount } from 'svelte';
import { DebuggerState } from '../lib/debugger_state.svelte';
import type { Session } from '../lib/session_client';
import TracksBench from './TracksBench.svelte';
import { benchSession, syntheticRun } from './synthetic_timeline';
import { syntheticTracks } from './synthetic_tracks';

export interface TracksBenchRecord {
  objects: number;
  cpus: number;
  durationNs: number;
  /** Timeline paints and change-track draws: when, how long, rows drawn. */
  paints: { ms: number; at: number }[];
  draws: { ms: number; rows: number; at: number }[];
  /** changeTracks answers built (ms in the page) and objects in each. */
  queries: { ms: number; objects: number }[];
}

/** Slices per CPU for about 10 s of synthetic run (slices average about 1 ms). */
const SLICES_PER_CPU = 12_500;

export function startTracksBench(target: HTMLElement, objects: number, cpus: number): void {
  const run = syntheticRun(SLICES_PER_CPU * cpus, cpus);
  const tracks = syntheticTracks(objects, run.durationNs);
  const record: TracksBenchRecord = { objects, cpus, durationNs: run.durationNs, paints: [], draws: [], queries: [] };
  (window as unknown as { __tracksBench: TracksBenchRecord }).__tracksBench = record;
  const lanes = benchSession(run.lanes, cpus);
  const session: Session = {
    ...lanes,
    call: (async (method: string, params: unknown) => {
      if (method === 'changeTracks') {
        const p = params as { t0: number; t1: number };
        const t = performance.now();
        const r = tracks.window(p.t0, p.t1);
        record.queries.push({ ms: performance.now() - t, objects: r.objects.id.length });
        return r;
      }
      return lanes.call(method as 'slices', params as never);
    }) as Session['call'],
  };
  const dbg = new DebuggerState();
  dbg.cpus = cpus;
  dbg.trace = {
    file: 'synthetic',
    info: { scheduler: 'synthetic', objectFile: '', objectSha256: '', workload: 'synthetic', seed: 1, machine: { cpus }, kernelVersion: '', scxrayVersion: '' },
    durationNs: run.durationNs,
    eventCount: 0,
    counts: {},
    truncated: false,
  };
  dbg.view = { t0: 0, t1: run.durationNs };
  mount(TracksBench, {
    target,
    props: {
      session,
      dbg,
      objects,
      onpaint: (ms: number) => record.paints.push({ ms, at: performance.now() }),
      ondraw: (ms: number, rows: number) => record.draws.push({ ms, rows, at: performance.now() }),
    },
  });
}
