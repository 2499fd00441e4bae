// Per-task latency samples gathered from the event stream while a run goes:
// wakeup latency (a task that slept, or was just forked, becomes runnable →
// it next runs) and wait (any runnable → running, preemptions included, the
// same samples the run summary's latency line aggregates over all tasks).

import type { SimEvent, TaskState } from '../model/events';
import { percentiles, type Percentiles } from '../sim/summary';

export type { Percentiles };


/** Percentiles of unsorted samples (the simulator's summary computes them the same way). */
export const percentilesOf: (samples: readonly number[]) => Percentiles = percentiles;

interface PerTask {
  state: TaskState;
  readyAt: number;
  wokenAt: number;
  waits: number[];
  wakeups: number[];
  /** When each wakeup sample's wait began, parallel to wakeups. */
  wokenAts: number[];
}

export class TaskLatencyCollector {
  private readonly tasks = new Map<number, PerTask>();

  private of(pid: number): PerTask {
    let s = this.tasks.get(pid);
    if (!s) {
      s = { state: 'new', readyAt: -1, wokenAt: -1, waits: [], wakeups: [], wokenAts: [] };
      this.tasks.set(pid, s);
    }
    return s;
  }

  readonly listener = (e: SimEvent): void => {
    if (e.kind !== 'task_state') return;
    const s = this.of(e.pid);
    if (e.state === 'runnable') {
      if (s.state !== 'runnable') s.readyAt = e.t;
      if (s.state === 'sleeping' || s.state === 'new') s.wokenAt = e.t;
    } else if (e.state === 'running') {
      if (s.readyAt >= 0) s.waits.push(e.t - s.readyAt);
      if (s.wokenAt >= 0) {
        s.wakeups.push(e.t - s.wokenAt);
        s.wokenAts.push(s.wokenAt);
      }
      s.readyAt = -1;
      s.wokenAt = -1;
    } else {
      s.readyAt = -1;
      s.wokenAt = -1;
    }
    s.state = e.state;
  };

  wakeupSamples(pid: number): readonly number[] {
    return this.tasks.get(pid)?.wakeups ?? [];
  }

  /** The longest wakeup latency among these tasks: which task, how long, and when its wait began. */
  worstWakeup(pids: Iterable<number>): { pid: number; latency: number; wokenAt: number } | undefined {
    let best: { pid: number; latency: number; wokenAt: number } | undefined;
    for (const pid of pids) {
      const s = this.tasks.get(pid);
      if (!s) continue;
      for (let i = 0; i < s.wakeups.length; i++) {
        if (!best || s.wakeups[i]! > best.latency) best = { pid, latency: s.wakeups[i]!, wokenAt: s.wokenAts[i]! };
      }
    }
    return best;
  }

  waitSamples(pid: number): readonly number[] {
    return this.tasks.get(pid)?.waits ?? [];
  }
}
