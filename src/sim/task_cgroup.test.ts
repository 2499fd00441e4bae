// task_struct.cgroups (test/bpf/sim/task_cgroup.bpf.c): each cgroup has a
// css_set whose dfl_cgrp is the cgroup, and a task's cgroups points at its
// cgroup's, so p->cgroups->dfl_cgrp names the same cgroup as
// scx_bpf_task_cgroup(). scx_layered reads it and faulted on the NULL
// pointer before.

import { describe, expect, it } from 'vitest';
import { Simulation } from './simulation';
import { simFixture } from './testing/fixtures';

describe('task_struct.cgroups', () => {
  it('p->cgroups->dfl_cgrp is the task\'s cgroup, in and below the root', () => {
    const s = new Simulation({ objectBytes: simFixture('task_cgroup'), file: 'task_cgroup.bpf.o', workload: 'cgroups', cpus: 4, seed: 1 });
    s.runFor(100_000_000);
    const sum = s.summary();
    const g = Object.fromEntries(s.runtime.globalValues().map((x) => [x.name, Number(x.value)]));
    s.unload();
    expect(sum.exit.kind).toBe('none');
    expect(sum.diagnostics).toEqual([]);
    expect(g.nr_same).toBeGreaterThan(0);
    expect(g.nr_differ).toBe(0);
    expect(g.nr_nonroot).toBeGreaterThan(0);
    // kernfs names and parents: layered builds cgroup paths from them
    expect(g.nr_named).toBe(g.nr_nonroot);
    expect(g.nr_parent_kn).toBe(g.nr_nonroot);
  });
});
