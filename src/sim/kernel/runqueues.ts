// Each simulated CPU's struct rq and idle task in BPF memory, made on first
// use so runs that never ask for them allocate nothing (and keep the same
// address space as before).
//   - The idle task (pid 0, comm "swapper/N", the kernel's init_task clones)
//     is what bpf_get_current_task_btf() and rq->curr give on an idle CPU.
//     Its payload is an IdleTask, not a SimTask, so kfuncs that take a
//     scheduler task refuse it with their usual "not a task_struct" fault.
//   - struct rq's fields are written when a kfunc hands the rq out (curr,
//     nr_running, the clocks at the call), as a program holding the rq lock
//     would read them.

import type { Region } from '../../sched_ext/vm/memory';
import type { ScxCore } from '../core/scx_core';

/** The payload of an idle task's task_struct region. */
export class IdleTask {
  constructor(readonly cpu: number) {}
}

/**
 * Per-CPU kernel variables that read 0 here: __preempt_count (an int; no
 * preemption-disabled section is simulated) and cpufreq_cpu_data (a
 * struct cpufreq_policy pointer; no cpufreq driver, so NULL).
 */
const ZERO_PER_CPU: Record<string, number> = { __preempt_count: 4, cpufreq_cpu_data: 8 };

/** SCX_CPUPERF_ONE: every simulated CPU has the same, full capacity. */
const CPU_CAPACITY = 1024n;

export class Runqueues {
  private readonly idle = new Map<number, { region: Region; ptr: bigint }>();
  private readonly rqs = new Map<number, Region>();
  private readonly zeroed = new Map<string, Region>();

  constructor(private readonly core: ScxCore) {}

  /** task_struct pointer of `cpu`'s idle task. */
  idleTask(cpu: number): bigint {
    let t = this.idle.get(cpu);
    if (t === undefined) {
      const mem = this.core.mem;
      const region = mem.allocTask({ pid: 0, comm: `swapper/${cpu}`, nice: 0, weight: 0 }, new IdleTask(cpu));
      // the idle task runs in the kernel's idle class, not SCHED_EXT, and stays on its CPU
      const tl = mem.layout.task;
      region.view.setUint32(tl.policy, 5, true); // SCHED_IDLE
      region.view.setInt32(tl.cpu, cpu, true);
      t = { region, ptr: mem.pointer(region) };
      this.idle.set(cpu, t);
      // every idle task descends from CPU 0's (init_task, its own parent)
      mem.writeTaskFamily(region, cpu === 0 ? t.ptr : this.idleTask(0));
    }
    return t.ptr;
  }

  /** What `cpu` runs: its current task's task_struct, or its idle task. */
  curr(cpu: number): bigint {
    return this.core.cpus[cpu]?.curr?.ptr ?? this.idleTask(cpu);
  }

  /** A typed per-CPU kernel symbol: `runqueues` (cpu's struct rq), or one of ZERO_PER_CPU. */
  kernelSymbol(name: string, cpu: number): bigint | undefined {
    if (cpu < 0 || cpu >= this.core.cpus.length) return undefined;
    if (name === 'runqueues') return this.rq(cpu) || undefined;
    const size = ZERO_PER_CPU[name];
    if (size === undefined) return undefined;
    const key = `${name}/${cpu}`;
    let r = this.zeroed.get(key);
    if (r === undefined) {
      r = this.core.mem.alloc(`${name} cpu ${cpu}`, size);
      this.zeroed.set(key, r);
    }
    return this.core.mem.pointer(r);
  }

  /** struct rq pointer of `cpu`, its fields brought up to date; 0 when the kernel BTF has no struct rq. */
  rq(cpu: number): bigint {
    const mem = this.core.mem;
    const l = mem.layout.rq;
    if (l === undefined) return 0n;
    let r = this.rqs.get(cpu);
    if (r === undefined) {
      r = mem.alloc(`rq cpu ${cpu}`, l.size);
      this.rqs.set(cpu, r);
    }
    const c = this.core.cpus[cpu]!;
    const v = r.view;
    const now = BigInt(this.core.now());
    v.setUint32(l.nrRunning, c.local.length + (c.curr ? 1 : 0), true);
    v.setInt32(l.cpu, cpu, true);
    v.setBigUint64(l.clock, now, true);
    v.setBigUint64(l.clockTask, now, true);
    v.setBigUint64(l.clockPelt, now, true);
    v.setBigUint64(l.cpuCapacity, CPU_CAPACITY, true);
    v.setBigUint64(l.curr, this.curr(cpu), true);
    v.setBigUint64(l.idle, this.idleTask(cpu), true);
    return mem.pointer(r);
  }
}

const byCore = new WeakMap<ScxCore, Runqueues>();

/** The run queues of one simulated kernel. */
export function runqueuesOf(core: ScxCore): Runqueues {
  let r = byCore.get(core);
  if (r === undefined) {
    r = new Runqueues(core);
    byCore.set(core, r);
  }
  return r;
}
