// The timeline benchmark's data: a seeded, synthetic run of many slices held
// in the page, answered through the same Session interface (slices with the
// host's level of detail), so the benchmark measures the renderer alone.
// Opened with #bench-timeline=<slices> (see main.ts); never in normal use.
import type { RunSlices } from '../../protocol/contract';
import type { SimSnapshot } from '../../model/events';
import type { Session } from '../lib/session_client';
import { buildLanes, type SliceLanes } from '../lib/slice_lanes';
import { lodSlices } from '../lib/slice_lod';

/** xorshift32: deterministic across runs. */
function rng(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

export function syntheticRun(total: number, cpus: number, seed = 1): { lanes: SliceLanes; durationNs: number } {
  const r = rng(seed);
  const cpu = new Int32Array(total);
  const pid = new Int32Array(total);
  const start = new Float64Array(total);
  const end = new Float64Array(total);
  const t = new Float64Array(cpus);
  for (let i = 0; i < total; i++) {
    const c = i % cpus;
    const gap = r() < 0.3 ? r() * 200_000 : 0;
    const dur = 20_000 + Math.floor(r() * r() * 3_000_000);
    cpu[i] = c;
    pid[i] = 1 + Math.floor(r() * 300);
    start[i] = t[c]! + gap;
    end[i] = start[i]! + dur;
    t[c] = end[i]!;
  }
  let durationNs = 0;
  for (let c = 0; c < cpus; c++) durationNs = Math.max(durationNs, t[c]!);
  const all: RunSlices = { t0: 0, t1: durationNs, nsPerPx: 1, cpu, pid, start, end, merged: new Uint32Array(total).fill(1) };
  return { lanes: buildLanes(all, cpus), durationNs };
}

export function benchSession(lanes: SliceLanes, cpus: number, onQuery: (ms: number, slices: number) => void = () => {}): Session {
  const empty = (t: number): SimSnapshot => ({
    t,
    cpus: Array.from({ length: cpus }, (_, c) => ({ cpu: c, curr: 0, idle: true, local: [] })),
    dsqs: [],
    tasks: [],
    heap: [],
    roots: [],
    slots: [],
  });
  const call = async (method: string, params: unknown): Promise<unknown> => {
    const p = params as { t0: number; t1: number; nsPerPx: number; t: number };
    if (method === 'slices') {
      const t = performance.now();
      const r = lodSlices(lanes, p.t0, p.t1, p.nsPerPx);
      onQuery(performance.now() - t, r.start.length);
      return r;
    }
    if (method === 'stateAt') return empty(p.t);
    if (method === 'events') return { events: [], truncated: false };
    throw new Error(`${method} is not part of the timeline benchmark`);
  };
  return {
    transport: 'preload',
    call: call as Session['call'],
    on: () => () => {},
  };
}
