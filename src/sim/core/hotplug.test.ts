// CPU hotplug rules (ext.c handle_hotplug).

import { describe, expect, it } from 'vitest';
import { testWorld } from '../testing/test_world';
import { dsqInsert } from './dispatch';
import { DSQ_GLOBAL, SLICE_DFL } from '../kernel/consts';

const MS = 1_000_000;
const workload = (extra: object = {}) => ({
  name: 'hp',
  hotplug: [{ at: '10ms', cpu: 1, online: false }, { at: '30ms', cpu: 1, online: true }],
  groups: [{ name: 'w', count: 4, steps: [{ run: '3ms' }, { sleep: '1ms' }] }],
  ...extra,
});
const enqueue = (core: Parameters<typeof dsqInsert>[0], a: readonly bigint[], task: (p: bigint) => Parameters<typeof dsqInsert>[1]) => {
  dsqInsert(core, task(a[0]!), DSQ_GLOBAL, SLICE_DFL, 0n);
};

describe('CPU hotplug', () => {
  it('a scheduler without ops.cpu_offline is exited with SCX_ECODE_ACT_RESTART | SCX_ECODE_RSN_HOTPLUG', () => {
    const { world } = testWorld({ ops: { enqueue } }, workload(), 2);
    world.machine.runUntil(20 * MS);
    expect(world.core.exitInfo?.kind).toBe('SCX_EXIT_UNREG_KERN');
    expect(world.core.exitInfo?.message).toBe('cpu 1 going offline, exiting scheduler');
    expect(world.core.exitCode).toBe((1n << 48n) | (1n << 32n));
  });

  it('with ops.cpu_offline/cpu_online the CPU runs nothing while offline and its tasks move to online CPUs', () => {
    const { world, sched, events } = testWorld({ ops: { enqueue, cpu_offline: () => {}, cpu_online: () => {} } }, workload(), 2);
    world.machine.runUntil(50 * MS);
    expect(world.core.exitPending).toBeUndefined();
    expect(sched.calls.filter((c) => c.startsWith('cpu_'))).toEqual(['cpu_offline', 'cpu_online']);
    const onCpu1 = events.filter((e) => e.kind === 'switch' && e.cpu === 1 && e.nextPid !== 0 && e.t > 10 * MS && e.t < 30 * MS);
    expect(onCpu1).toEqual([]);
    const after = events.filter((e) => e.kind === 'switch' && e.cpu === 1 && e.nextPid !== 0 && e.t >= 30 * MS);
    expect(after.length).toBeGreaterThan(0);
  });

  it('a task pinned to a CPU that goes offline has its affinity widened (select_fallback_rq)', () => {
    const { world } = testWorld(
      { ops: { enqueue, cpu_offline: () => {}, cpu_online: () => {} } },
      workload({ hotplug: [{ at: '5ms', cpu: 1, online: false }], groups: [{ name: 'p', count: 1, cpus: [1], steps: [{ run: '2ms' }, { sleep: '1ms' }] }] }),
      2,
    );
    world.machine.runUntil(40 * MS);
    world.machine.settle();
    const p = [...world.core.tasks.values()][0]!;
    expect(p.nrAllowed).toBe(2);
    expect(p.runtimeNs).toBeGreaterThan(20 * MS);
    expect(world.core.exitPending).toBeUndefined();
  });
});
