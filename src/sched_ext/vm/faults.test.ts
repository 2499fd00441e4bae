// Each fault kind, raised by a clang-built program (testdata/faults.bpf.c),
// must name the same program, instruction and source line in both engines.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { EngineKind, NativeTable } from './abi';
import { BpfFault, type FaultKind } from './fault';
import { createVm } from './index';
import { fixtureProgram, markerLine } from './testing/fixture';

const OBJ = fileURLToPath(new URL('./testdata/faults.bpf.o', import.meta.url));
const SRC = readFileSync(fileURLToPath(new URL('./testdata/faults.bpf.c', import.meta.url)), 'utf8');
const NONE: NativeTable = { helper: () => undefined, kfunc: () => undefined };

interface Case {
  name: string;
  fn: string;
  kind: FaultKind;
  marker: string;
  insn: number;
  budget?: number;
  /** Build ctx[] in the VM's address space. */
  ctx(vm: ReturnType<typeof createVm>): bigint[];
}

const CASES: Case[] = [
  { name: 'NULL dereference', fn: 'read_ptr', kind: 'null', marker: 'read', insn: 4, ctx: () => [0n, 0n] },
  { name: 'scalar used as a pointer', fn: 'read_ptr', kind: 'bad_pointer', marker: 'read', insn: 4, ctx: () => [0xdead_beefn, 0n] },
  {
    name: 'read past the end of an object', fn: 'read_ptr', kind: 'out_of_bounds', marker: 'read', insn: 4,
    ctx: (vm) => [vm.space.pointer(vm.space.alloc('map_value', 'cpu_ctx[0]', 16)), 2n],
  },
  {
    name: 'write to read-only data', fn: 'write_ptr', kind: 'readonly', marker: 'write', insn: 5,
    ctx: (vm) => [vm.space.pointer(vm.space.alloc('global', '.rodata', 16, { readonly: true })), 1n],
  },
  {
    name: 'use after free', fn: 'read_ptr', kind: 'freed', marker: 'read', insn: 4,
    ctx: (vm) => {
      const obj = vm.space.alloc('heap', 'bpf_obj_new #1', 16);
      vm.space.free(obj);
      return [vm.space.pointer(obj), 0n];
    },
  },
  {
    name: 'misaligned atomic', fn: 'atomic_add', kind: 'misaligned', marker: 'atomic', insn: 4,
    ctx: (vm) => [vm.space.pointer(vm.space.alloc('map_value', 'counters[0]', 32)), 4n],
  },
  {
    // 2 instructions before the loop, then 3 per iteration (r0 += 1; load; branch):
    // the 1001st instruction is the branch at slot 4.
    name: 'budget exhausted', fn: 'spin', kind: 'budget', marker: 'spin', insn: 4, budget: 1000,
    ctx: (vm) => [vm.space.pointer(vm.space.alloc('map_value', 'flag', 8)), 0n],
  },
  // recurse is 3 slots, then .text: fib's recursive call sits at .text slot 6.
  { name: 'call depth over 8 frames', fn: 'recurse', kind: 'call_depth', marker: 'depth', insn: 9, ctx: () => [20n, 0n] },
  { name: 'unknown helper', fn: 'unknown_helper', kind: 'bad_call', marker: 'helper', insn: 1, ctx: () => [0n, 0n] },
];

describe('faults from a clang-built program', () => {
  for (const c of CASES) {
    for (const engine of ['interp', 'jit'] as EngineKind[]) {
      it(`${c.name} (${engine}) names ${c.fn}, insn ${c.insn} and its source line`, () => {
        const vm = createVm({ engine, natives: NONE, budget: c.budget });
        const prog = vm.load(fixtureProgram(OBJ, 'tc', c.fn));
        let fault: unknown;
        try {
          vm.callWithCtx(prog, c.ctx(vm));
        } catch (e) {
          fault = e;
        }
        expect(fault).toBeInstanceOf(BpfFault);
        const f = fault as BpfFault;
        expect(f.kind).toBe(c.kind);
        expect(f.site.program).toBe(c.fn);
        expect(f.site.insn).toBe(c.insn);
        expect(f.site.file).toMatch(/faults\.bpf\.c$/);
        expect(f.site.line).toBe(markerLine(SRC, c.marker));
        expect(f.message).toContain(`FAULT: ${c.marker}`);
      });
    }
  }

  it('a recursion that stays within 8 frames runs (fib(7) = 13)', () => {
    for (const engine of ['interp', 'jit'] as EngineKind[]) {
      const vm = createVm({ engine, natives: NONE });
      const prog = vm.load(fixtureProgram(OBJ, 'tc', 'recurse'));
      expect(vm.callWithCtx(prog, [7n])).toBe(13n);
    }
  });

  it('memory faults carry the address and the region name', () => {
    const vm = createVm({ engine: 'jit', natives: NONE });
    const prog = vm.load(fixtureProgram(OBJ, 'tc', 'read_ptr'));
    const region = vm.space.alloc('map_value', 'cpu_ctx[3]', 16);
    try {
      vm.callWithCtx(prog, [vm.space.pointer(region), 5n]);
      expect.unreachable();
    } catch (e) {
      const f = e as BpfFault;
      expect(f.site.region).toBe('cpu_ctx[3]');
      expect(f.site.address).toBe(vm.space.pointer(region, 40));
      expect(f.detail).toContain('offset 40 of cpu_ctx[3] (size 16)');
    }
  });
});
