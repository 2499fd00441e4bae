// An op's arguments typed from its prototype: types from the kernel's
// `struct sched_ext_ops` member (kernel BTF), names from the scheduler's own
// BPF_STRUCT_OPS(...) line when line_info carries it, else the kernel's
// parameter names (kernel/sched/ext.c).

import type { Btf } from '../../sched_ext/btf/btf';
import type { ProgramImage } from '../../sched_ext/vm/abi';
import { fromBtf, U64 } from '../../sched_ext/debug/value_type';
import type { TypedArg } from '../../sched_ext/debug/paused_call';

/** Parameter names of struct sched_ext_ops callbacks, as ext.c declares them. */
export const OP_PARAM_NAMES: Readonly<Record<string, readonly string[]>> = {
  select_cpu: ['p', 'prev_cpu', 'wake_flags'], enqueue: ['p', 'enq_flags'], dequeue: ['p', 'deq_flags'],
  dispatch: ['cpu', 'prev'], tick: ['p'], runnable: ['p', 'enq_flags'], running: ['p'], stopping: ['p', 'runnable'],
  quiescent: ['p', 'deq_flags'], yield: ['from', 'to'], core_sched_before: ['a', 'b'], set_weight: ['p', 'weight'],
  set_cpumask: ['p', 'cpumask'], update_idle: ['cpu', 'idle'], cpu_acquire: ['cpu', 'args'], cpu_release: ['cpu', 'args'],
  init_task: ['p', 'args'], exit_task: ['p', 'args'], enable: ['p'], disable: ['p'], dump: ['ctx'],
  dump_cpu: ['ctx', 'cpu', 'idle'], dump_task: ['ctx', 'p'], cgroup_init: ['cgrp', 'args'], cgroup_exit: ['cgrp'],
  cgroup_prep_move: ['p', 'from', 'to'], cgroup_move: ['p', 'from', 'to'], cgroup_cancel_move: ['p', 'from', 'to'],
  cgroup_set_weight: ['cgrp', 'weight'], cgroup_set_bandwidth: ['cgrp', 'period_us', 'quota_us', 'burst_us'],
  cgroup_set_idle: ['cgrp', 'idle'], cpu_online: ['cpu'], cpu_offline: ['cpu'], init: [], exit: ['ei'],
};

/** Names from `BPF_STRUCT_OPS(name, struct task_struct *p, u64 enq_flags)` in the program's line_info text. */
export function sourceParamNames(image: ProgramImage): string[] | undefined {
  for (const l of image.lineInfo) {
    const m = /BPF_(?:STRUCT_OPS(?:_SLEEPABLE)?|PROG)\s*\(\s*\w+\s*((?:,[^)]*)?)\)/.exec(l.text);
    if (!m) continue;
    const params = m[1]!.split(',').map((x) => x.trim()).filter((x) => x !== '');
    return params.map((p) => /(\w+)\s*(?:\[[^\]]*\])?$/.exec(p)?.[1] ?? p);
  }
  return undefined;
}

/** The op's arguments with their names and types (kernel BTF). */
export function typedOpArgs(kernelBtf: Btf, op: string, image: ProgramImage | undefined, args: readonly bigint[]): TypedArg[] {
  const ops = kernelBtf.findByName('sched_ext_ops', 'struct');
  let params: { type: number }[] = [];
  if (ops) {
    const m = kernelBtf.findMember(ops.id, op);
    const ptr = m ? kernelBtf.resolve(m.member.type) : undefined;
    const proto = ptr?.kind === 'ptr' ? kernelBtf.resolve(ptr.type) : undefined;
    if (proto?.kind === 'func_proto') params = proto.params;
  }
  const names = (image && sourceParamNames(image)) ?? OP_PARAM_NAMES[op] ?? [];
  return args.map((value, i) => ({
    name: names[i] ?? `ctx${i}`,
    type: params[i] ? fromBtf(kernelBtf, params[i]!.type) : U64,
    value,
  }));
}
