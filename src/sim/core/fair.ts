// The class above sched_ext: tasks that are not on the BPF scheduler
// (SCHED_NORMAL tasks under SCX_OPS_SWITCH_PARTIAL, and every task after an
// ejection) run in a built-in weighted-fair policy, ordered by virtual
// runtime like CFS/EEVDF without its finer points. Because fair_sched_class
// is above ext_sched_class, a runnable fair task takes the CPU from a
// sched_ext task; the scheduler hears about it through ops.cpu_release and
// gets the CPU back with ops.cpu_acquire (ext.c switch_class/balance_one).

import { KfMask } from '../kernel/consts';
import type { SimCpu } from './cpu';
import type { ScxCore } from './scx_core';
import type { SimTask } from './task';

/** A fair task's slice: about the base slice of EEVDF on a small machine. */
export const FAIR_SLICE = 3_000_000n;
/** How far behind the queue a waking task may be placed (sleeper credit). */
const WAKE_CREDIT = 3_000_000;

export function isFair(core: ScxCore, p: SimTask): boolean {
  // core.bypass, inlined: this runs for every enqueue and pick
  return p.fair || core.disabled || core.exitPending !== undefined;
}

/** enqueue_task_fair(), roughly: queue by vruntime, preempt a sched_ext task on the target CPU. */
export function enqueueFair(core: ScxCore, p: SimTask): void {
  p.fairVruntime = Math.max(p.fairVruntime, core.fairMinVruntime - WAKE_CREDIT);
  if (p.slice === 0n || p.slice > FAIR_SLICE) p.slice = FAIR_SLICE;
  core.fallbackDsq.pushVtime(p, BigInt(Math.floor(p.fairVruntime)));
  const cpu = core.cpus[p.cpu]!;
  // wakeup_preempt(): a higher class always preempts; an idle CPU reschedules
  if (cpu.curr === null || !isFair(core, cpu.curr)) return core.host.resched(cpu.id);
  for (const c of core.cpus) if (c.curr === null && c.online && p.isAllowed(c.id)) return core.host.resched(c.id);
}

/** pick_next_task_fair(): keep a fair prev with slice left, else the lowest vruntime that may run here. */
export function pickFair(core: ScxCore, cpu: SimCpu, prev: SimTask | null, prevRunnable: boolean): SimTask | null {
  const fairPrev = prev !== null && prevRunnable && isFair(core, prev);
  if (fairPrev && !prev.sliceEmpty()) return prev;
  const q = core.fallbackDsq;
  for (let i = 0; i < q.tasks.length; i++) {
    const p = q.tasks[i]!;
    if (p.cpu !== cpu.id && !p.isAllowed(cpu.id)) continue;
    // a prev whose slice ran out keeps the CPU unless a queued task is behind it in vruntime
    if (fairPrev && prev.fairVruntime <= p.fairVruntime) break;
    q.removeAt(i);
    core.setTaskCpu(p, cpu.id);
    core.fairMinVruntime = Math.max(core.fairMinVruntime, p.fairVruntime);
    if (p.sliceEmpty()) p.slice = FAIR_SLICE;
    return p;
  }
  if (fairPrev) {
    prev.slice = FAIR_SLICE;
    return prev;
  }
  return null;
}

/** put_prev_task_fair(): a still-runnable fair task goes back in the queue with a fresh slice. */
export function putPrevFair(core: ScxCore, prev: SimTask): void {
  prev.slice = FAIR_SLICE;
  core.fallbackDsq.pushVtime(prev, BigInt(Math.floor(prev.fairVruntime)));
}

/** switch_class(): a higher class takes a CPU from sched_ext: ops.cpu_release once. */
export function releaseCpu(core: ScxCore, cpu: SimCpu, next: SimTask): void {
  if (cpu.released || core.bypass) return;
  cpu.released = true;
  if (!core.has('cpu_release')) return;
  const lay = core.mem.layout.cpuReleaseArgs;
  const args = core.scratch('scx_cpu_release_args', lay.size);
  args.view.setUint32(lay.reason, 3, true); // SCX_CPU_PREEMPT_UNKNOWN: the fair class is none of RT/DL/stop
  args.view.setBigUint64(lay.task, next.ptr, true);
  core.callOp('cpu_release', cpu.id, KfMask.CPU_RELEASE, [BigInt(cpu.id), core.mem.pointer(args)]);
}

/** balance_one(): the first sched_ext balance after a release calls ops.cpu_acquire. */
export function acquireCpu(core: ScxCore, cpu: SimCpu): void {
  if (!cpu.released) return;
  cpu.released = false;
  if (core.has('cpu_acquire')) core.callOp('cpu_acquire', cpu.id, KfMask.REST, [BigInt(cpu.id), 0n], -1, null, true);
}
