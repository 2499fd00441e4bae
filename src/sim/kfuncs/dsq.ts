// sched_ext kfuncs that put tasks on DSQs and take them off: insertion
// (current and pre-v6.13 names), the dispatch-only ones, DSQ management and
// queries (kernel/sched/ext.c).

import {
  DSQ_FLAG_BUILTIN, DSQ_GLOBAL, DSQ_LOCAL, KfMask, dsqIdString,
} from '../kernel/consts';
import { deferReenqueueLocal, reenqueueLocal } from '../core/reenq_local';
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
  // v6.19 added scx_bpf_dsq_insert___v2, which returns whether the insertion
  // was accepted; scx_bpf_dsq_insert and the pre-v6.13 name return nothing
  const insert = (name: string, returnsBool: boolean) => reg(name, (env) => {
    const ok = dsqInsert(kc.core(), taskArg(env, 1, name), env.arg(2), env.arg(3), env.arg(4));
    return returnsBool ? ok : 0;
  });
  insert('scx_bpf_dsq_insert___v2', true);
  insert('scx_bpf_dsq_insert', false);
  insert('scx_bpf_dispatch', false);
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
    return reenqueueLocal(core, core.cpus[ctx.cpu]!);
  });
  reg('scx_bpf_reenqueue_local___v2', () => {
    const core = kc.core();
    const cpu = core.cpus[core.ctx?.cpu ?? -1];
    // outside any op (a BPF timer callback) there is no current CPU's rq to mark
    if (cpu === undefined) return core.error('scx_bpf_reenqueue_local___v2 called outside an op: no current CPU');
    deferReenqueueLocal(core, cpu);
  });
  // v6.19: the kernel checks the caller's authority over the task (sub-schedulers); one scheduler owns every task here
  reg('scx_bpf_task_set_slice', (env) => {
    taskArg(env, 1, 'scx_bpf_task_set_slice').slice = env.arg(2);
    return 1;
  });
  reg('scx_bpf_task_set_dsq_vtime', (env) => {
    taskArg(env, 1, 'scx_bpf_task_set_dsq_vtime').dsqVtime = env.arg(2);
    return 1;
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
