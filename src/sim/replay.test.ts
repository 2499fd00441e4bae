// The trace reducer (src/sim/trace/reduce.ts) must evolve state exactly as
// snapshot() reports it: replaying every event of a run onto the initial
// snapshot gives the final snapshot's CPUs, DSQs and task states.

import { describe, expect, it } from 'vitest';
import { Simulation } from './simulation';
import { exampleScheduler } from './testing/fixtures';
import { ReplayState } from './trace/reduce';
import type { SimSnapshot } from './events';

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
