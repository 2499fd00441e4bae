// scx's guard(rcu) (lib/cleanup.bpf.h) on the kernel's class_rcu_t
// (test/bpf/sim/rcu_guard.bpf.c): the accesses to ->lock are CO-RE
// relocations against the kernel BTF's class_rcu_t. Without the type they
// were poisoned and scx_layered's ops.init faulted at cleanup.bpf.h:119.

import { describe, expect, it } from 'vitest';
import { Simulation } from './simulation';
import { simFixture } from './testing/fixtures';

describe('class_rcu_t in the kernel BTF', () => {
  it('guard(rcu) relocates against it: no poisoned instruction, the guarded code runs', () => {
    const s = new Simulation({ objectBytes: simFixture('rcu_guard'), file: 'rcu_guard.bpf.o', workload: 'cpu-hogs', cpus: 2, seed: 1 });
    const relos = s.object.coreRelos.filter((r) => r.local.includes('class_rcu_t'));
    s.runFor(50_000_000);
    const sum = s.summary();
    const g = Object.fromEntries(s.runtime.globalValues().map((x) => [x.name, Number(x.value)]));
    s.unload();
    expect(relos.length).toBeGreaterThan(0);
    expect(relos.every((r) => !r.poisoned)).toBe(true);
    expect(sum.exit.kind).toBe('none');
    expect(sum.diagnostics).toEqual([]);
    expect(g.nr_guarded).toBeGreaterThan(0);
  });
});
