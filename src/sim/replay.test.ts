// The trace reducer (src/sim/trace/reduce.ts) must evolve state exactly as
// snapshot() reports it: replaying every event of a run onto the initial
// snapshot gives the final snapshot's CPUs, DSQs and task states.

import { describe, expect, it } from 'vitest';
import { Simulation } from './simulation';
import { exampleScheduler } from './testing/fixtures';
import { ReplayState } from './trace/reduce';
import type { SimSnapshot } from '../model/events';

function comparable(s: SimSnapshot, pids: Set<number>) {
  return {
    cpus: s.cpus.map((c) => ({ cpu: c.cpu, curr: c.curr, idle: c.idle, local: c.local })),
    dsqs: s.dsqs.filter((d) => d.tasks.length > 0).map((d) => ({ id: d.id, tasks: d.tasks.map((t) => t.pid) })),
    tasks: s.tasks.filter((t) => pids.has(t.pid)).map((t) => ({ pid: t.pid, state: t.state, cpu: t.cpu, runs: t.runs, runtimeNs: t.state === 'running' ? -1 : t.runtimeNs })),
  };
}

describe('events replay into the same state snapshot() reports', () => {
  for (const [sched, workload] of [['vtime', 'interactive'], ['fifo', 'fork-burst'], ['qmap', 'overload']] as const) {
    it(`${sched} on ${workload}`, () => {
      const s = new Simulation({ objectBytes: exampleScheduler(sched), file: `${sched}.bpf.o`, workload, cpus: 3, seed: 5 });
      const replay = new ReplayState(s.snapshot());
      s.on((ev) => replay.apply(ev));
      s.runFor(40_000_000);
      const real = s.snapshot();
      const live = new Set(real.tasks.map((t) => t.pid));
      expect(live.size).toBeGreaterThan(3);
      expect(real.cpus.some((c) => c.curr !== 0)).toBe(true);
      expect(comparable(replay.snapshot(real.t), live)).toEqual(comparable(real, live));
    });
  }
});

describe('keyframes carry the start of each current wait', () => {
  it('enqueue_task → set_next_task: a replay from a mid-run keyframe charges every wait exactly (TaskSnapshot.readySince)', () => {
    const s = new Simulation({ objectBytes: exampleScheduler('fifo'), file: 'fifo.bpf.o', workload: 'cpu-hogs', cpus: 2, seed: 5 });
    s.runFor(25_000_000);
    const kf = s.snapshot();
    const waiting = kf.tasks.filter((t) => t.state === 'runnable');
    expect(waiting.length).toBeGreaterThan(2);
    // runnable tasks became ready before the keyframe; others carry no readySince
    for (const t of waiting) expect(t.readySince).toBeLessThan(kf.t);
    for (const t of kf.tasks.filter((x) => x.state !== 'runnable')) expect(t.readySince).toBeUndefined();
    const replay = new ReplayState(kf);
    s.on((ev) => replay.apply(ev));
    s.runFor(100_000_000);
    const real = s.snapshot();
    const waits = (x: SimSnapshot) => x.tasks.map((t) => ({ pid: t.pid, waitNs: t.waitNs, readySince: t.readySince }));
    expect(waits(replay.snapshot(real.t))).toEqual(waits(real));
    // the tasks waiting at the keyframe have since run, so their finished waits are compared
    for (const t of waiting) expect(real.tasks.find((x) => x.pid === t.pid)!.runs).toBeGreaterThan(t.runs);
  });
});
