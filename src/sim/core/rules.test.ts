// sched_ext core rules (kernel/sched/ext.c), each pinned with a small
// TypeScript scheduler so the rule, not a compiler, is under test.

import { describe, expect, it } from 'vitest';
import { testWorld, hogs } from '../testing/test_world';
import { dsqInsert, moveToLocal } from './dispatch';
import { DSQ_GLOBAL, DSQ_LOCAL, EnqFlag, SLICE_DFL } from '../kernel/consts';
import { kickCpu } from './schedule';

const MS = 1_000_000;

describe('sched_ext core rules', () => {
  it('without ops.enqueue every task goes to SCX_DSQ_GLOBAL and CPUs share it', () => {
    const { world } = testWorld({ ops: {} }, hogs(4), 2);
    world.machine.runUntil(400 * MS);
    world.machine.settle();
    const runtimes = [...world.core.tasks.values()].map((p) => p.runtimeNs);
    expect(runtimes.reduce((a, b) => a + b, 0)).toBe(800 * MS);
    for (const r of runtimes) expect(r).toBeGreaterThan(150 * MS);
    expect(world.core.exitPending).toBeUndefined();
  });

  it('select_cpu direct dispatch to SCX_DSQ_LOCAL skips enqueue', () => {
    const { world, sched } = testWorld({
      ops: {
        select_cpu: (core, a, task) => { dsqInsert(core, task(a[0]!), DSQ_LOCAL, SLICE_DFL, 0n); return a[1]!; },
        enqueue: (core, a, task) => { dsqInsert(core, task(a[0]!), DSQ_GLOBAL, SLICE_DFL, 0n); },
      },
    }, { name: 'sleepers', groups: [{ name: 's', count: 2, steps: [{ run: '1ms' }, { sleep: '5ms' }] }] }, 4);
    world.machine.runUntil(100 * MS);
    const selects = sched.calls.filter((c) => c.startsWith('select_cpu')).length;
    expect(selects).toBeGreaterThan(20);
    expect(sched.calls.filter((c) => c.startsWith('enqueue'))).toEqual([]);
  });

  it('slice expiry re-enqueues the task', () => {
    const { world, sched } = testWorld({
      ops: { enqueue: (core, a, task) => { dsqInsert(core, task(a[0]!), DSQ_GLOBAL, 5n * BigInt(MS), 0n); } },
    }, hogs(2), 1);
    world.machine.runUntil(100 * MS);
    const enq = sched.calls.filter((c) => c.startsWith('enqueue')).length;
    // two hogs alternate on one CPU every 5 ms slice: ~20 re-enqueues in 100 ms
    expect(enq).toBeGreaterThanOrEqual(19);
    expect(enq).toBeLessThanOrEqual(23);
  });

  it('watchdog ejects a scheduler that never dispatches', () => {
    const { world, events } = testWorld({ timeoutMs: 200, ops: { enqueue: () => {} } }, hogs(2), 1);
    world.machine.runUntil(1000 * MS);
    const exit = events.find((e) => e.kind === 'exit');
    expect(exit && exit.kind === 'exit' && exit.exit.kind).toBe('SCX_EXIT_ERROR_STALL');
    expect(world.core.disabled).toBe(true);
    // the fallback policy runs the tasks after the ejection
    world.machine.settle();
    for (const p of world.core.tasks.values()) expect(p.runtimeNs).toBeGreaterThan(100 * MS);
  });

  it('a buffered dispatch of a task that already left BPF custody is ignored (queue sequence rule)', () => {
    const held: bigint[] = [];
    let flushedTwice = false;
    const { world } = testWorld({
      ops: {
        enqueue: (_c, a) => { held.push(a[0]!); },
        dispatch: (core, _a, task) => {
          const ptr = held.shift();
          if (ptr === undefined) return;
          const p = task(ptr);
          // insert the same task twice: the first entry dispatches it, the second finds it no longer QUEUED
          dsqInsert(core, p, DSQ_GLOBAL, SLICE_DFL, 0n);
          dsqInsert(core, p, DSQ_GLOBAL, SLICE_DFL, 0n);
          flushedTwice = true;
        },
      },
    }, hogs(3, { steps: [{ run: '3ms' }, { sleep: '1ms' }] }), 1);
    world.machine.runUntil(60 * MS);
    expect(flushedTwice).toBe(true);
    expect(world.core.exitPending).toBeUndefined();
    // every task is in at most one place: on a DSQ, running, or held by the BPF side
    for (const p of world.core.tasks.values()) {
      const onDsqs = [world.core.globalDsq, ...world.core.cpus.map((c) => c.local)].filter((d) => d.tasks.includes(p)).length;
      expect(onDsqs).toBeLessThanOrEqual(1);
      if (world.core.cpus.some((c) => c.curr === p)) expect(onDsqs).toBe(0);
    }
    world.machine.settle();
    expect([...world.core.tasks.values()].reduce((a, p) => a + p.runtimeNs, 0)).toBeGreaterThan(40 * MS);
  });

  it('insertion into a non-existent DSQ ejects the scheduler', () => {
    const { world, events } = testWorld({ ops: { enqueue: (core, a, task) => { dsqInsert(core, task(a[0]!), 42n, SLICE_DFL, 0n); } } }, hogs(1), 1);
    world.machine.runUntil(10 * MS);
    const exit = events.find((e) => e.kind === 'exit');
    expect(exit?.kind === 'exit' && exit.exit.message).toMatch(/non-existent DSQ 0x2a/);
  });

  it('direct-dispatching twice from one ops.enqueue is an error', () => {
    const { world } = testWorld({
      ops: { enqueue: (core, a, task) => { dsqInsert(core, task(a[0]!), DSQ_GLOBAL, SLICE_DFL, 0n); dsqInsert(core, task(a[0]!), DSQ_GLOBAL, SLICE_DFL, 0n); } },
    }, hogs(1), 1);
    world.machine.runUntil(5 * MS);
    expect(world.core.exitInfo?.message).toMatch(/already direct-dispatched/);
  });

  it('vtime insertion into a built-in DSQ is refused', () => {
    const { world } = testWorld({ ops: { enqueue: (core, a, task) => { dsqInsert(core, task(a[0]!), DSQ_GLOBAL, SLICE_DFL, 0n, 5n); } } }, hogs(1), 1);
    world.machine.runUntil(5 * MS);
    expect(world.core.exitInfo?.message).toMatch(/cannot use vtime ordering for built-in DSQs/);
  });

  it('only ops.dispatch may move tasks to the local DSQ', () => {
    const { world } = testWorld({ ops: { enqueue: (core) => { moveToLocal(core, 7n); } } }, hogs(1), 1);
    world.machine.runUntil(5 * MS);
    expect(world.core.exitInfo?.kind).toBe('SCX_EXIT_ERROR');
    expect(world.core.exitInfo?.message).toMatch(/only ops.dispatch/);
  });

  it('a PREEMPT kick ends the running slice and the CPU picks again', () => {
    let kicked = false;
    const { world, sched } = testWorld({
      ops: {
        enqueue: (core, a, task) => { dsqInsert(core, task(a[0]!), DSQ_GLOBAL, 1_000n * BigInt(MS), 0n); },
        tick: (core) => { if (!kicked && core.now() >= 10 * MS) { kicked = true; kickCpu(core, 0, 2); } },
      },
    }, hogs(2), 1);
    world.machine.runUntil(30 * MS);
    // without the kick a 1 s slice would keep the first task on the CPU; the kick makes it re-enqueue
    expect(sched.calls.filter((c) => c.startsWith('enqueue')).length).toBe(3);
  });

  it('ops follow the task lifecycle order: init_task, enable, runnable, enqueue, running, stopping, quiescent, disable, exit_task', () => {
    const noop = () => {};
    const { world, sched } = testWorld({
      ops: { init_task: noop, enable: noop, runnable: noop, running: noop, stopping: noop, quiescent: noop, disable: noop, exit_task: noop,
        enqueue: (core, a, task) => { dsqInsert(core, task(a[0]!), DSQ_GLOBAL, SLICE_DFL, EnqFlag.HEAD & 0n); } },
    }, { name: 'one', groups: [{ name: 'a', count: 1, repeat: 1, steps: [{ run: '1ms' }] }] }, 1);
    world.machine.runUntil(10 * MS);
    expect(sched.calls).toEqual(['init_task 1', 'enable 1', 'runnable 1', 'enqueue 1', 'running 1', 'stopping 1', 'quiescent 1', 'disable 1', 'exit_task 1']);
  });

  it('an idle CPU claimed by select_cpu that ends up with nothing to run is marked idle again (idle to idle refresh)', () => {
    const { world } = testWorld({
      ops: {
        // claim CPU 1 for every wakeup but queue the task globally, so CPU 1 has nothing to run
        select_cpu: (core) => { core.idle.testAndClear(1); return 0; },
        enqueue: (core, a, task) => { dsqInsert(core, task(a[0]!), DSQ_GLOBAL, SLICE_DFL, 0n); },
      },
    }, { name: 's', groups: [{ name: 's', count: 1, steps: [{ run: '1ms' }, { sleep: '1ms' }] }] }, 2);
    world.machine.runUntil(20 * MS);
    expect(world.core.idle.isIdle(1)).toBe(false);
    // CPU 1 never ran anything and was never rescheduled since the claim: only a pass through schedule refreshes it
    world.machine.resched(1);
    world.machine.runUntil(21 * MS);
    expect(world.core.idle.isIdle(1)).toBe(true);
  });
});

describe('after an ejection', () => {
  it('a task that had SCX_SLICE_INF no longer keeps its CPU: the fallback policy time-slices everyone', () => {
    const { world } = testWorld({
      ops: {
        enqueue: (core, a, task) => { dsqInsert(core, task(a[0]!), DSQ_GLOBAL, (1n << 64n) - 1n, 0n); },
        // eject while the first task runs with an infinite slice
        tick: (core) => { if (core.now() >= 10 * MS) core.error('stop here'); },
      },
    }, hogs(3), 1);
    world.machine.runUntil(300 * MS);
    world.machine.settle();
    expect(world.core.disabled).toBe(true);
    for (const p of world.core.tasks.values()) expect(p.runtimeNs).toBeGreaterThan(60 * MS);
  });
});
