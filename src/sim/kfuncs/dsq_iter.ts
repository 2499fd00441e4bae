// The BPF DSQ iterator (bpf_iter_scx_dsq_*) and moving tasks out of the DSQ
// being iterated (scx_bpf_dsq_move[_vtime], formerly
// scx_bpf_dispatch[_vtime]_from_dsq). As in ext.c, the iterator only visits
// tasks queued before it started (dsq_seq not after its snapshot), and a
// move fails if the task has left that DSQ since.

import type { NativeEnv } from '../../sched_ext/vm/abi';
import { DSQ_ITER_REV, DSQ_ITER_USER_FLAGS, EnqFlag, KfMask } from '../kernel/consts';
import type { DispatchQueue } from '../core/dsq';
import { dispatchEnqueue, dispatchToLocal, findDsqForDispatch } from '../core/dispatch';
import type { SimTask } from '../core/task';
import type { KfuncContext, KfuncSink } from './context';
import { registrar, taskArg } from './context';

const EINVAL = -22;
const ENOENT = -2;

interface DsqIter {
  dsq: DispatchQueue;
  seq: number;
  rev: boolean;
  visited: Set<SimTask>;
  slice?: bigint;
  vtime?: bigint;
}

export function registerDsqIterKfuncs(sink: KfuncSink, kc: KfuncContext): void {
  const reg = registrar(sink, kc);
  const iters = new Map<number, DsqIter>();
  let nextId = 1;

  // the iterator lives in 48 opaque bytes on the BPF stack; we keep an id in the first word
  const iterOf = (env: NativeEnv, i: 1 | 2 = 1): DsqIter | undefined => {
    const id = Number(env.space.readU64(env.arg(i)) & 0xffff_ffffn);
    return iters.get(id);
  };

  reg('bpf_iter_scx_dsq_new', (env) => {
    const core = kc.core();
    const flags = env.arg(3);
    env.space.writeU64(env.arg(1), 0n);
    if (flags & ~DSQ_ITER_USER_FLAGS) return EINVAL;
    const dsq = core.lookupDsq(env.arg(2), core.ctx?.cpu ?? 0);
    if (!dsq) return ENOENT;
    const id = nextId++;
    iters.set(id, { dsq, seq: dsq.seq, rev: (flags & DSQ_ITER_REV) !== 0n, visited: new Set() });
    env.space.writeU64(env.arg(1), BigInt(id));
    return 0;
  });
  reg('bpf_iter_scx_dsq_next', (env) => {
    const it = iterOf(env);
    if (!it) return 0n;
    const tasks = it.dsq.tasks;
    for (let k = 0; k < tasks.length; k++) {
      const p = tasks[it.rev ? tasks.length - 1 - k : k]!;
      if (it.visited.has(p) || p.dsqSeq > it.seq) continue;
      it.visited.add(p);
      return p.ptr;
    }
    return 0n;
  });
  reg('bpf_iter_scx_dsq_destroy', (env) => {
    const id = Number(env.space.readU64(env.arg(1)) & 0xffff_ffffn);
    iters.delete(id);
    env.space.writeU64(env.arg(1), 0n);
  });

  const setSlice = (env: NativeEnv) => {
    const it = iterOf(env);
    if (it) it.slice = env.arg(2);
  };
  const setVtime = (env: NativeEnv) => {
    const it = iterOf(env);
    if (it) it.vtime = env.arg(2);
  };
  reg('scx_bpf_dsq_move_set_slice', setSlice);
  reg('scx_bpf_dispatch_from_dsq_set_slice', setSlice);
  reg('scx_bpf_dsq_move_set_vtime', setVtime);
  reg('scx_bpf_dispatch_from_dsq_set_vtime', setVtime);

  const move = (name: string, vtime: boolean) => reg(name, (env) => {
    const core = kc.core();
    const ctx = core.ctx;
    // scx_dsq_move(): from ops.dispatch, or from contexts that hold no rq lock:
    // unlocked ops, and outside any op (a BPF timer callback, a SEC("syscall") program)
    if (ctx && ctx.mask !== KfMask.UNLOCKED && (ctx.mask & KfMask.DISPATCH) === 0) {
      core.error(`${name} called from ops.${ctx?.op ?? '?'}: only ops.dispatch and unlocked contexts may move tasks`);
      return false;
    }
    const it = iterOf(env);
    const p = taskArg(env, 2, name);
    if (!it || p.dsq !== it.dsq || p.dsqSeq > it.seq) return false;
    const dsqId = env.arg(3);
    let flags = env.arg(4);
    if (it.slice !== undefined) p.slice = it.slice;
    if (it.vtime !== undefined) p.dsqVtime = it.vtime;
    if (vtime) flags |= EnqFlag.DSQ_PRIQ;
    const inDispatch = ctx !== undefined && (ctx.mask & KfMask.DISPATCH) !== 0;
    const cpu = inDispatch ? ctx.cpu : p.cpu;
    core.removeFromDsq(p, 'move');
    const dst = findDsqForDispatch(core, cpu, dsqId, p);
    if (dst.kind === 'local') dispatchToLocal(core, dst.cpu, p, flags, false);
    else dispatchEnqueue(core, dst, p, flags);
    if (inDispatch) core.dspNrTasks++;
    return true;
  });
  move('scx_bpf_dsq_move', false);
  move('scx_bpf_dsq_move_vtime', true);
  move('scx_bpf_dispatch_from_dsq', false);
  move('scx_bpf_dispatch_vtime_from_dsq', true);
}
