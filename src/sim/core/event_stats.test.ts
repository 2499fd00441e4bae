// scx_bpf_events() counters (struct scx_event_stats) are bumped where
// kernel/sched/ext.c calls __scx_add_event() for each: every test pins one
// counting site in both directions (counted when the kernel counts, zero when
// the condition does not hold).

import { describe, expect, it } from 'vitest';
import { testWorld, hogs } from '../testing/test_world';
import { dsqInsert } from './dispatch';
import { DSQ_GLOBAL, DSQ_LOCAL_ON, OpsFlag, dsqIdString } from '../kernel/consts';
import type { ScxEvent } from './event_stats';

const MS = 1_000_000;
const SLICE_5MS = 5n * BigInt(MS);

const sleepers = (extra: Record<string, unknown> = {}) => ({
  name: 'sleepers', groups: [{ name: 's', count: 2, steps: [{ run: '1ms' }, { sleep: '3ms' }], ...extra }],
});

describe('scx_event_stats counters (kernel/sched/ext.c __scx_add_event sites)', () => {
  it('balance_one: SCX_EV_DISPATCH_KEEP_LAST counts each time prev is kept with nothing else to run, never with SCX_OPS_ENQ_LAST', () => {
    const run = (flags: bigint) => {
      const { world } = testWorld({
        flags,
        ops: {
          enqueue: (core, a, task) => { dsqInsert(core, task(a[0]!), DSQ_GLOBAL, SLICE_5MS, 0n); },
          dispatch: (core, a) => { void core; void a; },
        },
      }, hogs(1), 1);
      world.machine.runUntil(100 * MS);
      return world.core.events.get('SCX_EV_DISPATCH_KEEP_LAST');
    };
    // one hog alone: the first 5 ms slice ends, then refilled 20 ms slices end, and prev is kept every time
    expect(run(0n)).toBeGreaterThanOrEqual(4);
    expect(run(OpsFlag.ENQ_LAST)).toBe(0);
  });

  it('refill_task_slice_dfl: SCX_EV_REFILL_SLICE_DFL counts default-slice refills (no ops.enqueue: every enqueue goes global with SCX_SLICE_DFL)', () => {
    const none = testWorld({ ops: {} }, hogs(2), 1);
    none.world.machine.runUntil(100 * MS);
    const enqueues = none.events.filter((e) => e.kind === 'dsq_insert' && e.dsq === dsqIdString(DSQ_GLOBAL)).length;
    const refills = none.world.core.events.get('SCX_EV_REFILL_SLICE_DFL');
    expect(refills).toBeGreaterThanOrEqual(4);
    expect(refills).toBe(enqueues);
    // a scheduler that always gives a slice: never refilled
    const own = testWorld({ ops: { enqueue: (core, a, task) => { dsqInsert(core, task(a[0]!), DSQ_GLOBAL, SLICE_5MS, 0n); } } }, hogs(2), 1);
    own.world.machine.runUntil(100 * MS);
    expect(own.world.core.events.get('SCX_EV_REFILL_SLICE_DFL')).toBe(0);
  });

  it('enqueue_task_scx: SCX_EV_SELECT_CPU_FALLBACK counts wakeups that land off the CPU ops.select_cpu picked', () => {
    const run = (pick: number) => {
      const { world } = testWorld({
        ops: {
          select_cpu: () => pick,
          enqueue: (core, a, task) => { dsqInsert(core, task(a[0]!), DSQ_GLOBAL, SLICE_5MS, 0n); },
        },
      }, sleepers({ cpus: '0-1' }), 4);
      world.machine.runUntil(50 * MS);
      return world.core.events.get('SCX_EV_SELECT_CPU_FALLBACK');
    };
    // CPU 3 is outside the tasks' cpus 0-1: select_task_rq() falls back on every wakeup
    expect(run(3)).toBeGreaterThanOrEqual(10);
    expect(run(1)).toBe(0);
  });

  it('task_can_run_on_remote_rq: SCX_EV_DISPATCH_LOCAL_DSQ_OFFLINE counts local dispatches to an offline CPU (they go global)', () => {
    const run = (offline: boolean) => {
      const { world } = testWorld({
        // with ops.cpu_online/offline the hotplug does not eject the scheduler
        ops: { enqueue: (core, a, task) => { dsqInsert(core, task(a[0]!), DSQ_LOCAL_ON | 1n, SLICE_5MS, 0n); }, cpu_online: () => {}, cpu_offline: () => {} },
      }, { ...(hogs(3) as object), hotplug: offline ? [{ at: '10ms', cpu: 1, online: false }] : [] }, 2);
      world.machine.runUntil(60 * MS);
      return world.core.events.get('SCX_EV_DISPATCH_LOCAL_DSQ_OFFLINE');
    };
    expect(run(true)).toBeGreaterThanOrEqual(5);
    expect(run(false)).toBe(0);
  });

  it('scx_bypass: the exit path activates bypass once and the tasks re-enqueued while bypassing count as SCX_EV_BYPASS_DISPATCH, seen by ops.exit', () => {
    let seen: Record<ScxEvent, number> | undefined;
    let before: Record<ScxEvent, number> | undefined;
    const { world } = testWorld({
      ops: {
        enqueue: (core, a, task) => {
          before ??= core.events.toRecord();
          dsqInsert(core, task(a[0]!), DSQ_GLOBAL, SLICE_5MS, 0n);
          if (core.now() >= 20 * MS) core.error('give up');
        },
        exit: (core) => { seen = core.events.toRecord(); },
      },
    }, hogs(4), 2);
    world.machine.runUntil(60 * MS);
    expect(before!.SCX_EV_BYPASS_ACTIVATE).toBe(0);
    expect(seen!.SCX_EV_BYPASS_ACTIVATE).toBe(1);
    // the two queued hogs go to the fallback when the scheduler is ejected
    expect(seen!.SCX_EV_BYPASS_DISPATCH).toBeGreaterThanOrEqual(2);
    expect(before!.SCX_EV_BYPASS_DISPATCH).toBe(0);
    // bypass has not ended when ops.exit runs: no duration is accounted yet (scx_bypass(false) adds it)
    expect(seen!.SCX_EV_BYPASS_DURATION).toBe(0);
  });

  it('do_enqueue_task: SCX_EV_ENQ_SKIP_MIGRATION_DISABLED is never counted (the simulator has no migrate_disable() sections)', () => {
    const { world } = testWorld({ ops: { enqueue: (core, a, task) => { dsqInsert(core, task(a[0]!), DSQ_GLOBAL, SLICE_5MS, 0n); } } }, sleepers(), 2);
    world.machine.runUntil(50 * MS);
    expect(world.core.events.get('SCX_EV_ENQ_SKIP_MIGRATION_DISABLED')).toBe(0);
    expect(world.core.events.get('SCX_EV_ENQ_SKIP_EXITING')).toBe(0);
  });
});
