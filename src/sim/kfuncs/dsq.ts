// sched_ext kfuncs that put tasks on DSQs and take them off: insertion
// (current and pre-v6.13 names), the dispatch-only ones, DSQ management and
// queries (kernel/sched/ext.c).

import {
  DSQ_FLAG_BUILTIN, DSQ_GLOBAL, DSQ_LOCAL, EnqFlag, KfMask, dsqIdString,
} from '../kernel/consts';
import { compareKernelVersions } from '../kernel/kernel_env';
import { DispatchQueue } from '../core/dsq';
import { dispatchCancel, dispatchNrSlots, dsqInsert, moveToLocal } from '../core/dispatch';
import type { KfuncContext, KfuncSink } from './context';
import { registrar, taskArg } from './context';
import { dsqName } from '../../model/text';

const EINVAL = -22;
const EEXIST = -17;
const ENOENT = -2;

export function registerDsqKfuncs(sink: KfuncSink, kc: KfuncContext): void {
  const reg = registrar(sink, kc);
  // v6.19 made scx_bpf_dsq_insert return whether the insertion was accepted
  const insertReturnsBool = compareKernelVersions(kc.kernelVersion, '6.19.0') >= 0;

  const insert = (name: string) => reg(name, (env) => {
    const ok = dsqInsert(kc.core(), taskArg(env, 1, name), env.arg(2), env.arg(3), env.arg(4));
    return insertReturnsBool ? ok : 0;
  });
  insert('scx_bpf_dsq_insert');
  insert('scx_bpf_dispatch');
  const insertVtime = (name: string) => reg(name, (env) => {
    dsqInsert(kc.core(), taskArg(env, 1, name), env.arg(2), env.arg(3), env.arg(5), env.arg(4));
  });
  insertVtime('scx_bpf_dsq_insert_vtime');
  insertVtime('scx_bpf_dispatch_vtime');

  reg('scx_bpf_dispatch_nr_slots', () => dispatchNrSlots(kc.core()));
  reg('scx_bpf_dispatch_cancel', () => dispatchCancel(kc.core()));
  reg('scx_bpf_dsq_move_to_local', (env) => moveToLocal(kc.core(), env.arg(1)));
  reg('scx_bpf_consume', (env) => moveToLocal(kc.core(), env.arg(1)));

  reg('scx_bpf_reenqueue_local', () => {
    const core = kc.core();
    const ctx = core.ctx;
    if (!ctx || (ctx.mask !== KfMask.UNLOCKED && (ctx.mask & KfMask.CPU_RELEASE) === 0)) {
      core.error(`scx_bpf_reenqueue_local called from ops.${ctx?.op ?? '?'}: only ops.cpu_release may re-enqueue`);
      return 0;
    }
    // like the kernel: everything on this CPU's local DSQ goes back through ops.enqueue with SCX_ENQ_REENQ
    const local = core.cpus[ctx.cpu]!.local;
    const tasks = [...local.tasks];
    for (const p of tasks) {
      core.removeFromDsq(p, 'dequeue');
      core.doEnqueue(p, EnqFlag.REENQ);
    }
    return tasks.length;
  });

  reg('scx_bpf_create_dsq', (env) => {
    const core = kc.core();
    const id = env.arg(1);
    if (id & DSQ_FLAG_BUILTIN) return EINVAL;
    if (core.userDsqs.has(id)) return EEXIST;
    core.userDsqs.set(id, new DispatchQueue(id, 'user', dsqName(id)));
    core.host.emit({ t: core.now(), kind: 'dsq_create', dsq: dsqIdString(id), name: dsqName(id), vtime: false });
    return 0;
  });
  reg('scx_bpf_destroy_dsq', (env) => {
    const core = kc.core();
    const dsq = core.userDsqs.get(env.arg(1));
    if (!dsq) return;
    if (dsq.length > 0) {
      core.error(`attempting to destroy in-use dsq ${dsqIdString(dsq.id)} (nr=${dsq.length})`);
      return;
    }
    core.userDsqs.delete(dsq.id);
  });
  reg('scx_bpf_dsq_nr_queued', (env) => {
    const core = kc.core();
    const dsq = core.lookupDsq(env.arg(1), core.ctx?.cpu ?? 0);
    return dsq ? dsq.length : ENOENT;
  });
  reg('scx_bpf_dsq_peek', (env) => {
    const core = kc.core();
    const dsq = core.lookupDsq(env.arg(1), core.ctx?.cpu ?? 0);
    return dsq?.first()?.ptr ?? 0n;
  });
  void DSQ_GLOBAL;
  void DSQ_LOCAL;
}
