// scx_bpf_dsq_move from a BPF timer (test/bpf/sim/timer_move.bpf.c), as
// scx_tickless moves tasks from its scheduling timer: a timer holds no rq
// lock, so the kernel allows the move there (scx_kf_allowed_if_unlocked);
// tasks run only through those moves. The timer's callback runs on the CPU
// that armed it.

import { describe, expect, it } from 'vitest';
import { Simulation } from './simulation';
import { simFixture } from './testing/fixtures';
import { ArrayMap } from '../sched_ext/runtime/maps/array';

const MS = 1_000_000;

describe('scx_bpf_dsq_move outside any op', () => {
  it('a BPF timer moves parked tasks to the global DSQ; every task runs', () => {
    const s = new Simulation({ objectBytes: simFixture('timer_move'), file: 'timer_move.bpf.o', workload: 'interactive', cpus: 4, seed: 4 });
    s.runFor(200 * MS);
    const sum = s.summary();
    const bss = (name: string) => {
      const g = s.object.globals.find((v) => v.name === name)!;
      return (s.runtime.maps[g.mapIndex] as ArrayMap).cell(0, 0)!.region.view.getBigUint64(g.offset, true);
    };
    expect(sum.exit).toMatchObject({ kind: 'none', ejected: false });
    expect(bss('ticks')).toBeGreaterThanOrEqual(190n);
    expect(bss('moved')).toBeGreaterThan(20n);
    expect(bss('move_failed')).toBe(0n);
    for (const t of sum.tasks) expect(t.runs, `${t.comm} never ran`).toBeGreaterThan(0);
    s.unload();
  });
});
