// Candidate reductions of a failing fuzz workload, biggest first: drop a
// task group (and the steps of other groups that name it), drop hotplug
// events and cgroups, cut task counts, drop steps, make random durations
// fixed, clear nice/affinity/cgroup/start offsets, and halve the machine.
// The fuzzer keeps the first candidate that still fails the same way and
// starts over, until none does (greedy delta debugging).

import type { FuzzGroup, FuzzWorkload } from './generate';

export interface FuzzCase {
  workload: FuzzWorkload;
  cpus: number;
}

const clone = <T>(x: T): T => structuredClone(x);

/** Steps that refer to another group by name. */
function stepTarget(s: Record<string, unknown>): string | undefined {
  if (typeof s.wake === 'string') return s.wake;
  if (typeof s.fork === 'string') return s.fork;
  const r = s.renice as { group?: string } | undefined;
  return r?.group;
}

function stepCgroup(s: Record<string, unknown>): string | undefined {
  if (typeof s.cgroup === 'string') return s.cgroup;
  const w = s.cgroupWeight as { path?: string } | undefined;
  return w?.path;
}

/** Remove groups by name, then steps naming removed groups; groups left with no steps go too (repeat until stable). */
function withoutGroups(w: FuzzWorkload, names: Set<string>): FuzzWorkload | undefined {
  const out = clone(w);
  for (;;) {
    out.groups = out.groups.filter((g) => !names.has(g.name));
    let more = false;
    for (const g of out.groups) {
      g.steps = g.steps.filter((s) => !names.has(stepTarget(s) ?? ''));
      if (g.steps.length === 0) {
        names.add(g.name);
        more = true;
      }
    }
    if (!more) break;
  }
  return out.groups.length ? out : undefined;
}

function withoutCgroup(w: FuzzWorkload, path: string): FuzzWorkload | undefined {
  const out = clone(w);
  out.cgroups = (out.cgroups ?? []).filter((c) => c.path !== path);
  if (out.cgroups.length === 0) delete out.cgroups;
  for (const g of out.groups) {
    if (g.cgroup === path) delete g.cgroup;
    g.steps = g.steps.filter((s) => stepCgroup(s) !== path);
    if (g.steps.length === 0) return undefined;
  }
  return out;
}

function fixedDurations(steps: Record<string, unknown>[]): Record<string, unknown>[] | undefined {
  let changed = false;
  const out = steps.map((s) => {
    for (const k of ['run', 'sleep'] as const) {
      const d = s[k] as { dist?: string; mean?: string; value?: string; min?: string } | string | undefined;
      if (d && typeof d === 'object' && d.dist !== 'fixed') {
        changed = true;
        return { [k]: d.mean ?? d.min ?? d.value ?? '1ms' };
      }
    }
    return s;
  });
  return changed ? out : undefined;
}

/**
 * Steps that take virtual time. A group without one loops at one instant
 * (two such tasks waking each other ping-pong forever; the simulator burns
 * 1 ms per 1000 steps), which exercises the simulator, not the scheduler.
 */
const TIMED = ['run', 'sleep', 'period'];

/** Whether every group's loop takes time: shrinking never produces a zero-time loop, which tests the simulator rather than the scheduler. */
export function loopsTakeTime(w: FuzzWorkload): boolean {
  return w.groups.every((g) => g.steps.some((s) => TIMED.some((k) => k in s)));
}

export function* candidates(c: FuzzCase): Generator<FuzzCase> {
  const w = c.workload;
  const mk = (workload: FuzzWorkload | undefined, cpus = c.cpus): FuzzCase | undefined => (workload ? { workload, cpus } : undefined);
  const all: (() => FuzzCase | undefined)[] = [];
  // whole groups (a template goes with its forker when nothing else forks it)
  for (const g of w.groups) all.push(() => mk(withoutGroups(w, new Set([g.name]))));
  if (w.hotplug?.length) all.push(() => mk({ ...clone(w), hotplug: undefined }));
  for (const cg of w.cgroups ?? []) all.push(() => mk(withoutCgroup(w, cg.path)));
  if (c.cpus > 1) all.push(() => mk(clone(w), Math.max(1, c.cpus >> 1)));
  const edit = (i: number, f: (g: FuzzGroup) => boolean) => () => {
    const out = clone(w);
    return f(out.groups[i]!) ? mk(out) : undefined;
  };
  w.groups.forEach((g, i) => {
    const n = g.count ?? 1;
    if (n > 1) all.push(edit(i, (x) => ((x.count = 1), true)));
    if (n > 2) all.push(edit(i, (x) => ((x.count = n >> 1), true)));
    if (n > 1) all.push(edit(i, (x) => ((x.count = n - 1), true)));
    if (g.steps.length > 1) g.steps.forEach((_, j) => all.push(edit(i, (x) => (x.steps.splice(j, 1), true))));
    all.push(edit(i, (x) => {
      const f = fixedDurations(x.steps);
      if (f) x.steps = f;
      return f !== undefined;
    }));
    for (const k of ['nice', 'cpus', 'cgroup', 'start', 'stagger', 'repeat'] as const) {
      if (g[k] !== undefined) all.push(edit(i, (x) => (delete x[k], true)));
    }
  });
  for (const f of all) {
    const r = f();
    if (r && loopsTakeTime(r.workload)) yield r;
  }
}

/** Tasks the workload starts with and may fork (templates count their fork steps' totals once). */
export function taskCount(c: FuzzCase): number {
  return c.workload.groups.filter((g) => !g.template).reduce((a, g) => a + (g.count ?? 1), 0);
}
