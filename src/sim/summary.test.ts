// The run summary's heap figures: bpf_obj_drop frees objects, which no longer
// appear among the live objects, so freed counts come from the heap's own
// lifetime statistics.

import { describe, expect, it } from 'vitest';
import { Simulation } from './simulation';
import { exampleScheduler } from './testing/fixtures';

describe('run summary', () => {
  it('bpf_obj_drop: objects freed during the run are counted (heap stats), live ones listed by type', () => {
    const s = new Simulation({ objectBytes: exampleScheduler('list'), file: 'list.bpf.o', workload: 'interactive', cpus: 2, seed: 3 });
    s.runFor(50_000_000);
    const sum = s.summary();
    const stats = s.runtime.heap.stats();
    expect(sum.heap.freed).toBeGreaterThan(10);
    expect(sum.heap).toMatchObject({ allocated: stats.allocated, freed: stats.freed, live: stats.live });
    expect(sum.heap.allocated).toBe(sum.heap.live + sum.heap.freed);
    const byType = Object.values(sum.heap.byType).reduce((a, n) => a + n, 0);
    expect(byType).toBe(sum.heap.live);
    expect(s.runtime.heapObjects()).toHaveLength(sum.heap.live);
  });
});
