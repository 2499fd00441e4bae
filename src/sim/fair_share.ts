// The share of CPU time a task is entitled to among CPU-bound competitors,
// as the kernel's weighted fair scheduling divides it through the cgroup
// hierarchy (cpu.weight): at each cgroup the share is split among the tasks
// directly in it (by task weight) and its child cgroups that hold
// competitors (by cpu.weight), recursively, so a task's share is its weight
// share within its cgroup times its cgroup's share among its siblings, up to
// the root. Task weights and cpu.weight use the same scale (100 = nice 0 =
// the default cpu.weight), as CFS compares a group entity's shares with its
// tasks' weights. The cgroup and weights are those at the end of the run.
// Without cgroups (every task in the root) this is the task-weight share.

import type { SimCgroup } from './core/cgroup';

export interface ShareTask {
  pid: number;
  weight: number;
  cgroup: SimCgroup | null;
}

/** Expected share by pid (they sum to 1 over `tasks`, or are all 0 when no task has weight). */
export function expectedShares(tasks: readonly ShareTask[]): Map<number, number> {
  const out = new Map<number, number>();
  /** Tasks of each cgroup (null = root) and the child cgroups that hold some of them, in first-seen order. */
  const direct = new Map<SimCgroup | null, ShareTask[]>();
  const kids = new Map<SimCgroup | null, SimCgroup[]>();
  // the root cgroup object and "no cgroup" are the same node
  const nodeOf = (cg: SimCgroup | null): SimCgroup | null => (cg && cg.parent ? cg : null);
  for (const t of tasks) {
    const node = nodeOf(t.cgroup);
    (direct.get(node) ?? direct.set(node, []).get(node)!).push(t);
    // link the cgroup up to the root
    for (let c = node; c !== null; c = nodeOf(c.parent)) {
      const parent = nodeOf(c.parent);
      const list = kids.get(parent) ?? kids.set(parent, []).get(parent)!;
      if (list.includes(c)) break;
      list.push(c);
    }
  }
  const split = (node: SimCgroup | null, share: number): void => {
    const ts = direct.get(node) ?? [];
    const cs = kids.get(node) ?? [];
    const total = ts.reduce((a, t) => a + t.weight, 0) + cs.reduce((a, c) => a + c.weight, 0);
    for (const t of ts) out.set(t.pid, total > 0 ? (share * t.weight) / total : 0);
    for (const c of cs) split(c, total > 0 ? (share * c.weight) / total : 0);
  };
  split(null, 1);
  return out;
}

/** Whether any competitor sits below the root cgroup (the hierarchy changes the expected shares). */
export function usesCgroups(tasks: readonly ShareTask[]): boolean {
  return tasks.some((t) => t.cgroup !== null && t.cgroup.parent !== null);
}
