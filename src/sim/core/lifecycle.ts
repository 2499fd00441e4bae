// A task's life under sched_ext (Documentation/scheduler/sched-ext.rst):
// init_task → enable (+ set_weight) → [select_cpu] → runnable → enqueue … →
// quiescent → disable → exit_task; plus scheduler enable (ops.init,
// cgroup_init, init_task for existing tasks) and the property changes
// (set_weight, set_cpumask, yield).

import { DeqFlag, KfMask, WakeFlag } from '../kernel/consts';
import type { ScxCore } from './scx_core';
import type { SimTask } from './task';
import type { SimCgroup } from './cgroup';
import { traceCgroupAttach, traceExit } from './tracepoints';

/** scx_enable(): ops.init, then cgroup_init for every cgroup, root first. */
export function enableScheduler(core: ScxCore): void {
  if (core.ops.has('init')) {
    const ret = Number(BigInt.asIntN(32, core.callOp('init', 0, KfMask.UNLOCKED, [])));
    if (ret !== 0 && !core.exitPending) core.error(`ops.init() failed (${ret})`);
  }
  for (const cg of core.cgroups) cgroupInit(core, cg);
  core.enabled = true;
}

export function cgroupInit(core: ScxCore, cg: SimCgroup): void {
  if (!core.has('cgroup_init')) return;
  const args = core.mem.alloc(`scx_cgroup_init_args ${cg.path}`, core.mem.layout.cgroupInitArgs.size);
  args.view.setUint32(core.mem.layout.cgroupInitArgs.weight, cg.weight, true);
  const ret = Number(BigInt.asIntN(32, core.callOp('cgroup_init', 0, KfMask.UNLOCKED, [cg.ptr, core.mem.pointer(args)])));
  if (ret !== 0 && !core.exitPending) core.error(`ops.cgroup_init() failed (${ret}) for ${cg.path}`);
  else cg.initialized = true;
}

/** scx_init_task() then scx_enable_task(): weight set before ops.enable, set_weight after. */
export function initAndEnableTask(core: ScxCore, p: SimTask, fork: boolean): void {
  p.syncWeight();
  if (core.has('init_task')) {
    const lay = core.mem.layout.initTaskArgs;
    const args = core.scratch('scx_init_task_args', lay.size);
    args.bytes[lay.fork] = fork ? 1 : 0;
    args.view.setBigUint64(lay.cgroup, p.cgroup ? p.cgroup.ptr : 0n, true);
    const ret = Number(BigInt.asIntN(32, core.callOp('init_task', p.cpu, KfMask.UNLOCKED, [p.ptr, core.mem.pointer(args)], p.pid)));
    if (ret !== 0 && !core.exitPending) core.error(`ops.init_task() failed (${ret}) for ${p.comm}[${p.pid}]`);
  }
  p.scxState = 'ready';
  // only tasks in the ext class are enabled (scx_enable_task on switching to it)
  if (core.bypass || p.fair) return;
  if (core.has('enable')) core.callOp('enable', p.cpu, KfMask.REST, [p.ptr], p.pid, null, true);
  p.scxState = 'enabled';
  if (core.has('set_weight')) core.callOp('set_weight', p.cpu, KfMask.REST, [p.ptr, BigInt(p.weight)], p.pid, null, true);
}

/** wake_up_new_task(): select_cpu with SCX_WAKE_FORK, then enqueue. */
export function wakeNewTask(core: ScxCore, p: SimTask): void {
  core.wakeUp(p, WakeFlag.FORK);
}

/** The running task blocks: dequeue with SCX_DEQ_SLEEP; the caller reschedules its CPU. */
export function sleepTask(core: ScxCore, p: SimTask): void {
  core.dequeueTask(p, DeqFlag.SLEEP);
  core.setTaskState(p, 'sleeping');
  p.syncOnCpu(false);
}

/** do_exit(): dequeued like a sleep; after the switch, sched_ext_free() runs disable and exit_task. */
export function exitTask(core: ScxCore, p: SimTask): void {
  if (core.ops.tracing) traceExit(core, p);
  p.exiting = true;
  core.dequeueTask(p, DeqFlag.SLEEP);
  core.setTaskState(p, 'exited');
  p.syncOnCpu(false);
}

export function freeTask(core: ScxCore, p: SimTask): void {
  disableAndExitTask(core, p, false);
  core.tasks.delete(p.pid);
  core.exitedTasks.push(p);
  core.host.emit({ t: core.now(), kind: 'task_exit', pid: p.pid });
}

/** scx_disable_task() + ops.exit_task. */
export function disableAndExitTask(core: ScxCore, p: SimTask, cancelled: boolean): void {
  const force = core.disabled || core.exitPending !== undefined;
  if (p.scxState === 'enabled' && core.ops.has('disable')) core.callOp('disable', p.cpu, KfMask.REST, [p.ptr], p.pid, null, force);
  if (p.scxState !== 'none' && core.ops.has('exit_task')) {
    const lay = core.mem.layout.exitTaskArgs;
    const args = core.scratch('scx_exit_task_args', lay.size);
    args.bytes[lay.cancelled] = cancelled ? 1 : 0;
    core.callOp('exit_task', p.cpu, KfMask.UNLOCKED, [p.ptr, core.mem.pointer(args)], p.pid, null, force);
  }
  p.scxState = 'none';
}

/** reweight_task_scx(): a nice change updates p->scx.weight and calls ops.set_weight. */
export function setTaskWeight(core: ScxCore, p: SimTask, weight: number): void {
  p.weight = weight;
  p.syncWeight();
  if (core.has('set_weight')) core.callOp('set_weight', p.cpu, KfMask.REST, [p.ptr, BigInt(weight)], p.pid, null, true);
}

/**
 * A property change of a task that is not running (sched_change: dequeue
 * with SCX_DEQ_SCHED_CHANGE, change, enqueue): a queued task leaves the BPF
 * scheduler (ops.dequeue, ops.quiescent) and comes back (ops.runnable,
 * ops.enqueue); the running or sleeping task just gets ops.set_weight.
 */
export function reweightOther(core: ScxCore, p: SimTask, weight: number): void {
  const running = core.cpus[p.cpu]!.curr === p;
  if (!p.queued || running || p.fair) return setTaskWeight(core, p, weight);
  const readySince = p.readySince;
  const runnableAt = p.runnableAt;
  core.dequeueTask(p, DeqFlag.SCHED_CHANGE);
  setTaskWeight(core, p, weight);
  core.enqueueTask(p, 0n);
  // the task never stopped waiting: keep its wait and watchdog clocks
  p.readySince = readySince;
  p.runnableAt = runnableAt;
  if (core.cpus[p.cpu]!.curr === null) core.host.resched(p.cpu);
}

/** set_cpus_allowed_scx(): new affinity, then ops.set_cpumask with the task's mask. */
export function setTaskAffinity(core: ScxCore, p: SimTask, allowed: Uint8Array): void {
  p.allowed.set(allowed);
  p.nrAllowed = allowed.reduce((a, b) => a + b, 0);
  core.mem.writeTaskAffinity(p.region, p.allowed);
  const lay = core.mem.layout.task;
  if (core.has('set_cpumask')) core.callOp('set_cpumask', p.cpu, KfMask.REST, [p.ptr, core.mem.pointer(p.region, lay.cpusMask)], p.pid, null, true);
  // a running task on a CPU it may no longer use is moved off at once
  if (!p.isAllowed(p.cpu) && core.cpus[p.cpu]!.curr === p) {
    p.slice = 0n;
    core.host.resched(p.cpu);
  }
}

/** yield_task_scx(): ops.yield(p, NULL) if implemented, else the slice ends. */
export function yieldTask(core: ScxCore, p: SimTask): void {
  if (core.has('yield')) core.callOp('yield', p.cpu, KfMask.REST, [p.ptr, 0n], p.pid, null, true);
  else p.slice = 0n;
  core.host.resched(p.cpu);
}

/**
 * Moving a task between cgroups (scx_cgroup_can_attach → scx_cgroup_move_task):
 * ops.cgroup_prep_move may refuse; otherwise ops.cgroup_move runs and the
 * task belongs to the new cgroup.
 */
export function moveTaskCgroup(core: ScxCore, p: SimTask, to: SimCgroup): boolean {
  const from = p.cgroup;
  if (!from || from === to) return false;
  if (core.has('cgroup_prep_move')) {
    const ret = Number(BigInt.asIntN(32, core.callOp('cgroup_prep_move', p.cpu, KfMask.UNLOCKED, [p.ptr, from.ptr, to.ptr], p.pid)));
    if (ret !== 0) return false;
  }
  if (core.has('cgroup_move')) core.callOp('cgroup_move', p.cpu, KfMask.REST, [p.ptr, from.ptr, to.ptr], p.pid, null, true);
  p.cgroup = to;
  core.mem.writeTaskCgroup(p.region, to.cssSet);
  if (core.ops.tracing) traceCgroupAttach(core, p, to);
  return true;
}

/** A cpu.weight write: ops.cgroup_set_weight. */
export function setCgroupWeight(core: ScxCore, cg: SimCgroup, weight: number): void {
  cg.weight = weight;
  if (core.has('cgroup_set_weight')) core.callOp('cgroup_set_weight', 0, KfMask.UNLOCKED, [cg.ptr, BigInt(weight)], -1, null, true);
}
