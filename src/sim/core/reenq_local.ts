// Re-enqueueing a CPU's local DSQ (kernel/sched/ext.c):
//   scx_bpf_reenqueue_local()      only from ops.cpu_release: every task on
//                                  the CPU's local DSQ goes back through
//                                  ops.enqueue with SCX_ENQ_REENQ, now; it
//                                  returns how many.
//   scx_bpf_reenqueue_local___v2() (v6.19) from any op: the CPU only marks
//                                  its rq (reenq_local_deferred) and the
//                                  re-enqueue runs from its deferred work,
//                                  after the op. Here that is the CPU's
//                                  irq work event at the same instant, the
//                                  one that delivers its kicks (kick.ts).

import * as K_consts from '../kernel/consts';
import type { SimCpu } from './cpu';
import type { ScxCore } from './scx_core';

const { EnqFlag } = K_consts;

/** Move every task on `cpu`'s local DSQ back through ops.enqueue with SCX_ENQ_REENQ; returns how many. */
export function reenqueueLocal(core: ScxCore, cpu: SimCpu): number {
  const tasks = [...cpu.local.tasks];
  for (const p of tasks) {
    core.removeFromDsq(p, 'dequeue');
    core.doEnqueue(p, EnqFlag.REENQ);
  }
  return tasks.length;
}

/** scx_bpf_reenqueue_local___v2(): mark the CPU and queue its deferred work. */
export function deferReenqueueLocal(core: ScxCore, cpu: SimCpu): void {
  cpu.reenqLocalDeferred = true;
  core.host.queueKickWork(cpu.id);
}

/** The CPU's deferred work: run a re-enqueue marked by scx_bpf_reenqueue_local___v2. */
export function runDeferredReenqueue(core: ScxCore, cpu: SimCpu): void {
  if (!cpu.reenqLocalDeferred) return;
  cpu.reenqLocalDeferred = false;
  if (!core.disabled) reenqueueLocal(core, cpu);
}
