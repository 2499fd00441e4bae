// scx_bpf_kick_cpu() as kernel/sched/ext.c does it: the kfunc only records
// the kick in the calling CPU's cpus_to_kick / cpus_to_kick_if_idle /
// cpus_to_preempt / cpus_to_wait masks and queues that CPU's irq_work. The
// kicks take effect in kick_cpus_irq_workfn(), which runs once the caller's
// IRQs are on again: in the simulator, as a 'kick_work' event at the same
// instant, after the event in which the op ran (so after the current switch).
// There kick_one_cpu() clears the target's slice for SCX_KICK_PREEMPT,
// remembers its pnt_seq for SCX_KICK_WAIT and calls resched_curr();
// kick_one_cpu_if_idle() reschedules only a CPU that cannot be skipped
// (can_skip_idle_kick()). With SCX_KICK_WAIT the kicking CPU busy-waits until
// the target's pnt_seq moves, i.e. until it went through the resched path;
// the simulator runs the target's pending reschedule right there, so the
// kicking CPU does nothing else before the target has rescheduled.

import * as K_consts from '../kernel/consts';
import type { SimCpu } from './cpu';
import type { ScxCore } from './scx_core';
import { isFair } from './fair';
import { runDeferredReenqueue } from './reenq_local';

// locals, not live bindings: imported bindings cost a getter call per use under tsx
const { KickFlag } = K_consts;

/** Bits of SimCpu.kickMask[target]: which of the kernel's per-rq kick masks hold the target. */
export const KICK = 1;
export const KICK_IF_IDLE = 2;
export const KICK_PREEMPT = 4;
export const KICK_WAIT = 8;

/** What the core needs from the machine to run the irq work and a waited-on reschedule. */
export interface KickHost {
  /** irq_work_queue(&this_rq->scx.kick_cpus_irq_work): run kickCpusIrqWork(cpu) after the current event. */
  queueKickWork(cpu: number): void;
  /** The target CPU goes through its pending reschedule now (the kicking CPU waits for it). */
  reschedNow(cpu: SimCpu): void;
}

/**
 * can_skip_idle_kick(): a CPU running a task, and not inside balance_one()
 * (SCX_RQ_IN_BALANCE, here: running ops.dispatch), will go through a full
 * scheduling cycle before it idles, so an IDLE kick can be skipped.
 */
function canSkipIdleKick(core: ScxCore, cpu: SimCpu): boolean {
  return cpu.curr !== null && core.dspCpu !== cpu.id;
}

/** scx_bpf_kick_cpu(): record the kick on the calling CPU and queue its irq work. */
export function kickCpu(core: ScxCore, target: number, flags: number): void {
  if (!core.cpuValid(target, 'in scx_bpf_kick_cpu')) return;
  const cpu = core.cpus[target]!;
  // outside any op the kicker is the target itself (balance's own kick after DSP_MAX_LOOPS), or unknown (a BPF
  // timer callback): the kick is treated as the target's own, and its event names that CPU (a trace stores no CPU -1)
  const from = core.cpus[core.ctx?.cpu ?? target] ?? cpu;
  if (core.host.listening()) {
    const names = Object.entries(KickFlag).filter(([, v]) => flags & v).map(([k]) => k);
    core.host.emit({ t: core.now(), kind: 'kick', cpu: from.id, target, flags: names });
  }
  // the kernel suppresses kicks while bypassing; here once the scheduler is gone
  if (core.disabled) return;
  if (flags & KickFlag.IDLE) {
    if (flags & (KickFlag.PREEMPT | KickFlag.WAIT)) core.error('PREEMPT/WAIT cannot be used with SCX_KICK_IDLE');
    if (canSkipIdleKick(core, cpu)) return;
    from.kickMask[target]! |= KICK_IF_IDLE;
  } else {
    let bits = KICK;
    if (flags & KickFlag.PREEMPT) bits |= KICK_PREEMPT;
    if (flags & KickFlag.WAIT) bits |= KICK_WAIT;
    from.kickMask[target]! |= bits;
  }
  core.host.queueKickWork(from.id);
}

/** kick_one_cpu(): PREEMPT zeroes a sched_ext curr's slice, WAIT remembers pnt_seq, then resched_curr(). True to wait. */
function kickOneCpu(core: ScxCore, self: SimCpu, cpu: SimCpu, bits: number): boolean {
  if (!cpu.online && cpu !== self) return false;
  if (bits & KICK_PREEMPT && cpu.curr !== null && !isFair(core, cpu.curr)) cpu.curr.slice = 0n;
  core.host.resched(cpu.id);
  return (bits & KICK_WAIT) !== 0;
}

/** kick_cpus_irq_workfn() on `self`: deliver the recorded kicks in CPU order, then wait for the WAIT targets. */
export function kickCpusIrqWork(core: ScxCore, self: SimCpu): void {
  const masks = self.kickMask;
  self.kickWorkQueued = false;
  runDeferredReenqueue(core, self);
  let waits: { cpu: SimCpu; seq: number }[] | undefined;
  for (let t = 0; t < masks.length; t++) {
    const bits = masks[t]!;
    if (!(bits & KICK)) continue;
    masks[t] = 0;
    const cpu = core.cpus[t]!;
    if (kickOneCpu(core, self, cpu, bits) && cpu !== self) (waits ??= []).push({ cpu, seq: cpu.pntSeq });
  }
  for (let t = 0; t < masks.length; t++) {
    if (!(masks[t]! & KICK_IF_IDLE)) continue;
    masks[t] = 0;
    const cpu = core.cpus[t]!;
    // kick_one_cpu_if_idle()
    if (!canSkipIdleKick(core, cpu) && (cpu.online || cpu === self)) core.host.resched(t);
  }
  if (!waits) return;
  // the busy-wait on pnt_seq: the target goes through its reschedule before this CPU goes on
  for (const w of waits) if (w.cpu.pntSeq === w.seq && w.cpu.reschedPending) core.host.reschedNow(w.cpu);
}
