// Arena maps end to end (test/bpf/sim/arena_ctx.bpf.c): an arena declared with
// __ulong(map_extra), __arena globals in .addr_space.1, per-task contexts
// bump-allocated from bpf_arena_alloc_pages, the kernel's page rules, and the
// arena's pages and allocations as the runtime reports them.

import { describe, expect, it } from 'vitest';
import { Simulation } from './simulation';
import { simFixture } from './testing/fixtures';
import type { SimEvent } from '../model/events';
import { ArenaMap } from '../sched_ext/runtime/maps/arena';
import { MapType } from '../sched_ext/loader/object';
import type { EngineKind } from '../sched_ext/vm/abi';

const MS = 1_000_000;

function run(engine: EngineKind) {
  const s = new Simulation({ objectBytes: simFixture('arena_ctx'), file: 'arena_ctx.bpf.o', workload: 'cpu-hogs', cpus: 4, seed: 3, engine });
  const printks: string[] = [];
  s.on((e: SimEvent) => { if (e.kind === 'printk') printks.push(e.text); });
  s.runFor(200 * MS);
  const arena = s.runtime.mapByName('arena');
  const sum = s.summary();
  const live = arena instanceof ArenaMap ? { pages: arena.mappedPages(), allocations: arena.allocations() } : undefined;
  // the context of each task, read out of arena memory through its task-storage slot
  const ctxs = arena instanceof ArenaMap ? ctxOfTasks(s, arena) : [];
  s.unload();
  return { s, sum, printks, arena, live, ctxs };
}

function ctxOfTasks(s: Simulation, arena: ArenaMap): { pid: number; ctxPid: bigint; runs: bigint }[] {
  const storage = s.runtime.mapByName('task_ctxs')!;
  const base = arena.pointerAt(0);
  return storage.cells().map((cell) => {
    const ptr = cell.region.view.getBigUint64(0, true);
    const bytes = arena.read(Number(ptr - base), 16);
    const v = new DataView(bytes.buffer);
    return { pid: Number(v.getBigUint64(0, true)), ctxPid: v.getBigUint64(0, true), runs: v.getBigUint64(8, true) };
  });
}

function counts(printks: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of printks) {
    if (!p.startsWith('arena_ctx ')) continue;
    for (const m of p.matchAll(/(\w+) (\d+)(?:\/(\d+))?/g)) {
      out[m[1]!] = Number(m[2]);
      if (m[3] !== undefined) out[`${m[1]}_bss`] = Number(m[3]);
    }
  }
  return out;
}

describe.each(['jit', 'interp'] as EngineKind[])('arena maps (%s)', (engine) => {
  it('loads the arena with its map_extra, and __arena globals start with the object\'s data', () => {
    const { s, printks } = run(engine);
    const spec = s.object.maps.find((m) => m.name === 'arena')!;
    expect(spec.type).toBe(MapType.ARENA);
    expect(spec.mapExtra).toBe(1n << 44n);
    expect(spec.maxEntries).toBe(64);
    const c = counts(printks);
    // nr_ctx = 7 in .addr_space.1, read in ops.init before any allocation
    expect(c.init).toBe(7);
  });

  it('hands out per-task contexts from arena pages; every task finds its own again in ops.running', () => {
    const { sum, printks, live, ctxs } = run(engine);
    expect(sum.exit).toMatchObject({ kind: 'none', ejected: false });
    const c = counts(printks);
    const tasks = sum.tasks.length;
    expect(tasks).toBe(16);
    expect(c.ctx).toBe(7 + tasks);
    // 16-byte contexts, two pages at a time: 16 fit in the first two pages
    expect(c.pages).toBe(2);
    // the __arena counter and the .bss one saw the same ops.running calls
    expect(c.runs).toBeGreaterThan(tasks);
    expect(c.runs).toBe(c.runs_bss);
    // the contexts in arena memory name their tasks and add up to the run count
    expect(ctxs.map((x) => x.pid).sort((a, b) => a - b)).toEqual(sum.tasks.map((t) => t.pid).sort((a, b) => a - b));
    expect(ctxs.reduce((n, x) => n + Number(x.runs), 0)).toBe(c.runs);
    for (const t of sum.tasks) expect(Number(ctxs.find((x) => x.pid === t.pid)!.runs)).toBe(t.runs);
    // mapped: the globals' page, and the allocator's two pages, first fit from the page ops.init freed
    expect(live).toEqual({
      pages: 3,
      allocations: [{ page: 0, count: 1, kind: 'globals' }, { page: 1, count: 2, kind: 'alloc' }],
    });
  });

  it('follows the kernel page rules: first page after the globals, taken addresses refused, freed pages read 0', () => {
    const { printks, arena } = run(engine);
    const c = counts(printks);
    expect(c.first_page_off).toBe(4096);
    expect(c.taken_null).toBe(1);
    expect(c.freed_read).toBe(0);
    const a = arena as ArenaMap;
    // the freed page's write and read went to unmapped memory, counted but not faulted
    expect(a.unmappedWrites).toBe(1);
    expect(a.unmappedReads).toBe(1);
  });
});
