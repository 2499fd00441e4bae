// Rescheduling at one virtual instant: the kernel puts prev back
// (put_prev_task → ops.enqueue) before rq->curr changes, and a CPU stuck in
// the scheduler is an error exit (scx_softlockup), never a hung run.

import { describe, expect, it } from 'vitest';
import { Simulation } from './simulation';
import { simFixture } from './testing/fixtures';
import { LIVELOCK_EVENTS } from './machine';
import type { SimEvent } from '../model/events';

const MS = 1_000_000;

function kickSelf(kickInRunning: boolean) {
  const s = new Simulation({
    objectBytes: simFixture('kick_self'), file: 'kick_self.bpf.o', workload: 'cpu-hogs', cpus: 2, seed: 1,
    sets: { kick_in_running: kickInRunning ? 1n : 0n },
  });
  const printks: string[] = [];
  s.on((e: SimEvent) => { if (e.kind === 'printk') printks.push(e.text); });
  return { s, printks };
}

describe('rescheduling at one instant', () => {
  it('put_prev_task before rq->curr = next: ops.enqueue of prev sees scx_bpf_task_running, so a self-kick on "not running" does not preempt every pick', () => {
    const { s, printks } = kickSelf(false);
    s.runFor(50 * MS);
    const sum = s.summary();
    s.unload();
    expect(sum.exit).toMatchObject({ kind: 'none', ejected: false });
    expect(s.now).toBe(50 * MS);
    expect(printks.at(-1)).toBe('kick_self exit kind 64');
    const m = /^kick_self counts enq_running (\d+) current (\d+) kicks (\d+)$/.exec(printks.at(-2) ?? '');
    expect(m).not.toBeNull();
    // every slice expiry puts a still-running task back through ops.enqueue
    expect(Number(m![1])).toBeGreaterThan(5);
    // ... and it is still `current` there (bpf_get_current_task_btf)
    expect(Number(m![2])).toBe(Number(m![1]));
    // only the initial wakeups kick: 8 hogs, 2 of them dispatched straight to the idle CPUs without ops.enqueue
    expect(Number(m![3])).toBe(6);
    // the CPUs ran tasks, not the scheduler: every task got CPU time
    for (const t of sum.tasks) expect(t.runtimeNs).toBeGreaterThan(0);
    expect(sum.cpus.every((c) => c.switches < 100)).toBe(true);
  });

  it('scx_softlockup: a scheduler that preempts every task it picks, at the same instant, is ejected with a livelock error and the run goes on', () => {
    expect(LIVELOCK_EVENTS).toBe(1_000_000);
    const { s, printks } = kickSelf(true);
    s.world.machine.livelockLimit = 20_000;
    s.runFor(30 * MS);
    const sum = s.summary();
    expect(sum.exit).toMatchObject({ kind: 'SCX_EXIT_ERROR', reason: 'runtime error', ejected: true });
    expect(sum.exit.message).toMatch(/^scheduler livelock: \d{4,} reschedules at t=0\.000000ms without progress; last ops .*running\(cpu \d, pid \d\)$/);
    expect(sum.diagnostics).toContainEqual(expect.objectContaining({ kind: 'stall', message: sum.exit.message }));
    // ops.exit ran with SCX_EXIT_ERROR, then the fallback policy ran the workload to the end
    expect(printks).toContain('kick_self exit kind 1024');
    expect(s.now).toBe(30 * MS);
    expect(sum.cpus.map((c) => c.busyNs)).toEqual([30 * MS, 30 * MS]);
  });
});
