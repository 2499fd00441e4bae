// Putting tasks on DSQs, as ext.c does: direct dispatch from
// select_cpu/enqueue, the dispatch buffer of ops.dispatch with its queue
// sequence check, moves between CPUs' local DSQs, and consuming from shared
// DSQs in the balance path.

import * as K_consts from '../kernel/consts';
import type { DispatchQueue } from './dsq';
import type { KfuncSite, ScxCore } from './scx_core';
import { OpsState, type SimTask } from './task';
import { EV } from './event_stats';

// locals, not live bindings: imported bindings cost a getter call per use under tsx
const { DSQ_FLAG_BUILTIN, DSQ_GLOBAL, DSQ_INVALID, DSQ_LOCAL, DSQ_LOCAL_CPU_MASK, DSQ_LOCAL_ON, ENQ_INTERNAL_MASK, EnqFlag, KfMask, dsqIdString } = K_consts;

const HEAD_OR_PREEMPT = EnqFlag.HEAD | EnqFlag.PREEMPT;
/** A slice above this is written as -1 in a dsq_insert event (SCX_SLICE_INF and the like). */
const MAX_SAFE_SLICE = BigInt(Number.MAX_SAFE_INTEGER);

/** find_dsq_for_dispatch(): resolve a DSQ id relative to the CPU doing the dispatch. */
export function findDsqForDispatch(core: ScxCore, cpu: number, dsqId: bigint, p: SimTask, site?: KfuncSite): DispatchQueue {
  if (dsqId === DSQ_LOCAL) return core.cpus[cpu]!.local;
  if ((dsqId & DSQ_LOCAL_ON) === DSQ_LOCAL_ON) {
    const target = Number(dsqId & DSQ_LOCAL_CPU_MASK);
    if (target >= core.cpus.length) {
      core.error(`invalid CPU ${target} in SCX_DSQ_LOCAL_ON dispatch verdict`, undefined, site ?? core.kfuncSite);
      return core.globalDsq;
    }
    return core.cpus[target]!.local;
  }
  if (dsqId === DSQ_GLOBAL) return core.globalDsq;
  const dsq = core.userDsqs.get(dsqId);
  if (!dsq) {
    core.error(`non-existent DSQ ${dsqIdString(dsqId)} for ${p.comm}[${p.pid}]`, undefined, site ?? core.kfuncSite);
    return core.globalDsq;
  }
  return dsq;
}

/** direct_dispatch(): carry out the verdict select_cpu/enqueue stored in p->scx.ddsp_*. */
export function directDispatch(core: ScxCore, p: SimTask, enqFlags: bigint): void {
  const flags = enqFlags | p.ddspEnqFlags;
  const dsq = findDsqForDispatch(core, p.cpu, p.ddspDsqId, p, p.ddspSite);
  p.ddspDsqId = DSQ_INVALID;
  p.ddspEnqFlags = 0n;
  p.opsState = OpsState.NONE;
  if (dsq.kind === 'local') dispatchToLocal(core, dsq.cpu, p, flags, true);
  else dispatchEnqueue(core, dsq, p, flags);
}

/**
 * dispatch_to_local_dsq(): a task can only sit on the local DSQ of a CPU it
 * may run on; naming a disallowed CPU is an error and the task goes global
 * (task_can_run_on_remote_rq() with enforce).
 */
export function dispatchToLocal(core: ScxCore, cpu: number, p: SimTask, enqFlags: bigint, enforce: boolean): void {
  // an offline CPU takes no tasks (scx_rq_online()): they go to the global DSQ
  if (!core.cpus[cpu]!.online) {
    if (enforce) core.events.add(EV.DISPATCH_LOCAL_DSQ_OFFLINE);
    return dispatchEnqueue(core, core.globalDsq, p, enqFlags);
  }
  if (p.cpu !== cpu && !p.isAllowed(cpu)) {
    if (enforce) core.error(`SCX_DSQ_LOCAL[_ON] target CPU ${cpu} not allowed for ${p.comm}[${p.pid}]`);
    return dispatchEnqueue(core, core.globalDsq, p, enqFlags);
  }
  core.setTaskCpu(p, cpu);
  dispatchEnqueue(core, core.cpus[cpu]!.local, p, enqFlags);
}

/** dispatch_enqueue(): insert, refusing vtime on built-in DSQs and FIFO/vtime mixing. */
export function dispatchEnqueue(core: ScxCore, dsq: DispatchQueue, p: SimTask, enqFlags: bigint): void {
  let flags = enqFlags;
  p.opsState = OpsState.NONE;
  let priq = (flags & EnqFlag.DSQ_PRIQ) !== 0n;
  if (priq) {
    if (dsq.id & DSQ_FLAG_BUILTIN) {
      core.error('cannot use vtime ordering for built-in DSQs');
      flags &= ~EnqFlag.DSQ_PRIQ;
      priq = false;
    } else if (dsq.ordering === 'fifo') {
      // the scheduler is on its way out; keep the queue one ordering so it stays consistent
      core.error(`DSQ ${dsqIdString(dsq.id)} already had FIFO-enqueued tasks`);
      flags &= ~EnqFlag.DSQ_PRIQ;
      priq = false;
    }
  } else if (dsq.ordering === 'vtime') {
    core.error(`DSQ ${dsqIdString(dsq.id)} already had PRIQ-enqueued tasks`);
    flags |= EnqFlag.DSQ_PRIQ;
    priq = true;
  }
  const head = (flags & HEAD_OR_PREEMPT) !== 0n;
  let vtime: bigint | undefined;
  if (priq) {
    vtime = p.dsqVtime;
    dsq.pushVtime(p, vtime);
  } else {
    dsq.pushFifo(p, head);
  }
  if (core.host.listening()) {
    core.host.emit({
      t: core.now(), kind: 'dsq_insert', cpu: core.ctx?.cpu ?? p.cpu, dsq: dsq.idText,
      pid: p.pid, slice: Number(p.slice > MAX_SAFE_SLICE ? -1n : p.slice), vtime: vtime === undefined ? undefined : Number(vtime), head,
    });
  }
  if (dsq.kind === 'local') {
    // a local insertion with SCX_ENQ_PREEMPT ends the current task's slice;
    // an idle CPU always reschedules (sched_class_above(ext, idle))
    const cpu = core.cpus[dsq.cpu]!;
    if ((flags & EnqFlag.PREEMPT) && cpu.curr && cpu.curr !== p) {
      cpu.curr.slice = 0n;
      core.host.resched(cpu.id);
    } else if (cpu.curr === null) {
      core.host.resched(cpu.id);
    }
  }
}

// ---- kfunc-facing: scx_bpf_dsq_insert[_vtime] --------------------------

/**
 * scx_dsq_insert_preamble() + scx_dsq_insert_commit(): write the slice (and
 * vtime), then either record the direct-dispatch verdict or buffer the
 * insertion for the end of ops.dispatch, remembering the queue sequence.
 */
export function dsqInsert(core: ScxCore, p: SimTask, dsqId: bigint, slice: bigint, enqFlags: bigint, vtime?: bigint): boolean {
  const ctx = core.ctx;
  if (!ctx || (ctx.mask & (KfMask.ENQUEUE | KfMask.DISPATCH)) === 0) {
    core.error(`scx_bpf_dsq_insert called from ops.${ctx?.op ?? '?'}: only ops.select_cpu, ops.enqueue and ops.dispatch may insert`);
    return false;
  }
  if (enqFlags & ENQ_INTERNAL_MASK) {
    core.error(`invalid SCX_ENQ flags 0x${enqFlags.toString(16)}`);
    return false;
  }
  if (slice !== 0n) p.slice = slice;
  else if (p.slice === 0n) p.slice = 1n;
  let flags = enqFlags;
  if (vtime !== undefined) {
    p.dsqVtime = vtime;
    flags |= EnqFlag.DSQ_PRIQ;
  }
  if (ctx.ddspTask !== null) {
    if (ctx.ddspTask === 'done') {
      core.error(`${p.comm}[${p.pid}] already direct-dispatched`);
      return false;
    }
    if (ctx.ddspTask !== p) {
      core.error(`scheduling for ${ctx.ddspTask.comm}[${ctx.ddspTask.pid}] but trying to direct-dispatch ${p.comm}[${p.pid}]`);
      return false;
    }
    p.ddspDsqId = dsqId;
    p.ddspEnqFlags = flags;
    p.ddspSite = copySite(core.kfuncSite);
    ctx.ddspTask = 'done';
    return true;
  }
  if (core.dspBuf.length >= core.maxBatch) {
    core.error('dispatch buffer overflow');
    return false;
  }
  core.dspBuf.push({ p, qseq: p.qseq, dsqId, enqFlags: flags, site: copySite(core.kfuncSite) });
  core.dspNrTasks++;
  return true;
}

/** A copy of the (reused) kfunc site record; an object literal is cheaper than a spread. */
function copySite(site: KfuncSite | undefined): KfuncSite | undefined {
  return site && { program: site.program, insn: site.insn };
}

/** flush_dispatch_buf() → finish_dispatch() for each buffered insertion. */
export function flushDispatchBuf(core: ScxCore, cpu: number): void {
  const buf = core.dspBuf;
  core.dspBuf = [];
  for (const ent of buf) {
    const p = ent.p;
    // the queue sequence rule: dispatching a task that moved on since is ignored
    if (p.opsState !== OpsState.QUEUED || p.qseq !== ent.qseq) continue;
    p.opsState = OpsState.DISPATCHING;
    const dsq = findDsqForDispatch(core, cpu, ent.dsqId, p, ent.site);
    if (dsq.kind === 'local') dispatchToLocal(core, dsq.cpu, p, ent.enqFlags, true);
    else dispatchEnqueue(core, dsq, p, ent.enqFlags);
  }
}

/**
 * consume_dispatch_q(): move the first task of `dsq` that may run on `cpu`
 * to that CPU's local DSQ.
 */
export function consumeDispatchQ(core: ScxCore, cpu: number, dsq: DispatchQueue): boolean {
  if (!core.cpus[cpu]!.online) return false;
  const tasks = dsq.tasks;
  for (let i = 0; i < tasks.length; i++) {
    const p = tasks[i]!;
    if (p.cpu !== cpu && !p.isAllowed(cpu)) continue;
    // core.removeFromDsq(p, 'consume') without searching for the index we have
    core.removeFromDsqAt(dsq, i, 'consume');
    core.setTaskCpu(p, cpu);
    dispatchEnqueue(core, core.cpus[cpu]!.local, p, 0n);
    return true;
  }
  return false;
}

/** scx_bpf_dsq_move_to_local() / scx_bpf_consume(): only from ops.dispatch. */
export function moveToLocal(core: ScxCore, dsqId: bigint): boolean {
  const ctx = core.ctx;
  if (!ctx || (ctx.mask & KfMask.DISPATCH) === 0) {
    core.error(`scx_bpf_dsq_move_to_local called from ops.${ctx?.op ?? '?'}: only ops.dispatch may consume`);
    return false;
  }
  flushDispatchBuf(core, core.dspCpu);
  const dsq = dsqId === DSQ_GLOBAL ? core.globalDsq : core.userDsqs.get(dsqId);
  if (!dsq) {
    core.error(`invalid DSQ ID ${dsqIdString(dsqId)}`);
    return false;
  }
  if (consumeDispatchQ(core, core.dspCpu, dsq)) {
    core.dspNrTasks++;
    return true;
  }
  return false;
}

export function dispatchNrSlots(core: ScxCore): number {
  if (!requireDispatch(core, 'scx_bpf_dispatch_nr_slots')) return 0;
  return core.maxBatch - core.dspBuf.length;
}

export function dispatchCancel(core: ScxCore): void {
  if (!requireDispatch(core, 'scx_bpf_dispatch_cancel')) return;
  if (core.dspBuf.length > 0) core.dspBuf.pop();
  else core.error('dispatch buffer underflow');
}

function requireDispatch(core: ScxCore, name: string): boolean {
  if (core.ctx && core.ctx.mask & KfMask.DISPATCH) return true;
  core.error(`${name} called from ops.${core.ctx?.op ?? '?'}: only ops.dispatch may call it`);
  return false;
}
