// scx_bpf_kick_cpu() rules from kernel/sched/ext.c (scx_bpf_kick_cpu,
// kick_cpus_irq_workfn, kick_one_cpu, kick_one_cpu_if_idle,
// can_skip_idle_kick), each pinned with a small TypeScript scheduler.

import { describe, expect, it } from 'vitest';
import { testWorld, hogs } from '../testing/test_world';
import { dsqInsert } from './dispatch';
import { DSQ_GLOBAL, KickFlag } from '../kernel/consts';
import { kickCpu } from './kick';
import type { ScxCore } from './scx_core';
import { EventEncoder } from '../trace/event_encoder';

const MS = 1_000_000;
const LONG_SLICE = 1_000n * BigInt(MS);

/** Hogs on a global FIFO with 1 s slices; `atTick` runs once, in the first ops.tick of CPU 0 at or after 10 ms. */
function kickWorld(atTick: (core: ScxCore) => void, nHogs = 2, cpus = 2) {
  let done = false;
  return testWorld({
    ops: {
      enqueue: (core, a, task) => { dsqInsert(core, task(a[0]!), DSQ_GLOBAL, LONG_SLICE, 0n); },
      tick: (core) => {
        if (done || core.now() < 10 * MS || core.ctx?.cpu !== 0) return;
        done = true;
        atTick(core);
      },
    },
  }, hogs(nHogs), cpus);
}

describe('scx_bpf_kick_cpu (kernel/sched/ext.c)', () => {
  it('kick_cpus_irq_workfn: a kick is an IPI that acts after the calling op returns, not inside it', () => {
    let sliceInOp = -1n;
    let pendingInOp = true;
    let seqBefore = -1;
    const { world } = kickWorld((core) => {
      seqBefore = core.cpus[1]!.pntSeq;
      kickCpu(core, 1, KickFlag.PREEMPT);
      // still inside ops.tick: nothing happened to CPU 1 yet
      sliceInOp = core.cpus[1]!.curr!.slice;
      pendingInOp = core.cpus[1]!.reschedPending;
    });
    const cpu1 = world.core.cpus[1]!;
    world.machine.runUntil(10 * MS);
    expect(sliceInOp).toBeGreaterThan(0n);
    expect(pendingInOp).toBe(false);
    // once the irq work ran (same instant), CPU 1 went through the resched path and its preempted task was replaced
    expect(cpu1.pntSeq).toBeGreaterThan(seqBefore);
    expect(world.core.exitPending).toBeUndefined();
  });

  it('kick_one_cpu: SCX_KICK_PREEMPT zeroes the running slice; a plain kick reschedules but the task keeps its slice and CPU', () => {
    for (const flags of [KickFlag.PREEMPT, 0]) {
      let pid = -1;
      let seq = -1;
      const { world, events } = kickWorld((core) => {
        pid = core.cpus[1]!.curr!.pid;
        seq = core.cpus[1]!.pntSeq;
        kickCpu(core, 1, flags);
      }, 3);
      world.machine.runUntil(10 * MS + 1);
      const cpu1 = world.core.cpus[1]!;
      expect(cpu1.pntSeq).toBe(seq + 1);
      const switches = events.filter((e) => e.kind === 'switch' && e.cpu === 1 && e.t === 10 * MS);
      if (flags === KickFlag.PREEMPT) {
        // the third hog, waiting on the global DSQ, takes CPU 1
        expect(switches).toHaveLength(1);
        expect(cpu1.curr!.pid).not.toBe(pid);
      } else {
        expect(switches).toHaveLength(0);
        expect(cpu1.curr!.pid).toBe(pid);
      }
    }
  });

  it('can_skip_idle_kick: SCX_KICK_IDLE does not kick a busy CPU, and kicks an idle one', () => {
    // CPU 1 busy: one hog per CPU
    let seq = -1;
    const busy = kickWorld((core) => { seq = core.cpus[1]!.pntSeq; kickCpu(core, 1, KickFlag.IDLE); });
    busy.world.machine.runUntil(11 * MS);
    expect(busy.world.core.cpus[1]!.pntSeq).toBe(seq);
    expect(busy.events.some((e) => e.kind === 'kick' && e.target === 1)).toBe(true);
    // CPU 1 idle: one hog on two CPUs
    const idle = kickWorld((core) => { seq = core.cpus[1]!.pntSeq; kickCpu(core, 1, KickFlag.IDLE); }, 1);
    idle.world.machine.runUntil(11 * MS);
    const c1 = idle.world.core.cpus[1]!;
    expect(c1.curr === null || c1.curr.pid !== idle.world.core.cpus[0]!.curr?.pid).toBe(true);
    expect(c1.pntSeq).toBe(seq + 1);
  });

  it('scx_bpf_kick_cpu: PREEMPT/WAIT cannot be used with SCX_KICK_IDLE', () => {
    const { world } = kickWorld((core) => kickCpu(core, 1, KickFlag.IDLE | KickFlag.WAIT));
    world.machine.runUntil(11 * MS);
    expect(world.core.exitInfo?.kind).toBe('SCX_EXIT_ERROR');
    expect(world.core.exitInfo?.message).toBe('PREEMPT/WAIT cannot be used with SCX_KICK_IDLE');
  });

  it('kick_cpus_irq_workfn: with SCX_KICK_WAIT the kicking CPU busy-waits until the target pnt_seq moves; without it the kicker goes on first', () => {
    for (const flags of [KickFlag.WAIT, 0]) {
      let seqAtKick = -1;
      let seqWhenKickerGoesOn = -1;
      const { world } = kickWorld((core) => {
        const target = core.cpus[1]!;
        seqAtKick = target.pntSeq;
        kickCpu(core, 1, flags);
        // the next thing the kicking CPU does after its irq work: sample the target's pnt_seq
        world.machine.queue.push(core.now(), { k: 'spawn', spawn: () => { seqWhenKickerGoesOn = target.pntSeq; } });
      });
      world.machine.runUntil(11 * MS);
      expect(seqWhenKickerGoesOn).toBe(flags === KickFlag.WAIT ? seqAtKick + 1 : seqAtKick);
      // either way the target does reschedule at that instant
      expect(world.core.cpus[1]!.pntSeq).toBe(seqAtKick + 1);
    }
  });

  it('kick_one_cpu: a kick of an offline CPU is dropped (cpu_online() check), a self-kick is not', () => {
    let seq1 = -1;
    let seq0 = -1;
    const { world } = kickWorld((core) => {
      core.cpus[1]!.online = false;
      seq1 = core.cpus[1]!.pntSeq;
      seq0 = core.cpus[0]!.pntSeq;
      kickCpu(core, 1, 0);
      kickCpu(core, 0, 0);
    });
    world.machine.runUntil(11 * MS);
    expect(world.core.cpus[1]!.reschedPending).toBe(false);
    expect(world.core.cpus[1]!.pntSeq).toBe(seq1);
    expect(world.core.cpus[0]!.pntSeq).toBe(seq0 + 1);
  });

  it('a kick outside any op (balance after DSP_MAX_LOOPS, a BPF timer) is the target\'s own: its event names that CPU and a trace stores it', () => {
    const { world, events } = kickWorld(() => {});
    world.machine.runUntil(5 * MS);
    expect(world.core.ctx).toBeUndefined();
    kickCpu(world.core, 1, KickFlag.PREEMPT);
    const kick = events.filter((e) => e.kind === 'kick').pop();
    expect(kick).toMatchObject({ kind: 'kick', cpu: 1, target: 1, flags: ['PREEMPT'] });
    // a CPU of -1 here made the recorder refuse the event and stop the recording
    const enc = new EventEncoder(0);
    expect(() => enc.add(kick!)).not.toThrow();
    expect(enc.count).toBe(1);
  });
});
