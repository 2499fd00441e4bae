// __arena pointers whose upper half is not the arena's
// (test/bpf/sim/arena_stray_ptr.bpf.c): an address userspace computed from
// map_extra, and a pointer slot holding a non-pointer. The kernel's cast_kern
// keeps the low 32 bits, so both reach the arena at that offset and nothing
// faults. scx's sdt_alloc (lavd, cake) wrote through such a pointer in
// ops.init_task and was ejected with "write to 0x1000000000006, which is not
// a pointer into any object" before the VM kept only the low word.

import { describe, expect, it } from 'vitest';
import { Simulation } from './simulation';
import { simFixture } from './testing/fixtures';
import type { EngineKind } from '../sched_ext/vm/abi';

const MS = 1_000_000;

describe.each(['jit', 'interp'] as EngineKind[])('stray __arena pointers (%s)', (engine) => {
  it('reach the arena at their low 32 bits, as the kernel casts them, instead of faulting', () => {
    const s = new Simulation({ objectBytes: simFixture('arena_stray_ptr'), file: 'arena_stray_ptr.bpf.o', workload: 'cpu-hogs', cpus: 2, seed: 1, engine });
    s.runFor(20 * MS);
    const sum = s.summary();
    const globals = Object.fromEntries(s.runtime.globalValues().map((g) => [g.name, g.value]));
    s.unload();
    expect(sum.exit.kind).toBe('none');
    expect(sum.diagnostics).toEqual([]);
    // the allocation starts after the globals' page; page 2 is inside it
    expect(globals.pages_off).toBe('4096');
    // written through map_extra + 2 pages, read back at arena offset 8192
    expect(globals.via_user_a).toBe('1111');
    // written through 0xdead << 48 | (page 1 + 16), read back at arena offset 4096 + 16 + 8
    expect(globals.via_stray_b).toBe('2222');
  });
});
