// A setup module's userTask: a simulated task that takes CPU time like any
// other, so the BPF side sees its pid and schedules it, and whose body — the
// setup's function — runs each time the task gets a CPU. One round: run the
// body (at the start of the CPU time it is given), use the CPU time the body
// asked for, then yield (like sched_yield() at the end of scx_userland's
// loop), sleep, or exit.

import { TaskBehaviour, type Action, type BehaviourHost } from '../workload/behaviour';
import type { WorkloadGroup } from '../workload/schema';

export type UserTaskAfter = { kind: 'yield' } | { kind: 'sleep'; ns: number } | { kind: 'exit' };

export interface UserTaskRound {
  /** CPU time the round takes, ns (at least 1 µs, so virtual time moves). */
  runNs: number;
  after: UserTaskAfter;
}

export const MIN_ROUND_NS = 1000;

export class UserTaskBehaviour extends TaskBehaviour {
  private running = false;
  private after: UserTaskAfter = { kind: 'yield' };
  rounds = 0;

  constructor(group: WorkloadGroup, index: number, startedAt: number, seed: number, pid: number, private readonly body: () => UserTaskRound) {
    super(group, index, startedAt, seed, pid);
  }

  override advance(_host: BehaviourHost): Action {
    if (!this.running) {
      const r = this.body();
      this.rounds++;
      this.running = true;
      this.after = r.after;
      this.remainingRun = Math.max(MIN_ROUND_NS, Math.round(r.runNs));
      return { kind: 'run', ns: this.remainingRun };
    }
    this.running = false;
    return this.after;
  }
}
