// The instructions arena code and the newest kernels bring, in both engines:
// addr_space_cast (ALU64 MOV X, off 1), load-acquire / store-release (STX
// ATOMIC of any width), and accesses through a paged region (an arena: the
// inline check sends them to memSlow, unmapped pages read 0 and drop writes).

import { describe, expect, it } from 'vitest';
import type { EngineKind, NativeTable } from './abi';
import { BpfFault } from './fault';
import { createVm } from './index';
import { asmImage } from './testing/images';
import { disassembleInsn } from './disasm';
import { decode } from './decode';
import { assemble } from '../asm/assembler';
import type { PagedMemory, Region } from './memory';

const ENGINES: EngineKind[] = ['interp', 'jit'];
const natives: NativeTable = { helper: () => undefined, kfunc: () => undefined };

/** Two-page paged memory with page 0 mapped; page 1 unmapped (a zero scratch that drops writes). */
function pagedFixture(space: ReturnType<typeof createVm>['space']): { region: Region; page0: Region } {
  const region = space.alloc('arena', 'arena test', 0);
  const page0 = space.alloc('arena', 'arena test page 0', 4096);
  const scratch = space.alloc('scratch', 'unmapped', 4096);
  const paged: PagedMemory = {
    limit: 8192,
    access: (offset, size) => {
      if ((offset & 4095) + size > 4096) return undefined;
      if (offset < 4096) return { view: page0, offset };
      scratch.bytes.fill(0, offset & 4095, (offset & 4095) + size);
      return { view: scratch, offset: offset & 4095 };
    },
  };
  region.paged = paged;
  return { region, page0 };
}

describe('decode and disassembly of the new instructions', () => {
  it('addr_space_cast decodes for (1,0) and (0,1) only, and disassembles with its address spaces', () => {
    const c = decode(asmImage('addr_space_cast %r1, %r2, 0, 1\naddr_space_cast %r3, %r3, 1, 0\nmov %r0, 0\nexit'));
    expect(disassembleInsn(c, 0)).toBe('r1 = addr_space_cast(r2, 0, 1)');
    expect(disassembleInsn(c, 1)).toBe('r3 = addr_space_cast(r3, 1, 0)');
    expect(() => decode(asmImage('addr_space_cast %r1, %r2, 2, 0\nexit'))).toThrow(/address spaces 2 and 0/);
  });

  it('load-acquire and store-release decode at every width (other atomics stay 32/64-bit only)', () => {
    const c = decode(asmImage('strelb [%r10-1], %r1\nldacqh %r2, [%r10-2]\nmov %r0, 0\nexit'));
    expect(disassembleInsn(c, 0)).toBe('store_release(*(u8 *)(r10 -1), r1)');
    expect(disassembleInsn(c, 1)).toBe('r2 = load_acquire(*(u16 *)(r10 -2))');
    const bad = assemble('lock add32 [%r10-8], %r1\nexit');
    bad[0] = (bad[0]! & ~0x18) | 0x10; // the same add, byte-wide
    expect(() => decode({ ...asmImage('exit'), insns: bad })).toThrow(/32 or 64 bits wide/);
  });
});

describe.each(ENGINES)('arena instructions (%s)', (engine) => {
  it('addr_space_cast keeps an arena pointer and NULL as they are, both ways', () => {
    const vm = createVm({ engine, natives });
    const { region } = pagedFixture(vm.space);
    const prog = vm.load(asmImage('addr_space_cast %r2, %r1, 0, 1\naddr_space_cast %r0, %r2, 1, 0\nexit'));
    const p = vm.space.pointer(region, 24);
    expect(vm.call(prog, [p])).toBe(p);
    expect(vm.call(prog, [0n])).toBe(0n);
  });

  it('with an arena, cast_kern puts a 32-bit offset (NULL included) into it and cast_user turns offset 0 back into NULL, like the kernel', () => {
    const vm = createVm({ engine, natives });
    const { region, page0 } = pagedFixture(vm.space);
    vm.space.arenaHi = region.id;
    page0.view.setBigUint64(16, 99n, true);
    const kern = vm.load(asmImage('addr_space_cast %r0, %r1, 0, 1\nexit'));
    const user = vm.load(asmImage('addr_space_cast %r0, %r1, 1, 0\nexit'));
    // a NULL __arena pointer dereferenced in the kernel reads arena offset 0 (kern_vm_start + 0)
    expect(vm.call(kern, [0n])).toBe(vm.space.pointer(region, 0));
    expect(vm.call(kern, [16n])).toBe(vm.space.pointer(region, 16));
    expect(vm.call(kern, [vm.space.pointer(region, 40)])).toBe(vm.space.pointer(region, 40));
    expect(vm.call(user, [vm.space.pointer(region, 0)])).toBe(0n);
    expect(vm.call(user, [0n])).toBe(0n);
    expect(vm.call(user, [24n])).toBe(vm.space.pointer(region, 24));
    expect(vm.call(user, [vm.space.pointer(region, 8)])).toBe(vm.space.pointer(region, 8));
    // load through a casted NULL + 16: the value at arena offset 16, no fault
    const read = vm.load(asmImage('mov %r1, 0\naddr_space_cast %r1, %r1, 0, 1\nldxdw %r0, [%r1+16]\nexit'));
    expect(vm.call(read, [])).toBe(99n);
  });

  it('with an arena, both casts keep only the low 32 bits of a value whose upper half is not the arena\'s, like the kernel', () => {
    const vm = createVm({ engine, natives });
    const { region, page0 } = pagedFixture(vm.space);
    const other = vm.space.alloc('global', 'other', 64);
    vm.space.arenaHi = region.id;
    page0.view.setBigUint64(8, 77n, true);
    const kern = vm.load(asmImage('addr_space_cast %r0, %r1, 0, 1\nexit'));
    const user = vm.load(asmImage('addr_space_cast %r0, %r1, 1, 0\nexit'));
    // a userspace address (map_extra 1 << 44 + offset) and garbage in the upper half: arena offset = low word
    expect(vm.call(kern, [(1n << 44n) + 24n])).toBe(vm.space.pointer(region, 24));
    expect(vm.call(kern, [(0xdeadn << 48n) | 6n])).toBe(vm.space.pointer(region, 6));
    expect(vm.call(user, [(1n << 44n) + 24n])).toBe(vm.space.pointer(region, 24));
    expect(vm.call(user, [1n << 44n])).toBe(0n);
    // a pointer into another region is no arena pointer: its raw low word becomes the offset
    const p = vm.space.pointer(other, 8);
    expect(vm.call(kern, [p])).toBe(vm.space.pointer(region, Number(p & 0xffff_ffffn)));
    // a load through the cast stray pointer reads the arena, no fault
    const read = vm.load(asmImage('addr_space_cast %r1, %r1, 0, 1\nldxdw %r0, [%r1+0]\nexit'));
    expect(vm.call(read, [(0x1234n << 32n) | 8n])).toBe(77n);
  });

  it('load-acquire reads (zero-extended) and store-release writes, each width', () => {
    const vm = createVm({ engine, natives });
    const prog = vm.load(asmImage([
      'lddw %r1, 0x8899aabbccddeeff',
      'streldw [%r10-8], %r1',
      'ldacqb %r2, [%r10-8]', // 0xff
      'ldacqh %r3, [%r10-8]', // 0xeeff
      'ldacqw %r4, [%r10-8]', // 0xccddeeff
      'ldacqdw %r5, [%r10-8]',
      'strelw [%r10-16], %r4',
      'ldxw %r0, [%r10-16]',
      'add %r0, %r2',
      'add %r0, %r3',
      'sub %r5, %r1', // 0 when the 64-bit round trip held
      'add %r0, %r5',
      'exit',
    ].join('\n')));
    expect(vm.call(prog, [])).toBe(0xccddeeffn + 0xffn + 0xeeffn);
  });

  it('accesses through a paged region: mapped pages hold data, unmapped ones read 0 and drop writes', () => {
    const vm = createVm({ engine, natives });
    const { region, page0 } = pagedFixture(vm.space);
    // *(u64 *)(p + 8) = 77; *(u64 *)(p + 4096 + 8) = 5; r0 = both read back
    const prog = vm.load(asmImage([
      'mov %r2, 77', 'stxdw [%r1+8], %r2',
      'mov %r2, 5', 'stxdw [%r1+4104], %r2',
      'ldxdw %r0, [%r1+8]', 'ldxdw %r3, [%r1+4104]',
      'lsh %r3, 32', 'or %r0, %r3',
      'lock add [%r1+16], %r2',
      'exit',
    ].join('\n')));
    expect(vm.call(prog, [vm.space.pointer(region)])).toBe(77n);
    expect(page0.view.getBigUint64(8, true)).toBe(77n);
    expect(page0.view.getBigUint64(16, true)).toBe(5n);
  });

  it('an access past the paged span faults, naming the region', () => {
    const vm = createVm({ engine, natives });
    const { region } = pagedFixture(vm.space);
    const prog = vm.load(asmImage('ldxdw %r0, [%r1+8192]\nexit'));
    let fault: unknown;
    try {
      vm.call(prog, [vm.space.pointer(region)]);
    } catch (e) {
      fault = e;
    }
    expect(fault).toBeInstanceOf(BpfFault);
    expect((fault as BpfFault).kind).toBe('out_of_bounds');
    expect((fault as BpfFault).message).toMatch(/arena test/);
  });
});
