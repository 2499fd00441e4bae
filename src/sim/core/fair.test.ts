// The fair class above sched_ext: SCX_OPS_SWITCH_PARTIAL, preemption of
// sched_ext tasks by higher-class tasks, and ops.cpu_release/cpu_acquire.

import { describe, expect, it } from 'vitest';
import { testWorld } from '../testing/test_world';
import { dsqInsert } from './dispatch';
import { DSQ_GLOBAL, OpsFlag, SLICE_DFL } from '../kernel/consts';

const MS = 1_000_000;
const mixed = {
  name: 'mixed',
  groups: [
    { name: 'ext', count: 2, policy: 'ext', steps: [{ run: '100ms' }] },
    { name: 'norm', count: 1, policy: 'normal', steps: [{ run: '1ms' }, { sleep: '9ms' }] },
  ],
};
const enqueue = (core: Parameters<typeof dsqInsert>[0], a: readonly bigint[], task: (p: bigint) => Parameters<typeof dsqInsert>[1]) => {
  dsqInsert(core, task(a[0]!), DSQ_GLOBAL, SLICE_DFL, 0n);
};
const noop = () => {};

describe('the fair class above sched_ext', () => {
  it('with SCX_OPS_SWITCH_PARTIAL only SCHED_EXT tasks go through the BPF scheduler', () => {
    const { world, sched } = testWorld({ flags: OpsFlag.SWITCH_PARTIAL, ops: { enqueue, init_task: noop, enable: noop, running: noop } }, mixed, 1);
    world.machine.runUntil(100 * MS);
    world.machine.settle();
    const norm = [...world.core.tasks.values()].find((p) => p.comm.startsWith('norm'))!;
    const opsOnNorm = sched.calls.filter((c) => c.endsWith(` ${norm.pid}`)).map((c) => c.split(' ')[0]);
    // init_task runs for every task at fork; nothing else does for a task outside the ext class
    expect(opsOnNorm).toEqual(['init_task']);
    expect(norm.runtimeNs).toBe(10 * MS);
    expect(sched.calls.filter((c) => c.startsWith('enqueue')).length).toBeGreaterThan(0);
  });

  it('without SWITCH_PARTIAL every task, SCHED_NORMAL included, is on the BPF scheduler', () => {
    const { world, sched } = testWorld({ ops: { enqueue } }, mixed, 1);
    world.machine.runUntil(50 * MS);
    const norm = [...world.core.tasks.values()].find((p) => p.comm.startsWith('norm'))!;
    expect(sched.calls).toContain(`enqueue ${norm.pid}`);
  });

  it('a waking fair task takes the CPU from a sched_ext task: ops.cpu_release, then ops.cpu_acquire when sched_ext gets it back', () => {
    const { world, sched, events } = testWorld(
      { flags: OpsFlag.SWITCH_PARTIAL, ops: { enqueue, cpu_release: noop, cpu_acquire: noop, running: noop } },
      mixed,
      1,
    );
    world.machine.runUntil(95 * MS);
    const seq = sched.calls.filter((c) => c === 'cpu_release' || c === 'cpu_acquire');
    // the normal task wakes every 10 ms: ten release/acquire pairs, strictly alternating
    expect(seq.length).toBeGreaterThanOrEqual(18);
    seq.forEach((c, i) => expect(c).toBe(i % 2 === 0 ? 'cpu_release' : 'cpu_acquire'));
    // the preempted sched_ext task had slice left, so it resumed from the head of the local DSQ without ops.enqueue
    const enqueues = sched.calls.filter((c) => c.startsWith('enqueue')).length;
    expect(enqueues).toBeLessThan(12);
    const switches = events.filter((e) => e.kind === 'switch' && e.cpu === 0);
    expect(switches.length).toBeGreaterThan(18);
  });
});
