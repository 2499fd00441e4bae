// The per-run task cap applied to a workload once the machine size is known:
// `perCpu` groups scale with the CPU count, so the schema alone cannot bound
// them. Refused before any task is created, naming the group.

import { MAX_TASKS } from '../../base/limits';
import { WorkloadError } from './load';
import type { WorkloadGroup } from './schema';

/** Throw a WorkloadError naming the group that takes the initial tasks past MAX_TASKS. */
export function checkInitialTasks(groups: readonly WorkloadGroup[], countOf: (g: WorkloadGroup) => number, source: string): void {
  let total = 0;
  groups.forEach((g, gi) => {
    if (g.template) return;
    const n = countOf(g);
    total += n;
    if (total > MAX_TASKS) {
      const how = g.perCpu !== undefined ? `perCpu ${g.perCpu} gives ${n} tasks on this machine` : `count ${n}`;
      throw new WorkloadError(
        `${source}: groups.${gi} ("${g.name}"): ${how}, ${total} tasks in all, more than the ${MAX_TASKS}-task cap of one run; use fewer tasks or CPUs`,
        source,
      );
    }
  });
}
