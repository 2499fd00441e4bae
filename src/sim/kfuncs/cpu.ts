// sched_ext kfuncs about CPUs, idle tracking and tasks' whereabouts
// (kernel/sched/ext.c, kernel/sched/ext_idle.c).

import { KfMask, PickIdleFlag } from '../kernel/consts';
import { EBUSY } from '../core/idle';
import { kickCpu } from '../core/schedule';
import { writeMaskBits } from '../kernel/kernel_memory';
import type { Region } from '../../sched_ext/vm/memory';
import type { NativeEnv } from '../../sched_ext/vm/abi';
import type { KfuncContext, KfuncSink } from './context';
import { cgroupArg, cpumaskArg, registrar, taskArg } from './context';

export function registerCpuKfuncs(sink: KfuncSink, kc: KfuncContext): void {
  const reg = registrar(sink, kc);
  let allMask: Region | undefined;
  const fullMask = () => {
    const core = kc.core();
    if (!allMask) {
      allMask = core.mem.allocCpumask('possible cpumask');
      writeMaskBits(allMask.bytes, 0, allMask.size, new Uint8Array(core.cpus.length).fill(1));
    }
    return core.mem.pointer(allMask);
  };
  /** check_builtin_idle_enabled(): idle kfuncs need the kernel's idle tracking. */
  const builtinIdle = (name: string): boolean => {
    const core = kc.core();
    if (core.builtinIdle) return true;
    core.error(`${name}: built-in idle tracking is disabled`);
    return false;
  };

  reg('scx_bpf_kick_cpu', (env) => kickCpu(kc.core(), env.argS32(1), Number(env.arg(2) & 0xffffn)));

  reg('scx_bpf_select_cpu_dfl', (env) => {
    const core = kc.core();
    const p = taskArg(env, 1, 'scx_bpf_select_cpu_dfl');
    const prev = env.argS32(2);
    const isIdlePtr = env.arg(4);
    if (isIdlePtr !== 0n) writeBool(env, isIdlePtr, false);
    if (!core.cpuValid(prev, 'in scx_bpf_select_cpu_dfl') || !builtinIdle('scx_bpf_select_cpu_dfl')) return prev;
    if (!core.ctx || (core.ctx.mask & KfMask.SELECT_CPU) === 0) {
      core.error(`scx_bpf_select_cpu_dfl called from ops.${core.ctx?.op ?? '?'}: only ops.select_cpu may call it`);
      return prev;
    }
    const r = core.idle.selectDfl(p.allowed, prev);
    if (isIdlePtr !== 0n && r.idle) writeBool(env, isIdlePtr, true);
    return r.cpu;
  });

  reg('scx_bpf_pick_idle_cpu', (env) => {
    const core = kc.core();
    if (!builtinIdle('scx_bpf_pick_idle_cpu')) return EBUSY;
    return core.idle.pick(cpumaskArg(env, 1, core.cpus.length), (env.arg(2) & BigInt(PickIdleFlag.CORE)) !== 0n);
  });
  reg('scx_bpf_pick_any_cpu', (env) => {
    const core = kc.core();
    const allowed = cpumaskArg(env, 1, core.cpus.length);
    if (core.builtinIdle) {
      const c = core.idle.pick(allowed, (env.arg(2) & BigInt(PickIdleFlag.CORE)) !== 0n);
      if (c >= 0) return c;
    }
    const any = allowed.indexOf(1);
    return any >= 0 ? any : EBUSY;
  });
  reg('scx_bpf_test_and_clear_cpu_idle', (env) => {
    const core = kc.core();
    const cpu = env.argS32(1);
    if (!builtinIdle('scx_bpf_test_and_clear_cpu_idle') || !core.cpuValid(cpu, 'in scx_bpf_test_and_clear_cpu_idle')) return false;
    return core.idle.testAndClear(cpu);
  });
  reg('scx_bpf_get_idle_cpumask', () => {
    const core = kc.core();
    builtinIdle('scx_bpf_get_idle_cpumask');
    return core.mem.pointer(core.idle.cpuMask);
  });
  reg('scx_bpf_get_idle_smtmask', () => {
    const core = kc.core();
    builtinIdle('scx_bpf_get_idle_smtmask');
    return core.mem.pointer(core.idle.hasSmt ? core.idle.smtMask : core.idle.cpuMask);
  });
  reg('scx_bpf_put_idle_cpumask', () => {});
  reg('scx_bpf_put_cpumask', () => {});
  reg('scx_bpf_get_possible_cpumask', fullMask);
  reg('scx_bpf_get_online_cpumask', fullMask);
  reg('scx_bpf_nr_cpu_ids', () => kc.core().cpus.length);
  reg('scx_bpf_nr_node_ids', () => 1);
  reg('scx_bpf_task_cpu', (env) => taskArg(env, 1, 'scx_bpf_task_cpu').cpu);
  reg('scx_bpf_task_running', (env) => {
    const p = taskArg(env, 1, 'scx_bpf_task_running');
    return kc.core().cpus[p.cpu]!.curr === p;
  });
  reg('scx_bpf_cpuperf_cap', (env) => (kc.core().cpuValid(env.argS32(1), 'in scx_bpf_cpuperf_cap') ? 1024 : 0));
  reg('scx_bpf_cpuperf_cur', (env) => {
    const core = kc.core();
    const cpu = env.argS32(1);
    return core.cpuValid(cpu, 'in scx_bpf_cpuperf_cur') ? core.cpus[cpu]!.perfTarget : 0;
  });
  reg('scx_bpf_cpuperf_set', (env) => {
    const core = kc.core();
    const cpu = env.argS32(1);
    const perf = env.argU32(2);
    if (perf > 1024) return core.error(`Invalid cpuperf target ${perf} for CPU ${cpu}`);
    if (core.cpuValid(cpu, 'in scx_bpf_cpuperf_set')) core.cpus[cpu]!.perfTarget = perf;
  });
  reg('scx_bpf_now', () => BigInt(kc.core().now()));

  reg('scx_bpf_task_cgroup', (env) => {
    const p = taskArg(env, 1, 'scx_bpf_task_cgroup');
    const cg = p.cgroup ?? kc.core().cgroups[0];
    if (!cg) return 0n;
    return kc.acquire ? kc.acquire(env, cg.ptr, 'cgroup') : cg.ptr;
  });
  reg('bpf_cgroup_ancestor', (env) => {
    const cg = cgroupArg(env, 1, 'bpf_cgroup_ancestor');
    const level = env.argS32(2);
    const anc = level >= 0 ? cg.ancestors()[level] : undefined;
    if (!anc) return 0n;
    return kc.acquire ? kc.acquire(env, anc.ptr, 'cgroup') : anc.ptr;
  });
  reg('bpf_cgroup_from_id', (env) => {
    const id = Number(env.arg(1));
    const cg = kc.core().cgroups.find((c) => c.id === id);
    if (!cg) return 0n;
    return kc.acquire ? kc.acquire(env, cg.ptr, 'cgroup') : cg.ptr;
  });
}

function writeBool(env: NativeEnv, ptr: bigint, v: boolean): void {
  const { region, offset } = env.space.resolve(ptr, 1, true);
  region.bytes[offset] = v ? 1 : 0;
}
