// The per-call shortcuts of the runtime (allocation-free owner comparison,
// the site cache, the cached program owner, the idle invalidation guard)
// must give exactly what the plain versions gave.

import { describe, expect, it } from 'vitest';
import type { OwnerRef } from '../../model/events';
import type { LineInfo, NativeEnv } from '../vm/abi';
import { AddressSpace } from '../vm/memory';
import type { Btf } from '../btf/btf';
import { RuntimeCore } from './core';
import { ownerKey, sameOwner } from './heap';
import { ENGINES, loadProgram, TestHost } from './testing/harness';

const OWNERS: OwnerRef[] = [
  { kind: 'program', program: 'enqueue', cpu: 0 },
  { kind: 'program', program: 'enqueue', cpu: 3 },
  { kind: 'program', program: 'dispatch', cpu: 0 },
  { kind: 'rb_root', root: 'queue' },
  { kind: 'rb_root', root: 'other' },
  { kind: 'list_head', root: 'queue' },
  { kind: 'kptr', slot: 'queue' },
  { kind: 'kptr', slot: 'map s[pid 1].tctx' },
  { kind: 'refcount', count: 1 },
  { kind: 'refcount', count: 2 },
  { kind: 'freed' },
];

function core(): RuntimeCore {
  const btf = {} as Btf;
  return new RuntimeCore(new AddressSpace(), new TestHost(), btf, btf);
}

function env(program: string, insn: number, li: LineInfo | undefined): NativeEnv {
  return { program, insn, sourceLine: () => li } as unknown as NativeEnv;
}

describe('runtime fast paths', () => {
  it('sameOwner agrees with comparing ownerKey strings for every pair', () => {
    for (const a of OWNERS) {
      for (const b of OWNERS) expect(sameOwner(a, b), `${ownerKey(a)} vs ${ownerKey(b)}`).toBe(ownerKey(a) === ownerKey(b));
      expect(sameOwner(a, { ...a })).toBe(true);
    }
  });

  it('site() gives each program and instruction its own site, with the line of its line_info entry', () => {
    const c = core();
    const li: LineInfo = { insn: 0, file: 'a.bpf.c', line: 12, column: 1, text: '' };
    const a = c.site(env('enqueue', 4, li));
    expect(a).toEqual({ program: 'enqueue', insn: 4, file: 'a.bpf.c', line: 12 });
    expect(c.site(env('enqueue', 4, li))).toEqual(a);
    expect(c.site(env('enqueue', 5, li))).toEqual({ program: 'enqueue', insn: 5, file: 'a.bpf.c', line: 12 });
    expect(c.site(env('dispatch', 4, li))).toEqual({ program: 'dispatch', insn: 4, file: 'a.bpf.c', line: 12 });
    expect(c.site(env('enqueue', 4, li))).toEqual(a);
    expect(c.site(env('enqueue', 4, undefined))).toEqual({ program: 'enqueue', insn: 4 });
    expect(c.site(env('init', 4, undefined))).toEqual({ program: 'init', insn: 4 });
  });

  it('programOwner() follows the running program and CPU', () => {
    const c = core();
    const host = c.host as TestHost;
    expect(c.programOwner()).toEqual({ kind: 'program', program: '<runtime>', cpu: host.currentCpu() });
    c.beginRun('enqueue');
    expect(c.programOwner()).toEqual({ kind: 'program', program: 'enqueue', cpu: host.currentCpu() });
    c.endRun();
    host.cpu = 2;
    c.beginRun('dispatch');
    expect(c.programOwner()).toEqual({ kind: 'program', program: 'dispatch', cpu: 2 });
    c.endRun();
    expect(c.programOwner()).toMatchObject({ program: '<runtime>' });
  });

  it('an idle invalidation guard reports nothing and becomes busy only while something is poisoned', () => {
    const c = core();
    expect(c.guard.idle).toBe(true);
    expect(c.guard.active).toBe(false);
    expect(c.guard.finish()).toEqual([]);
    expect(c.guard.idle).toBe(true);
  });
});

class QuietHost extends TestHost {
  listening(): boolean {
    return false;
  }
}

describe.each(ENGINES)('a host that is not listening (%s)', (engine) => {
  it('gets no ownership events, and the heap, leaks and diagnostics are the same as with a listening host', () => {
    const calls: [string, ...number[]][] = [['leak'], ['add_two', 9, 6], ['remove_after_unlock'], ['double_add'], ['drop_after_add'], ['good_remove']];
    const loud = loadProgram('diag', engine);
    const quiet = loadProgram('diag', engine, new QuietHost());
    for (const [prog, ...args] of calls) expect(quiet.run(prog, ...args)).toBe(loud.run(prog, ...args));
    expect(loud.host.ofKind('obj_new').length).toBeGreaterThan(0);
    expect(quiet.host.ofKind('obj_new')).toEqual([]);
    expect(quiet.host.ofKind('obj_owner')).toEqual([]);
    expect(quiet.host.ofKind('obj_free')).toEqual([]);
    expect(quiet.rt.heapObjects()).toEqual(loud.rt.heapObjects());
    expect(quiet.rt.roots()).toEqual(loud.rt.roots());
    expect(quiet.rt.diagnostics()).toEqual(loud.rt.diagnostics());
    expect(quiet.rt.heap.stats()).toEqual(loud.rt.heap.stats());
  });
});
