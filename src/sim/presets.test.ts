// Every example scheduler runs every workload preset to the end without a
// stall (short virtual runs; the watchdog would eject a scheduler that
// leaves a task runnable for timeout_ms).

import { describe, expect, it } from 'vitest';
import { Simulation } from './simulation';
import { exampleScheduler } from './testing/fixtures';
import { listPresets } from './workload/load';

const SCHEDULERS = ['fifo', 'vtime', 'rbtree', 'list', 'qmap', 'cgweight'];
const MS = 1_000_000;

describe('example schedulers × workload presets', () => {
  const presets = listPresets().map((p) => p.name);

  it('ships the six presets', () => {
    expect(presets).toEqual(['affinity-pinned', 'cpu-hogs', 'fork-burst', 'interactive', 'overload', 'pipe-pingpong']);
  });

  for (const name of SCHEDULERS) {
    it(`${name} runs every preset to the end without a stall`, () => {
      const bytes = exampleScheduler(name);
      for (const preset of presets) {
        const s = new Simulation({ objectBytes: bytes, file: `${name}.bpf.o`, workload: preset, cpus: 2, seed: 1 });
        s.runFor((preset === 'pipe-pingpong' ? 60 : 150) * MS);
        const sum = s.summary();
        expect({ preset, exit: sum.exit.kind, msg: sum.exit.message }).toEqual({ preset, exit: 'none', msg: '' });
        const starved = sum.tasks.filter((t) => t.runs === 0 && !t.exited && t.waitNs > 100 * MS);
        expect({ preset, starved }).toEqual({ preset, starved: [] });
        expect(sum.ops.calls).toBeGreaterThan(0);
      }
    });
  }
});
