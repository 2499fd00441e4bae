// Expected CPU shares through the cgroup hierarchy (cpu.weight), and the run
// summary judging a cgroup-weighted scheduler (assets/schedulers/cgweight) by
// them while a cgroup-blind one is judged unfair on the same workload.

import { describe, expect, it } from 'vitest';
import type { SimCgroup } from './core/cgroup';
import { expectedShares, usesCgroups, type ShareTask } from './fair_share';
import { Simulation } from './simulation';
import { exampleScheduler } from './testing/fixtures';

/** Just what expectedShares reads of a cgroup. */
function cg(weight: number, parent: SimCgroup | null): SimCgroup {
  return { weight, parent } as SimCgroup;
}

describe('expected share through the cgroup hierarchy (cpu.weight, as CFS group scheduling divides it)', () => {
  it('without cgroups it is the task-weight share', () => {
    const root = cg(100, null);
    const tasks: ShareTask[] = [{ pid: 1, weight: 100, cgroup: root }, { pid: 2, weight: 300, cgroup: null }];
    expect(usesCgroups(tasks)).toBe(false);
    const s = expectedShares(tasks);
    expect(s.get(1)).toBeCloseTo(0.25, 12);
    expect(s.get(2)).toBeCloseTo(0.75, 12);
  });

  it("a task's share is its weight share in its cgroup times the cgroup's share among siblings, recursively", () => {
    const root = cg(100, null);
    const a = cg(100, root); // /a
    const b = cg(300, root); // /b
    const b1 = cg(100, b); // /b/1
    const b2 = cg(100, b); // /b/2
    const tasks: ShareTask[] = [
      // /a: two equal tasks share a's quarter
      { pid: 1, weight: 100, cgroup: a }, { pid: 2, weight: 100, cgroup: a },
      // /b (3/4): a task directly in /b competes with /b/1 and /b/2 by weight: 1/3 each
      { pid: 3, weight: 100, cgroup: b },
      // /b/1: weights 1:3 split its 1/4
      { pid: 4, weight: 100, cgroup: b1 }, { pid: 5, weight: 300, cgroup: b1 },
      { pid: 6, weight: 100, cgroup: b2 },
    ];
    expect(usesCgroups(tasks)).toBe(true);
    const s = expectedShares(tasks);
    expect(s.get(1)).toBeCloseTo(1 / 8, 12);
    expect(s.get(2)).toBeCloseTo(1 / 8, 12);
    expect(s.get(3)).toBeCloseTo(1 / 4, 12);
    expect(s.get(4)).toBeCloseTo(1 / 16, 12);
    expect(s.get(5)).toBeCloseTo(3 / 16, 12);
    expect(s.get(6)).toBeCloseTo(1 / 4, 12);
    expect([...s.values()].reduce((x, y) => x + y, 0)).toBeCloseTo(1, 12);
  });

  it('a cgroup without competitors takes no share (its siblings split the parent)', () => {
    const root = cg(100, null);
    const idle = cg(10000, root);
    const busy = cg(1, root);
    void idle;
    const s = expectedShares([{ pid: 1, weight: 100, cgroup: busy }, { pid: 2, weight: 100, cgroup: busy }]);
    expect(s.get(1)).toBeCloseTo(0.5, 12);
  });
});

describe('run summary fairness on the cgroups workload (cpu.weight 100 vs 300)', () => {
  const run = (name: string) => {
    const s = new Simulation({ objectBytes: exampleScheduler(name), file: `${name}.bpf.o`, workload: 'cgroups', cpus: 4, seed: 1 });
    s.runFor(1_000_000_000);
    return s.summary();
  };

  it('the cgroup-weighted scheduler is judged fair by the hierarchy, the cgroup-blind FIFO is not', () => {
    const cgw = run('cgweight');
    expect(cgw.fairnessBy).toBe('cgroup');
    expect(cgw.fairness).toHaveLength(16);
    // /batch's 8 hogs share 1/4, /web's 8 share 3/4
    const batch = cgw.fairness.filter((f) => cgw.tasks.find((t) => t.pid === f.pid)!.cgroup === '/batch');
    expect(batch).toHaveLength(8);
    for (const f of batch) expect(f.weightShare).toBeCloseTo(1 / 32, 12);
    for (const f of cgw.fairness) expect(f.taskWeightShare).toBeCloseTo(1 / 16, 12);
    expect(cgw.fairnessMaxError).toBeLessThan(0.1);
    const fifo = run('fifo');
    expect(fifo.fairnessBy).toBe('cgroup');
    // equal time per task: /batch tasks get twice their share
    expect(fifo.fairnessMaxError).toBeGreaterThan(0.8);
  });

  it('without cgroups the summary keeps the task-weight view', () => {
    const s = new Simulation({ objectBytes: exampleScheduler('vtime'), file: 'vtime.bpf.o', workload: 'cpu-hogs', cpus: 2, seed: 1 });
    s.runFor(300_000_000);
    const sum = s.summary();
    expect(sum.fairnessBy).toBe('task');
    for (const f of sum.fairness) expect(f.weightShare).toBe(f.taskWeightShare);
    expect(sum.fairness.length).toBeGreaterThan(0);
  });
});
