// The simulated machine: a virtual clock and event queue driving CPUs and
// tasks. It owns time and task behaviour; every scheduling decision goes
// through the sched_ext core (core/*). Ticks are HZ=1000; when the scheduler
// has no ops.tick, only the tick that ends a slice is simulated, since the
// others change nothing.

import type { SimEvent } from '../model/events';
import { EventQueue } from './core/event_queue';
import type { ScxCore } from './core/scx_core';
import type { SimCpu } from './core/cpu';
import * as K_consts from './kernel/consts';
import { schedule, tick, type SwitchObserver } from './core/schedule';
import { kickCpusIrqWork } from './core/kick';
import { exitTask, freeTask, sleepTask, yieldTask } from './core/lifecycle';
import type { SimTask } from './core/task';
import { ejectScheduler } from './core/eject';
import { ExitKind } from './kernel/consts';
import { BpfFault } from '../sched_ext/vm/fault';

// locals, not live bindings: imported bindings cost a getter call per use under tsx
const { WakeFlag } = K_consts;

export const TICK_NS = 1_000_000;

/**
 * Events the machine handles at one virtual instant before it calls the
 * scheduler livelocked. Virtual time only advances between events, so a
 * scheduler that keeps rescheduling (or re-arming a 0 ns timer) at one instant
 * would otherwise hang the run; the kernel's counterpart is scx_softlockup(),
 * which turns a CPU stuck in the scheduler into an error exit.
 */
export const LIVELOCK_EVENTS = 1_000_000;

/** The machine made no progress even with the scheduler ejected: a simulator bug, reported instead of hanging. */
export class SimLivelockError extends Error {}

export type MachineEvent =
  | { k: 'resched'; cpu: number }
  | { k: 'kick_work'; cpu: number }
  | { k: 'tick'; cpu: number; gen: number }
  | { k: 'burst'; cpu: number; gen: number }
  | { k: 'wake'; pid: number; token: number }
  | { k: 'spawn'; spawn: () => void }
  | { k: 'watchdog' }
  | { k: 'timer'; fire: () => void; live: { cancelled: boolean } };

export interface TaskDriver {
  /** The task is on its CPU with its current run step done: decide what it does next. */
  onBurstDone(p: SimTask, cpu: SimCpu): void;
}

export class Machine implements SwitchObserver {
  readonly queue = new EventQueue<MachineEvent>();
  now = 0;
  core!: ScxCore;
  driver!: TaskDriver;
  readonly latencies: number[] = [];
  listeners: ((ev: SimEvent) => void)[] = [];
  /** Per-task token so a stale sleep timer does not wake a task that was woken otherwise. */
  private readonly sleepTokens = new Map<number, number>();
  events = 0;
  /** Per-CPU tick phase in ns (workload timing.tickPhase): real CPUs' ticks are not aligned. Empty = all 0. */
  tickPhase: number[] = [];
  /** See LIVELOCK_EVENTS; tests lower it. */
  livelockLimit = LIVELOCK_EVENTS;
  /** The virtual instant the last event ran at, and the events and reschedules handled at it since the first. */
  private instantT = -1;
  private instantEvents = 0;
  private instantResched = 0;

  emit(ev: SimEvent): void {
    for (const l of this.listeners) l(ev);
  }

  listening(): boolean {
    return this.listeners.length > 0;
  }

  resched(cpu: number): void {
    const c = this.core.cpus[cpu]!;
    if (c.reschedPending) return;
    c.reschedPending = true;
    this.queue.push(this.now, { k: 'resched', cpu });
  }

  /** irq_work_queue() of a CPU's kick_cpus_irq_work: it runs after the current event, at this instant (core/kick.ts). */
  queueKickWork(cpu: number): void {
    const c = this.core.cpus[cpu]!;
    if (c.kickWorkQueued) return;
    c.kickWorkQueued = true;
    this.queue.push(this.now, { k: 'kick_work', cpu });
  }

  /** A CPU another one waits on (SCX_KICK_WAIT) goes through its pending reschedule now. */
  reschedNow(cpu: SimCpu): void {
    if (cpu.reschedPending) schedule(this.core, cpu, this);
  }

  // ---- SwitchObserver ----------------------------------------------------

  latency(ns: number): void {
    this.latencies.push(ns);
  }

  switched(cpu: SimCpu, _prev: SimTask | null, next: SimTask | null): void {
    cpu.gen++;
    if (!next) return;
    const gen = cpu.gen;
    this.queue.push(this.now + (next.behaviour?.remainingRun ?? 0), { k: 'burst', cpu: cpu.id, gen });
    this.armTick(cpu, next, gen);
  }

  private armTick(cpu: SimCpu, p: SimTask, gen: number): void {
    let at: number;
    // this CPU's ticks fall at phase + k * TICK_NS (workload timing.tickPhase; 0 = aligned)
    const phase = this.tickPhase.length > 0 ? this.tickPhase[cpu.id]! : 0;
    if (!p.fair && this.core.has('tick')) {
      at = phase + (Math.floor((this.now - phase) / TICK_NS) + 1) * TICK_NS;
    } else {
      const slice = p.sliceNs();
      if (slice > 2 ** 52) return;
      // the tick that first sees the slice used up
      at = Math.max(this.now + 1, phase + Math.ceil((this.now + slice - phase) / TICK_NS) * TICK_NS);
    }
    this.queue.push(at, { k: 'tick', cpu: cpu.id, gen });
  }

  // ---- timers ------------------------------------------------------------

  sleepFor(p: SimTask, ns: number): void {
    const token = (this.sleepTokens.get(p.pid) ?? 0) + 1;
    this.sleepTokens.set(p.pid, token);
    this.queue.push(this.now + ns, { k: 'wake', pid: p.pid, token });
  }

  /** Wake a blocked task now (another task's wakeup, a timer). */
  wakeTask(p: SimTask): void {
    if (p.state !== 'sleeping') return;
    this.sleepTokens.set(p.pid, (this.sleepTokens.get(p.pid) ?? 0) + 1);
    this.core.wakeUp(p, WakeFlag.TTWU);
  }

  startWatchdog(): void {
    this.queue.push(this.now + this.core.timeoutNs / 2, { k: 'watchdog' });
  }

  // ---- the loop ----------------------------------------------------------

  /** Process every event up to and including time `t`, then advance the clock to `t`. */
  runUntil(t: number, stop?: () => boolean): void {
    const q = this.queue;
    for (let at = q.peekTime(); at <= t; at = q.peekTime()) {
      const payload = q.popPayload()!;
      this.now = at;
      this.events++;
      if (at !== this.instantT) {
        this.instantT = at;
        this.instantEvents = 0;
        this.instantResched = 0;
      } else if (++this.instantEvents >= this.livelockLimit) {
        this.livelock();
      }
      if (payload.k === 'resched') this.instantResched++;
      this.handle(payload);
      if (this.core.exitPending && !this.core.disabled) ejectScheduler(this.core);
      if (stop?.()) return;
    }
    if (t > this.now) this.now = t;
  }

  private handle(ev: MachineEvent): void {
    const core = this.core;
    switch (ev.k) {
      case 'resched': {
        const cpu = core.cpus[ev.cpu]!;
        if (cpu.reschedPending) schedule(core, cpu, this);
        return;
      }
      case 'kick_work':
        kickCpusIrqWork(core, core.cpus[ev.cpu]!);
        return;
      case 'tick': {
        const cpu = core.cpus[ev.cpu]!;
        if (ev.gen !== cpu.gen || !cpu.curr) return;
        tick(core, cpu);
        if (cpu.curr && ev.gen === cpu.gen) this.armTick(cpu, cpu.curr, ev.gen);
        return;
      }
      case 'burst': {
        const cpu = core.cpus[ev.cpu]!;
        const p = cpu.curr;
        if (ev.gen !== cpu.gen || !p) return;
        core.updateCurr(cpu);
        if (p.behaviour && p.behaviour.remainingRun > 0) {
          this.queue.push(this.now + p.behaviour.remainingRun, { k: 'burst', cpu: cpu.id, gen: ev.gen });
          return;
        }
        this.driver.onBurstDone(p, cpu);
        return;
      }
      case 'wake': {
        const p = core.tasks.get(ev.pid);
        if (p && this.sleepTokens.get(p.pid) === ev.token) {
          if (p.behaviour) p.behaviour.waiting = false;
          this.wakeTask(p);
        }
        return;
      }
      case 'spawn':
        ev.spawn();
        return;
      case 'watchdog':
        this.checkStalls();
        if (!core.disabled) this.startWatchdog();
        return;
      case 'timer':
        if (!ev.live.cancelled) this.fireTimer(ev.fire);
        return;
    }
  }

  /**
   * A BPF timer callback runs outside any op (no SCX_CALL_OP), but a fault in
   * it is still the scheduler's error: the same error exit as a faulting op
   * (scx_bpf_error from a callback already records its exit through the kfunc).
   */
  private fireTimer(fire: () => void): void {
    try {
      fire();
    } catch (e) {
      if (!(e instanceof BpfFault)) throw e;
      this.core.faultExit(e);
    }
  }

  /**
   * Too many events at one instant: like scx_softlockup(), an error exit that
   * names the instant and the last ops called. Once ejected, the built-in
   * fallback policy always lets time advance; if it does not, that is a
   * simulator bug and it is thrown rather than hanging the run.
   */
  private livelock(): void {
    const core = this.core;
    const what = `${this.instantResched} reschedules at t=${formatInstant(this.now)} without progress`;
    this.instantEvents = 0;
    this.instantResched = 0;
    if (core.exitPending && !core.disabled) return; // the ejection follows this event
    if (core.disabled) {
      throw new SimLivelockError(`the workload makes no progress at t=${formatInstant(this.now)} even under the built-in policy after the ejection (${what}): its tasks wake or wait on each other in steps that take no time; give one of those steps a run or sleep duration`);
    }
    const ops = core.recentOpCalls();
    core.exit(ExitKind.ERROR, `scheduler livelock: ${what}; last ops ${ops.length > 0 ? ops.join(', ') : 'none'}`, {}, 0n, 'stall');
  }

  /** check_rq_for_timeouts(): a task runnable but not run for timeout_ms ejects the scheduler. */
  private checkStalls(): void {
    const core = this.core;
    if (core.disabled) return;
    for (const p of core.tasks.values()) {
      // only sched_ext tasks are the scheduler's responsibility
      if (!p.fair && p.runnableAt >= 0 && p.queued && this.now - p.runnableAt > core.timeoutNs) {
        const s = (this.now - p.runnableAt) / 1e9;
        core.exit(ExitKind.ERROR_STALL, `${p.comm}[${p.pid}] failed to run for ${s.toFixed(3)}s`);
        return;
      }
    }
  }

  // ---- what a running task does -------------------------------------------

  /** The task blocks (sleep or wait) and its CPU picks something else. */
  block(p: SimTask, cpu: SimCpu, sleepNs?: number): void {
    sleepTask(this.core, p);
    if (sleepNs !== undefined) this.sleepFor(p, sleepNs);
    schedule(this.core, cpu, this);
  }

  exit(p: SimTask, cpu: SimCpu): void {
    exitTask(this.core, p);
    schedule(this.core, cpu, this);
    freeTask(this.core, p);
  }

  yield(p: SimTask): void {
    yieldTask(this.core, p);
  }

  /** Charge running tasks up to now (end of a run, before a summary). */
  settle(): void {
    for (const cpu of this.core.cpus) this.core.updateCurr(cpu);
  }
}

/** Virtual nanoseconds as "12.345678ms" (exact to the nanosecond). */
function formatInstant(ns: number): string {
  const ms = Math.floor(ns / 1e6);
  return `${ms}.${String(ns - ms * 1e6).padStart(6, '0')}ms`;
}
