// The JIT keeps, per base register, the region it last resolved (semantics.ts
// RegionCache) and resets it after every native call. These programs reuse a
// base register across a helper that frees or replaces its region, and
// across regions of different size and permissions: both engines must give
// the same values and the same faults as a fresh lookup would.

import { describe, expect, it } from 'vitest';
import type { EngineKind, NativeDef, NativeEnv, NativeTable } from './abi';
import { BpfFault } from './fault';
import { createVm } from './index';
import type { Region } from './memory';
import { asmImage } from './testing/images';

const ENGINES: EngineKind[] = ['interp', 'jit'];

function helpers(fns: Record<number, (env: NativeEnv) => ReturnType<NativeDef['fn']>>): NativeTable {
  return {
    helper: (id) => (fns[id] ? { name: `helper_${id}`, fn: fns[id]! } : undefined),
    kfunc: () => undefined,
  };
}

function faultOf(fn: () => unknown): BpfFault {
  try {
    fn();
  } catch (e) {
    if (e instanceof BpfFault) return e;
    throw e;
  }
  throw new Error('expected a BpfFault');
}

// r6 = r1 (the object); load through r6, call helper 1, load through r6 again; r0 = sum.
const LOAD_CALL_LOAD = `
  mov %r6, %r1
  ldxdw %r7, [%r6+8]
  call 1
  ldxdw %r0, [%r6+8]
  add %r0, %r7
  exit`;

describe.each(ENGINES)('region cache (%s)', (engine) => {
  it('a region a helper frees between two loads through the same register faults as freed on the second', () => {
    const vm = createVm({ engine, natives: helpers({ 1: () => (vm.space.free(obj), 0) }) });
    const obj = vm.space.alloc('heap', 'node', 16);
    obj.view.setBigUint64(8, 5n, true);
    const prog = vm.load(asmImage(LOAD_CALL_LOAD));
    const f = faultOf(() => vm.call(prog, [vm.space.pointer(obj, 0)]));
    expect(f.kind).toBe('freed');
    expect(f.site.insn).toBe(3);
    expect(f.message).toContain('node after it was freed');
  });

  it('a region a helper replaces with a reporting stand-in reads through the stand-in and reports the instruction', () => {
    const reported: number[] = [];
    const vm = createVm({
      engine,
      natives: helpers({
        1: () => {
          const standIn: Region = { ...obj, name: 'node [released]', freed: true, reportUse: (insn) => reported.push(insn) };
          vm.space.regions[obj.id] = standIn;
          obj.view.setBigUint64(8, 100n, true); // the stand-in shares the bytes
          return 0;
        },
      }),
    });
    const obj = vm.space.alloc('heap', 'node', 16);
    obj.view.setBigUint64(8, 5n, true);
    const prog = vm.load(asmImage(LOAD_CALL_LOAD));
    expect(vm.call(prog, [vm.space.pointer(obj, 0)])).toBe(105n);
    expect(reported).toEqual([3]);
  });

  it('one register moved between regions of different sizes reads each one and faults on the smaller bound', () => {
    const vm = createVm({ engine, natives: helpers({}) });
    const big = vm.space.alloc('map_value', 'big', 64);
    const small = vm.space.alloc('map_value', 'small', 16);
    big.view.setBigUint64(24, 7n, true);
    small.view.setBigUint64(8, 30n, true);
    // r1 = big, r2 = small; load big+24, move r1 to small, load small+8, then small+24 (out of bounds).
    const prog = vm.load(asmImage(`
      ldxdw %r0, [%r1+24]
      mov %r1, %r2
      ldxdw %r3, [%r1+8]
      add %r0, %r3
      jeq %r4, 0, +1
      ldxdw %r3, [%r1+24]
      exit`));
    const args = (r4: bigint): bigint[] => [vm.space.pointer(big, 0), vm.space.pointer(small, 0), 0n, r4];
    expect(vm.call(prog, args(0n))).toBe(37n);
    const f = faultOf(() => vm.call(prog, args(1n)));
    expect(f.kind).toBe('out_of_bounds');
    expect(f.site.insn).toBe(5);
    expect(f.message).toContain('8-byte read at offset 24 of small (size 16)');
  });

  it('a read-only region read through a register refuses a store through the same register', () => {
    const vm = createVm({ engine, natives: helpers({}) });
    const ro = vm.space.alloc('global', '.rodata', 16, { readonly: true });
    ro.view.setUint32(0, 9, true);
    const prog = vm.load(asmImage(`
      ldxw %r0, [%r1]
      stxw [%r1+4], %r0
      exit`));
    const f = faultOf(() => vm.call(prog, [vm.space.pointer(ro, 0)]));
    expect(f.kind).toBe('readonly');
    expect(f.site.insn).toBe(1);
  });

  it('a loop over a region stops at its end with an out-of-bounds fault naming the first offset past it', () => {
    const vm = createVm({ engine, natives: helpers({}) });
    const buf = vm.space.alloc('scratch', 'buf', 40);
    for (let i = 0; i < 5; i++) buf.view.setBigUint64(i * 8, BigInt(i + 1), true);
    // Sum 8-byte words until r2 (the count) reaches r3: with r3 = 5 it ends in bounds, with 6 it reads offset 40.
    const prog = vm.load(asmImage(`
      mov %r0, 0
      mov %r2, 0
    loop:
      ldxdw %r4, [%r1]
      add %r0, %r4
      add %r1, 8
      add %r2, 1
      jlt %r2, %r3, loop
      exit`));
    expect(vm.call(prog, [vm.space.pointer(buf, 0), 0n, 5n])).toBe(15n);
    const f = faultOf(() => vm.call(prog, [vm.space.pointer(buf, 0), 0n, 6n]));
    expect(f.kind).toBe('out_of_bounds');
    expect(f.message).toContain('8-byte read at offset 40 of buf (size 40)');
  });
});
