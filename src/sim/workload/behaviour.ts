// Turns a task group's steps into what the task does next: run for a
// while, sleep, block until woken, or exit. Instant steps (wake, fork, nice,
// affinity) act through the host while the task is on its CPU.

import type { DurationDist, WorkloadGroup } from './schema';
import { Rng } from './rng';

export type Action =
  | { kind: 'run'; ns: number }
  | { kind: 'sleep'; ns: number }
  | { kind: 'wait' }
  | { kind: 'yield' }
  | { kind: 'exit' };

export interface BehaviourHost {
  now(): number;
  wake(group: string, which: 'same' | 'all' | 'next', index: number): void;
  fork(group: string, count: number): void;
  nice(nice: number): void;
  renice(group: string, nice: number): void;
  affinity(cpus: string | number[]): void;
  moveCgroup(path: string): void;
  setCgroupWeight(path: string, weight: number): void;
  setCgroupBandwidth(path: string, quotaUs: number | 'max', periodUs: number, burstUs: number): void;
  setCgroupIdle(path: string, idle: boolean): void;
}

export function sampleDuration(d: DurationDist, rng: Rng): number {
  switch (d.dist) {
    case 'fixed': return d.value;
    case 'uniform': return Math.round(d.min + (d.max - d.min) * rng.next());
    case 'exp': return Math.round(-Math.log(1 - rng.next()) * d.mean);
    case 'normal': {
      // Box-Muller; negative draws clamp to zero
      const u = 1 - rng.next();
      const v = rng.next();
      return Math.max(0, Math.round(d.mean + d.stddev * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)));
    }
  }
}

/** Steps allowed per advance() before a loop without run/sleep is called a spin. */
const MAX_INSTANT_STEPS = 1000;

export class TaskBehaviour {
  private pc = 0;
  private iteration = 0;
  /** CPU time left in the current run step. */
  remainingRun = 0;
  /** Wakeups that arrived while the task was not waiting (pipe data already there). */
  pendingWakes = 0;
  waiting = false;
  readonly rng: Rng;
  /** Workload timing.jitter: run and sleep durations scaled by a factor in [1 - j, 1 + j], from a stream of its own. */
  private readonly jitterRng: Rng | null;

  constructor(
    readonly group: WorkloadGroup,
    readonly index: number,
    readonly startedAt: number,
    seed: number,
    pid: number,
    private readonly jitter = 0,
  ) {
    this.rng = new Rng(seed, pid);
    // a separate stream, so turning jitter on does not change which durations the steps draw
    this.jitterRng = jitter > 0 ? new Rng(seed ^ 0x6a09e667, pid) : null;
    if (group.startBlocked) this.waiting = true;
  }

  private jittered(ns: number): number {
    const r = this.jitterRng;
    if (r === null) return ns;
    return Math.max(1, Math.round(ns * (1 + this.jitter * (2 * r.next() - 1))));
  }

  /** The task is on a CPU with nothing left to run: execute steps until one takes time or blocks. */
  advance(host: BehaviourHost): Action {
    for (let n = 0; n < MAX_INSTANT_STEPS; n++) {
      const steps = this.group.steps;
      if (this.pc >= steps.length) {
        this.pc = 0;
        this.iteration++;
        if (this.group.repeat !== undefined && this.iteration >= this.group.repeat) return { kind: 'exit' };
      }
      const step = steps[this.pc++]!;
      if ('run' in step) {
        const drawn = sampleDuration(step.run, this.rng);
        if (drawn <= 0) continue;
        const ns = this.jittered(drawn);
        this.remainingRun = ns;
        return { kind: 'run', ns };
      }
      if ('sleep' in step) {
        const drawn = sampleDuration(step.sleep, this.rng);
        if (drawn <= 0) continue;
        return { kind: 'sleep', ns: this.jittered(drawn) };
      }
      if ('period' in step) {
        const now = host.now();
        const elapsed = now - this.startedAt;
        const nextBoundary = this.startedAt + (Math.floor(elapsed / step.period) + 1) * step.period;
        return { kind: 'sleep', ns: Math.max(1, nextBoundary - now) };
      }
      if ('wait' in step) {
        if (this.pendingWakes > 0) {
          this.pendingWakes--;
          continue;
        }
        this.waiting = true;
        return { kind: 'wait' };
      }
      if ('wake' in step) host.wake(step.wake, step.which, this.index);
      else if ('fork' in step) host.fork(step.fork, step.count);
      else if ('nice' in step) host.nice(step.nice);
      else if ('renice' in step) host.renice(step.renice.group, step.renice.nice);
      else if ('affinity' in step) host.affinity(step.affinity);
      else if ('cgroup' in step) host.moveCgroup(step.cgroup);
      else if ('cgroupWeight' in step) host.setCgroupWeight(step.cgroupWeight.path, step.cgroupWeight.weight);
      else if ('cgroupBandwidth' in step) {
        const b = step.cgroupBandwidth;
        host.setCgroupBandwidth(b.path, b.quotaUs, b.periodUs, b.burstUs);
      } else if ('cgroupIdle' in step) host.setCgroupIdle(step.cgroupIdle.path, step.cgroupIdle.idle);
      else if ('yield' in step) return { kind: 'yield' };
      else if ('exit' in step) return { kind: 'exit' };
    }
    // a loop of instant steps would spin forever on a real CPU too; make it burn time
    this.remainingRun = 1_000_000;
    return { kind: 'run', ns: this.remainingRun };
  }

  /** A wakeup from another task: true when the task was blocked waiting and must be woken. */
  deliverWake(): boolean {
    if (this.waiting) {
      this.waiting = false;
      return true;
    }
    this.pendingWakes++;
    return false;
  }
}
