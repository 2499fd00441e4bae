// sched_ext kfuncs that hand out a CPU's runqueue or its current task
// (kernel/sched/ext.c): scx_bpf_cpu_rq (v6.12; deprecated in v6.18),
// scx_bpf_cpu_curr and scx_bpf_locked_rq (v6.18). An idle CPU's curr is its
// idle task (pid 0), as in the kernel.

import { runqueuesOf } from '../kernel/runqueues';
import type { KfuncContext, KfuncSink } from './context';
import { registrar } from './context';

export function registerRqKfuncs(sink: KfuncSink, kc: KfuncContext): void {
  const reg = registrar(sink, kc);
  reg('scx_bpf_cpu_rq', (env) => {
    const core = kc.core();
    const cpu = env.argS32(1);
    return core.cpuValid(cpu, 'in scx_bpf_cpu_rq') ? runqueuesOf(core).rq(cpu) : 0n;
  });
  reg('scx_bpf_cpu_curr', (env) => {
    const core = kc.core();
    const cpu = env.argS32(1);
    return core.cpuValid(cpu, 'in scx_bpf_cpu_curr') ? runqueuesOf(core).curr(cpu) : 0n;
  });
  reg('scx_bpf_locked_rq', () => {
    const core = kc.core();
    // the rq whose lock the running op holds; outside an op there is none
    const cpu = core.ctx?.cpu;
    if (cpu === undefined) {
      core.error('scx_bpf_locked_rq: called without an rq locked');
      return 0n;
    }
    return runqueuesOf(core).rq(cpu);
  });
}
