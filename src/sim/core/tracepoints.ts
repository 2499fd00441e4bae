// Attached tp_btf programs (loader/attach.ts) run at the simulated events
// they name, where the kernel fires those tracepoints, with the tracepoint's
// arguments as their u64 ctx[]:
//   sched_switch       in __schedule(), once the next task is set (after ops.running), before the switch completes
//   sched_wakeup[_new] after the wakeup's enqueue
//   sched_process_exit in do_exit(), while the task is still current
//   cgroup_attach_task once a task moved to its new cgroup
// An idle side of a switch is that CPU's idle task (pid 0). The programs run
// with no sched_ext op context (kf mask 0, like a tracing program in the
// kernel), on the event's CPU. A fault ejects the scheduler as an op fault does.

import { BpfFault } from '../../sched_ext/vm/fault';
import { KfMask } from '../kernel/consts';
import { runqueuesOf } from '../kernel/runqueues';
import type { ScxCore } from './scx_core';
import type { SimCpu } from './cpu';
import type { SimTask } from './task';
import type { SimCgroup } from './cgroup';

/** Kernel task states for sched_switch's prev_state. */
const TASK_RUNNING = 0n;
const TASK_INTERRUPTIBLE = 1n;
const TASK_DEAD = 0x80n;

function fire(core: ScxCore, event: string, cpu: number, args: bigint[]): void {
  const progs = core.ops.tracepointPrograms?.(event);
  if (progs === undefined || progs.length === 0) return;
  for (const name of progs) {
    core.ctxStack.push({ op: 'tp_btf', cpu, mask: KfMask.UNLOCKED, ddspTask: null });
    try {
      core.ops.callProgram!(name, args);
    } catch (e) {
      if (!(e instanceof BpfFault)) throw e;
      core.faultExit(e);
    } finally {
      core.ctxStack.pop();
    }
  }
}

export function traceSwitch(core: ScxCore, cpu: SimCpu, prev: SimTask | null, next: SimTask | null, prevRunnable: boolean): void {
  const rqs = runqueuesOf(core);
  const prevPtr = prev?.ptr ?? rqs.idleTask(cpu.id);
  const nextPtr = next?.ptr ?? rqs.idleTask(cpu.id);
  const state = prev === null || prevRunnable ? TASK_RUNNING : prev.exiting ? TASK_DEAD : TASK_INTERRUPTIBLE;
  // preempt: prev was switched out while still runnable
  fire(core, 'sched_switch', cpu.id, [prev !== null && prevRunnable ? 1n : 0n, prevPtr, nextPtr, state]);
}

export function traceWakeup(core: ScxCore, p: SimTask, isNew: boolean): void {
  fire(core, isNew ? 'sched_wakeup_new' : 'sched_wakeup', p.cpu, [p.ptr]);
}

export function traceExit(core: ScxCore, p: SimTask): void {
  fire(core, 'sched_process_exit', p.cpu, [p.ptr]);
}

export function traceCgroupAttach(core: ScxCore, p: SimTask, to: SimCgroup): void {
  if (!core.ops.tracepointPrograms?.('cgroup_attach_task')?.length) return;
  const path = core.mem.allocString(`cgroup path ${to.path}`, to.path);
  fire(core, 'cgroup_attach_task', p.cpu, [to.ptr, core.mem.pointer(path), p.ptr, 0n]);
}
