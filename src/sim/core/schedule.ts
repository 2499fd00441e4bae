// __schedule() for one CPU as sched_ext shapes it: balance_one() (keep prev,
// local DSQ, global DSQ, then ops.dispatch up to SCX_DSP_MAX_LOOPS rounds),
// pick_task_scx(), put_prev_task_scx() and set_next_task_scx(), plus the
// tick (scx_bpf_kick_cpu() is kick.ts).

import * as K_consts from '../kernel/consts';
import type { SimCpu } from './cpu';
import { consumeDispatchQ, dispatchEnqueue, flushDispatchBuf } from './dispatch';
import type { ScxCore } from './scx_core';
import { OpsState, type SimTask } from './task';
import { acquireCpu, isFair, pickFair, putPrevFair, releaseCpu } from './fair';
import { traceSwitch } from './tracepoints';
import { kickCpu } from './kick';
import { EV } from './event_stats';

// locals, not live bindings: imported bindings cost a getter call per use under tsx
const { DSP_MAX_LOOPS, EnqFlag, KfMask, SLICE_DFL } = K_consts;

export interface SwitchObserver {
  /** The machine arms timers for the incoming task. */
  switched(cpu: SimCpu, prev: SimTask | null, next: SimTask | null): void;
  /** A latency sample (runnable → running) for the summary. */
  latency(ns: number): void;
}

export function schedule(core: ScxCore, cpu: SimCpu, obs: SwitchObserver): void {
  cpu.reschedPending = false;
  if (!cpu.online) return;
  // __schedule() → put_prev_task_scx(): the pnt_seq a SCX_KICK_WAIT kicker waits on moves
  cpu.pntSeq++;
  const prev = cpu.curr;
  core.updateCurr(cpu);
  const prevRunnable = prev !== null && prev.queued;
  // the fair class is above sched_ext: it picks first
  let next: SimTask | null = pickFair(core, cpu, prev, prevRunnable);
  if (next === null) {
    acquireCpu(core, cpu);
    const keep = balanceOne(core, cpu, prev, prevRunnable);
    next = keep && prev ? prev : cpu.local.first() ?? null;
  } else if (next !== prev && !core.bypass && (prev === null || !isFair(core, prev))) {
    releaseCpu(core, cpu, next);
  }
  // pick_task_scx(): a task picked with an empty slice gets the default one
  if (next && next.sliceEmpty()) {
    next.slice = SLICE_DFL;
    if (!isFair(core, next)) core.events.add(EV.REFILL_SLICE_DFL);
  }
  if (next === prev) {
    // idle → idle still refreshes the idle mask (pick_task_idle): a CPU claimed
    // by select_cpu that ended up with nothing to run is idle again
    if (next === null && (core.builtinIdle || core.bypass)) core.idle.set(cpu.id, true);
    obs.switched(cpu, prev, next);
    return;
  }
  // put_prev_task() runs before rq->curr changes (__schedule: pick_next_task,
  // then rq->curr = next): ops.stopping and ops.enqueue of prev still see it
  // current, so scx_bpf_task_running(prev) is true there
  if (prev) putPrev(core, cpu, prev, next);
  // the switch is announced as curr changes, so a snapshot taken while the
  // events that follow are delivered agrees with a replay of the events so far
  cpu.curr = next;
  cpu.switches++;
  if (core.host.listening()) {
    core.host.emit({ t: core.now(), kind: 'switch', cpu: cpu.id, prevPid: prev?.pid ?? 0, nextPid: next?.pid ?? 0 });
    if (prev === null || next === null) core.host.emit({ t: core.now(), kind: 'idle', cpu: cpu.id, idle: next === null });
  }
  if (next) setNext(core, cpu, next, prev === null, obs);
  else goIdle(core, cpu, prev !== null);
  if (core.ops.tracing) traceSwitch(core, cpu, prev, next, prevRunnable);
  obs.switched(cpu, prev, next);
}

/** balance_one(): true when prev keeps the CPU. */
function balanceOne(core: ScxCore, cpu: SimCpu, prev: SimTask | null, prevRunnable: boolean): boolean {
  // a runnable prev with slice left has priority; fetching more only adds latency
  if (prev && prevRunnable && !prev.sliceEmpty() && !core.bypass && !prev.fair) return true;
  if (cpu.local.length > 0) return false;
  if (consumeDispatchQ(core, cpu.id, core.globalDsq)) return false;
  if (core.bypass) return false;
  if (core.has('dispatch') && cpu.online) {
    let loops = DSP_MAX_LOOPS;
    do {
      core.dspNrTasks = 0;
      core.dspCpu = cpu.id;
      // prev is passed only when it is a sched_ext task (prev_on_scx)
      core.callOp('dispatch', cpu.id, KfMask.DISPATCH, [BigInt(cpu.id), prev && !prev.fair ? prev.ptr : 0n]);
      flushDispatchBuf(core, cpu.id);
      core.dspCpu = -1;
      if (prev && prevRunnable && !prev.fair && !prev.sliceEmpty()) return true;
      if (cpu.local.length > 0) return false;
      if (consumeDispatchQ(core, cpu.id, core.globalDsq)) return false;
      if (core.bypass) break;
      // ops.dispatch can trap the CPU here by dispatching ineligible tasks: break out and retry later
      if (--loops === 0) {
        kickCpu(core, cpu.id, 0);
        break;
      }
    } while (core.dspNrTasks > 0);
  }
  // nothing else to run: keep prev unless SCX_OPS_ENQ_LAST asks to hear about it
  const keep = prevRunnable && !prev!.fair && !core.enqLast;
  if (keep) core.events.add(EV.DISPATCH_KEEP_LAST);
  return keep;
}

/** put_prev_task_scx(): a still-runnable prev stops and goes back to the scheduler. */
function putPrev(core: ScxCore, cpu: SimCpu, prev: SimTask, next: SimTask | null): void {
  prev.syncOnCpu(false);
  if (!prev.queued) return;
  if (isFair(core, prev)) {
    const now = core.now();
    prev.readySince = now;
    core.setTaskState(prev, 'runnable');
    return putPrevFair(core, prev);
  }
  if (core.has('stopping')) core.callOp('stopping', cpu.id, KfMask.REST, [prev.ptr, 1n], prev.pid, null, true);
  const now = core.now();
  prev.runnableAt = now;
  prev.readySince = now;
  core.setTaskState(prev, 'runnable');
  // with slice left it was preempted: it stays at the head of the local DSQ
  // an affinity change away from this CPU migrates the task (move_queued_task())
  if (!prev.isAllowed(cpu.id)) core.setTaskCpu(prev, prev.firstAllowed());
  else if (!prev.sliceEmpty() && !core.bypass) return dispatchEnqueue(core, cpu.local, prev, EnqFlag.HEAD);
  core.doEnqueue(prev, next === null ? EnqFlag.LAST : 0n);
}

/** set_next_task_scx(): off the local DSQ, ops.running, the watchdog resets. */
function setNext(core: ScxCore, cpu: SimCpu, next: SimTask, fromIdle: boolean, obs: SwitchObserver): void {
  if (fromIdle) {
    if (core.has('update_idle')) core.callOp('update_idle', cpu.id, KfMask.REST, [BigInt(cpu.id), 0n], -1, null, true);
    if (core.builtinIdle) core.idle.set(cpu.id, false);
  }
  if (next.dsq) core.removeFromDsq(next, 'run');
  const fair = isFair(core, next);
  next.opsState = OpsState.NONE;
  cpu.curr = next;
  const now = core.now();
  cpu.execStart = now;
  next.runnableAt = -1;
  if (next.readySince >= 0) {
    const waited = now - next.readySince;
    next.waitNs += waited;
    obs.latency(waited);
    next.readySince = -1;
  }
  next.runs++;
  core.setTaskState(next, 'running');
  next.syncOnCpu(true);
  if (!fair && core.has('running')) core.callOp('running', cpu.id, KfMask.REST, [next.ptr], next.pid, null, true);
}

/** Switching to the idle task: ops.update_idle on a real transition; the idle bit is set either way. */
function goIdle(core: ScxCore, cpu: SimCpu, fromTask: boolean): void {
  cpu.curr = null;
  cpu.idleSince = core.now();
  if (fromTask && core.has('update_idle')) core.callOp('update_idle', cpu.id, KfMask.REST, [BigInt(cpu.id), 1n], -1, null, true);
  if (core.builtinIdle || core.bypass) core.idle.set(cpu.id, true);
}

/** task_tick_scx(): charge, ops.tick, and reschedule when the slice is used up. */
export function tick(core: ScxCore, cpu: SimCpu): void {
  const p = cpu.curr;
  if (!p) return;
  core.updateCurr(cpu);
  if (!isFair(core, p) && core.has('tick')) core.callOp('tick', cpu.id, KfMask.REST, [p.ptr], p.pid, null, true);
  if (p.sliceEmpty()) core.host.resched(cpu.id);
}

/** scx_bpf_kick_cpu() lives in kick.ts; re-exported for the kfunc table and rule tests. */
export { kickCpu };
