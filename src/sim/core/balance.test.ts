// More sched_ext rules: the dispatch buffer, keeping prev, ENQ_LAST,
// SCX_SLICE_INF, SCX_ENQ_PREEMPT and FIFO/vtime mixing on one DSQ.

import { describe, expect, it } from 'vitest';
import { testWorld, hogs } from '../testing/test_world';
import { dsqInsert, moveToLocal } from './dispatch';
import { kickCpu } from './schedule';
import { DSQ_GLOBAL, DSQ_LOCAL, EnqFlag, OpsFlag, SLICE_DFL, SLICE_INF } from '../kernel/consts';
import { DispatchQueue } from './dsq';

const MS = 1_000_000;
const USER_DSQ = 9n;
const createDsq = (core: Parameters<typeof dsqInsert>[0]) => {
  core.userDsqs.set(USER_DSQ, new DispatchQueue(USER_DSQ, 'user', '9'));
};

describe('the balance path and insertion rules', () => {
  it('ops.dispatch may buffer at most dispatch_max_batch insertions', () => {
    const held: bigint[] = [];
    const { world } = testWorld({
      dispatchMaxBatch: 2,
      ops: {
        enqueue: (_c, a) => { held.push(a[0]!); },
        dispatch: (core, _a, task) => { for (const p of held.splice(0)) dsqInsert(core, task(p), DSQ_GLOBAL, SLICE_DFL, 0n); },
      },
    }, hogs(3), 1);
    world.machine.runUntil(5 * MS);
    expect(world.core.exitInfo?.message).toBe('dispatch buffer overflow');
  });

  it('with nothing else to run, prev keeps the CPU; with SCX_OPS_ENQ_LAST it is enqueued with SCX_ENQ_LAST instead', () => {
    const flags: bigint[] = [];
    const spec = (f: bigint, kick: boolean) => ({
      flags: f,
      ops: {
        enqueue: (core: Parameters<typeof dsqInsert>[0], a: readonly bigint[], task: (p: bigint) => Parameters<typeof dsqInsert>[1]) => {
          flags.push(a[1]!);
          const p = task(a[0]!);
          dsqInsert(core, p, DSQ_LOCAL, 5n * BigInt(MS), 0n);
          // SCX_ENQ_LAST "should trigger an explicit follow-up scheduling event" (ext.c put_prev_task_scx)
          if (kick && (a[1]! & EnqFlag.LAST) !== 0n) kickCpu(core, p.cpu, 0);
        },
      },
    });
    testWorld(spec(0n, false), hogs(1), 1).world.machine.runUntil(50 * MS);
    // one enqueue at wakeup; the kept task gets a fresh default slice without another enqueue
    expect(flags.length).toBe(1);
    flags.length = 0;
    testWorld(spec(OpsFlag.ENQ_LAST, true), hogs(1), 1).world.machine.runUntil(50 * MS);
    expect(flags.length).toBeGreaterThanOrEqual(9);
    expect(flags.slice(1).every((f) => (f & EnqFlag.LAST) !== 0n)).toBe(true);
  });

  it('put_prev_task runs while prev is still rq->curr: an SCX_ENQ_LAST insertion into the local DSQ does not reschedule by itself', () => {
    let enqueues = 0;
    const { world } = testWorld({
      flags: OpsFlag.ENQ_LAST,
      ops: { enqueue: (core, a, task) => { enqueues++; dsqInsert(core, task(a[0]!), DSQ_LOCAL, 5n * BigInt(MS), 0n); } },
    }, hogs(1), 1);
    world.machine.runUntil(50 * MS);
    // wakeup, then the ENQ_LAST put at the first slice end; nothing kicks the CPU, so it idles with the task queued
    expect(enqueues).toBe(2);
    const cpu = world.core.cpus[0]!;
    expect(cpu.curr).toBeNull();
    expect(cpu.local.tasks.map((p) => p.pid)).toEqual([1]);
  });

  it('a task with SCX_SLICE_INF is never preempted by the tick', () => {
    let enq = 0;
    const { world } = testWorld({
      ops: { enqueue: (core, a, task) => { enq++; dsqInsert(core, task(a[0]!), DSQ_GLOBAL, SLICE_INF, 0n); } },
    }, hogs(2), 1);
    world.machine.runUntil(200 * MS);
    world.machine.settle();
    expect(enq).toBe(2);
    const runtimes = [...world.core.tasks.values()].map((p) => p.runtimeNs).sort((a, b) => a - b);
    expect(runtimes).toEqual([0, 200 * MS]);
  });

  it('SCX_ENQ_PREEMPT into a busy CPU\'s local DSQ ends the current slice at once', () => {
    const { world, events } = testWorld({
      ops: {
        enqueue: (core, a, task) => {
          const p = task(a[0]!);
          // the second task preempts the first as soon as it is enqueued
          dsqInsert(core, p, DSQ_LOCAL, SLICE_DFL, p.pid === 2 ? EnqFlag.PREEMPT : 0n);
        },
      },
    }, { name: 'p', groups: [{ name: 'a', count: 1, steps: [{ run: '100ms' }] }, { name: 'b', count: 1, start: '3ms', steps: [{ run: '100ms' }] }] }, 1);
    world.machine.runUntil(4 * MS);
    const sw = events.filter((e) => e.kind === 'switch');
    expect(sw.at(-1)).toMatchObject({ t: 3 * MS, prevPid: 1, nextPid: 2 });
  });

  it('a user DSQ holds FIFO or vtime-ordered tasks, never both', () => {
    let n = 0;
    const { world } = testWorld({
      ops: {
        init: (core) => createDsq(core),
        enqueue: (core, a, task) => {
          const p = task(a[0]!);
          if (n++ % 2 === 0) dsqInsert(core, p, USER_DSQ, SLICE_DFL, 0n);
          else dsqInsert(core, p, USER_DSQ, SLICE_DFL, 0n, 10n);
        },
        dispatch: (core) => { moveToLocal(core, USER_DSQ); },
      },
    }, hogs(3), 1);
    world.machine.runUntil(5 * MS);
    expect(world.core.exitInfo?.message).toMatch(/DSQ 0x9 already had FIFO-enqueued tasks/);
  });

  it('vtime-ordered DSQs dispatch the smallest dsq_vtime first, equal vtimes in insertion order', () => {
    const order: number[] = [];
    const vt: Record<number, bigint> = { 1: 30n, 2: 10n, 3: 20n, 4: 10n };
    const { world } = testWorld({
      ops: {
        init: (core) => createDsq(core),
        enqueue: (core, a, task) => { const p = task(a[0]!); dsqInsert(core, p, USER_DSQ, SLICE_DFL, 0n, vt[p.pid]!); },
        dispatch: (core) => { moveToLocal(core, USER_DSQ); },
        running: (_c, a, task) => { order.push(task(a[0]!).pid); },
      },
    }, { name: 'v', groups: [{ name: 'a', count: 4, repeat: 1, steps: [{ run: '1ms' }] }] }, 1);
    world.machine.runUntil(10 * MS);
    // all four are queued before the CPU picks: 2 and 4 tie at 10 and keep their order
    expect(order).toEqual([2, 4, 3, 1]);
  });
});

describe('property changes of queued tasks (sched_change)', () => {
  it('renicing a task the BPF scheduler holds calls ops.dequeue (SCX_DEQ_SCHED_CHANGE), quiescent, set_weight, runnable, enqueue', () => {
    const held: bigint[] = [];
    const { world, sched } = testWorld({
      ops: {
        enqueue: (_c, a) => { held.push(a[0]!); },
        dequeue: (_c, a, task) => {
          const p = task(a[0]!);
          const i = held.indexOf(p.ptr);
          if (i >= 0) held.splice(i, 1);
          expect(a[1]).toBe(1n << 33n);
        },
        quiescent: () => {},
        runnable: () => {},
        set_weight: () => {},
        dispatch: (core, _a, task) => { const p = held.shift(); if (p !== undefined) dsqInsert(core, task(p), DSQ_LOCAL, 2n * BigInt(MS), 0n); },
      },
    }, {
      name: 'r',
      groups: [
        { name: 'boss', count: 1, start: '5ms', repeat: 1, steps: [{ renice: { group: 'w', nice: 5 } }] },
        { name: 'w', count: 3, steps: [{ run: '50ms' }] },
      ],
    }, 1);
    world.machine.runUntil(30 * MS);
    const w3 = [...world.core.tasks.values()].find((p) => p.comm === 'w-2')!;
    const mine = sched.calls.filter((c) => c.endsWith(` ${w3.pid}`)).map((c) => c.split(' ')[0]);
    // 2 ms slices round-robin w-0, w-1, w-2, then boss: w-2 waits in the BPF queue when boss renices it
    const at = mine.indexOf('dequeue');
    expect(at).toBeGreaterThan(0);
    expect(mine.slice(at - 1, at + 5)).toEqual(['enqueue', 'dequeue', 'quiescent', 'set_weight', 'runnable', 'enqueue']);
    expect(w3.weight).toBe(33);
    expect(world.core.exitPending).toBeUndefined();
  });
});

describe('wakeup enqueue flags', () => {
  it('SCX_ENQ_CPU_SELECTED is set when select_task_rq ran (more than one allowed CPU), not for pinned tasks', () => {
    const seen = new Map<number, bigint[]>();
    const { world } = testWorld({
      ops: {
        select_cpu: (_c, a) => a[1]!,
        enqueue: (core, a, task) => {
          const p = task(a[0]!);
          seen.set(p.pid, [...(seen.get(p.pid) ?? []), a[1]!]);
          dsqInsert(core, p, DSQ_GLOBAL, SLICE_DFL, 0n);
        },
      },
    }, {
      name: 'w',
      groups: [
        { name: 'free', count: 1, steps: [{ run: '1ms' }, { sleep: '2ms' }] },
        { name: 'pinned', count: 1, cpus: [1], steps: [{ run: '1ms' }, { sleep: '2ms' }] },
      ],
    }, 2);
    world.machine.runUntil(20 * MS);
    const wakeups = (pid: number) => seen.get(pid)!.filter((f) => f & EnqFlag.WAKEUP);
    expect(wakeups(1).length).toBeGreaterThan(3);
    expect(wakeups(1).every((f) => f & EnqFlag.CPU_SELECTED)).toBe(true);
    expect(wakeups(2).length).toBeGreaterThan(3);
    expect(wakeups(2).some((f) => f & EnqFlag.CPU_SELECTED)).toBe(false);
  });
});
