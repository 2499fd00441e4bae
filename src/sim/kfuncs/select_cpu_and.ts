// scx_bpf_select_cpu_and (v6.16, kernel/sched/ext_idle.c): the default idle
// CPU selection limited to `cpus_allowed` ∧ p->cpus_ptr, returning the idle
// CPU it claimed or -EBUSY (unlike scx_bpf_select_cpu_dfl it never falls back
// to prev_cpu). SCX_PICK_IDLE_CORE asks for a whole idle core only. v6.19
// packs the scalars in struct scx_bpf_select_cpu_and_args for
// __scx_bpf_select_cpu_and, and likewise __scx_bpf_dsq_insert_vtime takes
// struct scx_bpf_dsq_insert_vtime_args; the unpacked names stay for
// binary compatibility.

import { PickIdleFlag } from '../kernel/consts';
import { EBUSY } from '../core/idle';
import { dsqInsert } from '../core/dispatch';
import type { NativeEnv } from '../../sched_ext/vm/abi';
import type { KfuncContext, KfuncSink } from './context';
import { cpumaskArg, registrar, taskArg } from './context';

export function registerSelectCpuAndKfuncs(sink: KfuncSink, kc: KfuncContext): void {
  const reg = registrar(sink, kc);
  const select = (env: NativeEnv, name: string, maskArg: 2 | 4, prev: number, flags: bigint): number => {
    const core = kc.core();
    const p = taskArg(env, 1, name);
    if (!core.cpuValid(prev, `in ${name}`)) return EBUSY;
    if (!core.builtinIdle) {
      core.error(`${name}: built-in idle tracking is disabled`);
      return EBUSY;
    }
    const mask = cpumaskArg(env, maskArg, core.cpus.length);
    const allowed = new Uint8Array(core.cpus.length);
    for (let c = 0; c < allowed.length; c++) allowed[c] = p.allowed[c]! & mask[c]!;
    if ((Number(flags) & PickIdleFlag.CORE) !== 0) return core.idle.pick(allowed, true, 0, prev);
    const r = core.idle.selectDfl(allowed, prev);
    return r.idle ? r.cpu : EBUSY;
  };
  // s32 scx_bpf_select_cpu_and(p, prev_cpu, wake_flags, cpus_allowed, flags)
  reg('scx_bpf_select_cpu_and', (env) => select(env, 'scx_bpf_select_cpu_and', 4, env.argS32(2), env.arg(5)));
  // s32 __scx_bpf_select_cpu_and(p, cpus_allowed, args { s32 prev_cpu; u64 wake_flags; u64 flags; })
  reg('__scx_bpf_select_cpu_and', (env) => {
    const a = env.space.readBytes(env.arg(3), 24);
    const v = new DataView(a.buffer, a.byteOffset, 24);
    return select(env, '__scx_bpf_select_cpu_and', 2, v.getInt32(0, true), v.getBigUint64(16, true));
  });
  // bool __scx_bpf_dsq_insert_vtime(p, args { u64 dsq_id; u64 slice; u64 vtime; u64 enq_flags; })
  reg('__scx_bpf_dsq_insert_vtime', (env) => {
    const a = env.space.readBytes(env.arg(2), 32);
    const v = new DataView(a.buffer, a.byteOffset, 32);
    return dsqInsert(kc.core(), taskArg(env, 1, '__scx_bpf_dsq_insert_vtime'), v.getBigUint64(0, true), v.getBigUint64(8, true), v.getBigUint64(24, true), v.getBigUint64(16, true));
  });
}
