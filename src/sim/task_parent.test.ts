// task_struct's family pointers (test/bpf/sim/task_parent.bpf.c): real_parent
// and parent are never NULL (every simulated task is a child of CPU 0's idle
// task, pid 0, which bpf_task_from_pid does not find) and group_leader is the
// task itself. scx_lavd's ops.init_task reads p->real_parent->pid and was
// ejected on a NULL dereference before these were written.

import { describe, expect, it } from 'vitest';
import { Simulation } from './simulation';
import { simFixture } from './testing/fixtures';

describe('task_struct family pointers', () => {
  it('real_parent and parent are the idle task (pid 0), group_leader the task itself, for every task', () => {
    const s = new Simulation({ objectBytes: simFixture('task_parent'), file: 'task_parent.bpf.o', workload: 'fork-burst', cpus: 4, seed: 1 });
    s.runFor(200_000_000);
    const sum = s.summary();
    const g = Object.fromEntries(s.runtime.globalValues().map((x) => [x.name, Number(x.value)]));
    s.unload();
    expect(sum.exit.kind).toBe('none');
    expect(sum.diagnostics).toEqual([]);
    expect(g.nr_init).toBeGreaterThan(4);
    expect(g.nr_parent_pid0).toBe(g.nr_init);
    expect(g.nr_leader_self).toBe(g.nr_init);
    expect(g.nr_parent_found).toBe(0);
  });
});
