// A cgroup of the simulated hierarchy: the root "/" plus what the workload
// declares, each with a cpu.weight (1..10000, default 100). Its struct cgroup
// lives in VM memory with level and ancestors[] filled in, so
// bpf_cgroup_ancestor() and schedulers walking cgrp->ancestors work.

import type { Region } from '../../sched_ext/vm/memory';

export class SimCgroup {
  readonly children: SimCgroup[] = [];
  /** Whether ops.cgroup_init ran (cgroup_exit pairs with it). */
  initialized = false;
  bpfRefs = 0;
  /** Its struct css_set (dfl_cgrp = this cgroup), what task_struct.cgroups of its tasks points at; 0n when the kernel BTF has no css_set. */
  cssSet = 0n;

  constructor(
    readonly path: string,
    /** cgroup id (kernfs node id); the root is 1 as on cgroup2. */
    readonly id: number,
    public weight: number,
    readonly parent: SimCgroup | null,
    readonly region: Region,
    readonly ptr: bigint,
  ) {
    parent?.children.push(this);
  }

  get level(): number {
    return this.parent ? this.parent.level + 1 : 0;
  }

  /** Root first, self last (cgrp->ancestors[0..level]). */
  ancestors(): SimCgroup[] {
    return this.parent ? [...this.parent.ancestors(), this] : [this];
  }
}
