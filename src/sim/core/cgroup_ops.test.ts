// The cgroup and core-scheduling ops of struct sched_ext_ops that depend on
// kernel events other than task scheduling (kernel/sched/ext.c):
// scx_group_set_bandwidth → ops.cgroup_set_bandwidth (v6.17+),
// scx_group_set_idle → ops.cgroup_set_idle (v6.19+), scx_cgroup_can_attach's
// error path → ops.cgroup_cancel_move, and ops.core_sched_before, which the
// simulator never calls because it models no core scheduling.

import { describe, expect, it } from 'vitest';
import { AddressSpace } from '../../sched_ext/vm/memory';
import { createKernelEnv } from '../kernel/kernel_env';
import { World } from '../world';
import { WorkloadSpec } from '../workload/schema';
import { TsSched, type TsSchedSpec } from '../testing/ts_sched';
import { dsqInsert } from './dispatch';
import { DSQ_GLOBAL, SLICE_DFL } from '../kernel/consts';
import { QUOTA_MAX } from './cgroup_files';

const MS = 1_000_000;

function world(spec: TsSchedSpec, workload: unknown, version = '6.19.0', machine: { cpus: number; smt?: number } = { cpus: 2 }) {
  const sched = new TsSched(spec);
  const w = new World({ ops: sched, space: new AddressSpace(), kernel: createKernelEnv({ version }), workload: WorkloadSpec.parse(workload), machine, seed: 1 });
  sched.core = w.core;
  w.start();
  return { w, sched };
}

const enqueue: TsSchedSpec['ops'] = { enqueue: (core, a, task) => { dsqInsert(core, task(a[0]!), DSQ_GLOBAL, SLICE_DFL, 0n); } };

function cgroupWrites(steps: unknown[]) {
  return {
    name: 'cg-writes',
    cgroups: [{ path: '/a', weight: 100 }],
    groups: [{ name: 'admin', count: 1, cgroup: '/a', repeat: 1, steps: [{ run: '1ms' }, ...steps, { sleep: '1ms' }] }],
  };
}

describe('cgroup ops called where the kernel calls them', () => {
  it('scx_group_set_bandwidth: ops.cgroup_set_bandwidth(cgrp, period_us, quota_us, burst_us) on a cpu.max write that changes something; "max" is U64_MAX', () => {
    const calls: bigint[][] = [];
    const { w } = world({ ops: { ...enqueue, cgroup_set_bandwidth: (_core, a) => { calls.push(a.slice(1)); } } }, cgroupWrites([
      { cgroupBandwidth: { path: '/a', quotaUs: 50_000 } },
      { cgroupBandwidth: { path: '/a', quotaUs: 50_000 } },
      { cgroupBandwidth: { path: '/a', quotaUs: 'max', periodUs: 20_000, burstUs: 5_000 } },
    ]));
    w.machine.runUntil(20 * MS);
    expect(calls).toEqual([[100_000n, 50_000n, 0n], [20_000n, QUOTA_MAX, 5_000n]]);
  });

  it('ops.cgroup_set_bandwidth does not exist before v6.17: a v6.16 kernel never calls it', () => {
    let n = 0;
    const { w } = world({ ops: { ...enqueue, cgroup_set_bandwidth: () => { n++; } } }, cgroupWrites([{ cgroupBandwidth: { path: '/a', quotaUs: 50_000 } }]), '6.16.0');
    w.machine.runUntil(20 * MS);
    expect(n).toBe(0);
  });

  it('scx_group_set_idle: ops.cgroup_set_idle(cgrp, idle) on each cpu.idle write on v6.19+, never before', () => {
    const seen: bigint[] = [];
    const steps = [{ cgroupIdle: { path: '/a', idle: true } }, { cgroupIdle: { path: '/a', idle: false } }];
    const { w } = world({ ops: { ...enqueue, cgroup_set_idle: (_core, a) => { seen.push(a[1]!); } } }, cgroupWrites(steps));
    w.machine.runUntil(20 * MS);
    expect(seen).toEqual([1n, 0n]);
    const old: bigint[] = [];
    const o = world({ ops: { ...enqueue, cgroup_set_idle: (_core, a) => { old.push(a[1]!); } } }, cgroupWrites(steps), '6.18.0');
    o.w.machine.runUntil(20 * MS);
    expect(old).toEqual([]);
  });

  it('scx_cgroup_can_attach: a task whose ops.cgroup_prep_move failed is not cancelled (cgrp_moving_from is set only on success) and stays put; cgroup_cancel_move is never called (single-task moves, no other controller to fail the attach)', () => {
    const calls: string[] = [];
    const workload = {
      name: 'mover', cgroups: [{ path: '/a', weight: 100 }, { path: '/b', weight: 100 }],
      groups: [{ name: 'm', count: 1, cgroup: '/a', repeat: 3, steps: [{ run: '1ms' }, { cgroup: '/b' }, { sleep: '1ms' }] }],
    };
    const { w, sched } = world({
      ops: {
        ...enqueue,
        cgroup_prep_move: () => { calls.push('prep'); return -16; },
        cgroup_move: () => { calls.push('move'); },
        cgroup_cancel_move: () => { calls.push('cancel'); },
      },
    }, workload);
    w.machine.runUntil(20 * MS);
    expect(calls).toEqual(['prep', 'prep', 'prep']);
    expect(sched.calls.some((c) => c.startsWith('cgroup_cancel_move'))).toBe(false);
    expect([...w.core.tasks.values(), ...w.core.exitedTasks].map((p) => p.cgroup?.path)).toEqual(['/a']);
  });

  it('ops.core_sched_before is never called: the simulated machine models no core scheduling (no CONFIG_SCHED_CORE cookies or core-wide pick), even with SMT siblings', () => {
    let n = 0;
    const { w, sched } = world({ ops: { ...enqueue, core_sched_before: () => { n++; return true; } } }, {
      name: 'hogs', groups: [{ name: 'h', count: 6, steps: [{ run: '3ms' }, { sleep: '1ms' }] }],
    }, '6.19.0', { cpus: 4, smt: 2 });
    w.machine.runUntil(50 * MS);
    expect(sched.calls.filter((c) => c.startsWith('enqueue')).length).toBeGreaterThan(20);
    expect(n).toBe(0);
  });
});
