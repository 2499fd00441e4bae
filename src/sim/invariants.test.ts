// Random workloads never break the machine's bookkeeping: every task is in
// at most one place (running, one DSQ, or neither), CPU time adds up, and a
// well-behaved scheduler is never ejected.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from './simulation';
import { exampleScheduler } from './testing/fixtures';
import { validateWorkload } from './workload/load';

const duration = fc.oneof(
  fc.integer({ min: 10_000, max: 8_000_000 }),
  fc.record({ dist: fc.constant('exp'), mean: fc.integer({ min: 10_000, max: 4_000_000 }) }),
);
const step = fc.oneof(
  fc.record({ run: duration }),
  fc.record({ sleep: duration }),
  fc.record({ nice: fc.integer({ min: -20, max: 19 }) }),
  fc.record({ affinity: fc.constantFrom('0', '0-1', '1-2', '0-3') }),
  fc.record({ yield: fc.constant(true) }),
);
const group = (i: number) =>
  fc.record({
    name: fc.constant(`g${i}`),
    count: fc.integer({ min: 1, max: 4 }),
    nice: fc.integer({ min: -10, max: 10 }),
    repeat: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
    steps: fc.array(step, { minLength: 1, maxLength: 5 }).map((s) => [{ run: 100_000 }, ...s]),
  });
const workload = fc.tuple(group(0), group(1), group(2)).map((groups) => ({ name: 'random', groups }));

describe('bookkeeping invariants under random workloads', () => {
  for (const sched of ['vtime', 'fifo', 'rbtree', 'list', 'qmap', 'cgweight']) {
    it(`${sched}: every task in at most one place, CPU time adds up, no ejection`, () => {
      const bytes = exampleScheduler(sched);
      fc.assert(
        fc.property(workload, fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 1000 }), (raw, cpus, seed) => {
          const s = new Simulation({ objectBytes: bytes, file: `${sched}.bpf.o`, workload: validateWorkload(raw), cpus, seed });
          for (let t = 1; t <= 4; t++) {
            s.runUntil(t * 10_000_000);
            const snap = s.snapshot();
            const seen = new Map<number, number>();
            for (const c of snap.cpus) {
              if (c.curr) seen.set(c.curr, (seen.get(c.curr) ?? 0) + 1);
              for (const pid of c.local) seen.set(pid, (seen.get(pid) ?? 0) + 1);
            }
            for (const d of snap.dsqs) for (const task of d.tasks) seen.set(task.pid, (seen.get(task.pid) ?? 0) + 1);
            for (const [pid, n] of seen) expect({ pid, n }).toEqual({ pid, n: 1 });
            for (const task of snap.tasks) {
              if (task.state === 'running') expect(snap.cpus.some((c) => c.curr === task.pid)).toBe(true);
              if (task.state === 'sleeping') expect(seen.has(task.pid)).toBe(false);
            }
          }
          const sum = s.summary();
          expect(sum.exit.kind).toBe('none');
          const busy = sum.cpus.reduce((a, c) => a + c.busyNs, 0);
          expect(sum.tasks.reduce((a, t) => a + t.runtimeNs, 0)).toBe(busy);
          for (const c of sum.cpus) expect(c.busyNs).toBeLessThanOrEqual(sum.durationNs);
        }),
        { numRuns: 25, seed: 42 },
      );
    });
  }
});
