// The NUMA-aware sched_ext kfuncs (kernel/sched/ext_idle.c, v6.15+) on a
// machine with one node: every CPU is on node 0, nr_node_ids is 1. As in the
// kernel, the *_node idle kfuncs need SCX_OPS_BUILTIN_IDLE_PER_NODE (and
// built-in idle tracking), NUMA_NO_NODE (-1) is "no such node" without an
// error, and any other node but 0 is a scheduler error.

import { OpsFlag, PickIdleFlag } from '../kernel/consts';
import { EBUSY } from '../core/idle';
import { EINVAL, ENOENT, EOPNOTSUPP } from '../../sched_ext/runtime/errno';
import type { KfuncContext, KfuncSink } from './context';
import { cpumaskArg, registrar } from './context';

export const NUMA_NO_NODE = -1;

export function registerNumaKfuncs(sink: KfuncSink, kc: KfuncContext): void {
  const reg = registrar(sink, kc);

  /** validate_node(): the node, or a negative errno (after scx_error() where the kernel raises one). */
  const validNode = (node: number, name: string): number => {
    const core = kc.core();
    if (!core.builtinIdle) {
      core.error(`${name}: built-in idle tracking is disabled`);
      return -EOPNOTSUPP;
    }
    if ((core.ops.flags & OpsFlag.BUILTIN_IDLE_PER_NODE) === 0n) {
      core.error(`${name}: per-node idle tracking is disabled`);
      return -EOPNOTSUPP;
    }
    if (node === NUMA_NO_NODE) return -ENOENT;
    if (node !== 0) {
      core.error(`invalid node ${node}`);
      return -EINVAL;
    }
    return node;
  };
  let noneMask: bigint | undefined;
  const cpuNoneMask = () => {
    const core = kc.core();
    noneMask ??= core.mem.pointer(core.mem.allocCpumask('cpu_none_mask'));
    return noneMask;
  };

  reg('scx_bpf_cpu_node', (env) => {
    const cpu = env.argS32(1);
    return kc.core().cpuValid(cpu, 'in scx_bpf_cpu_node') ? 0 : NUMA_NO_NODE;
  });

  reg('scx_bpf_get_idle_cpumask_node', (env) => {
    const core = kc.core();
    if (validNode(env.argS32(1), 'scx_bpf_get_idle_cpumask_node') < 0) return cpuNoneMask();
    return core.mem.pointer(core.idle.cpuMask);
  });
  reg('scx_bpf_get_idle_smtmask_node', (env) => {
    const core = kc.core();
    if (validNode(env.argS32(1), 'scx_bpf_get_idle_smtmask_node') < 0) return cpuNoneMask();
    return core.mem.pointer(core.idle.hasSmt ? core.idle.smtMask : core.idle.cpuMask);
  });

  reg('scx_bpf_pick_idle_cpu_node', (env) => {
    const core = kc.core();
    const node = validNode(env.argS32(2), 'scx_bpf_pick_idle_cpu_node');
    if (node < 0) return node;
    const flags = env.arg(3);
    return core.idle.pick(cpumaskArg(env, 1, core.cpus.length), (flags & BigInt(PickIdleFlag.CORE)) !== 0n);
  });
  reg('scx_bpf_pick_any_cpu_node', (env) => {
    const core = kc.core();
    const node = validNode(env.argS32(2), 'scx_bpf_pick_any_cpu_node');
    if (node < 0) return node;
    const allowed = cpumaskArg(env, 1, core.cpus.length);
    const c = core.idle.pick(allowed, (env.arg(3) & BigInt(PickIdleFlag.CORE)) !== 0n);
    if (c >= 0) return c;
    const any = allowed.indexOf(1);
    return any >= 0 ? any : EBUSY;
  });
}
