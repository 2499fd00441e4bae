import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assemble } from '../asm/assembler';
import { disassemble } from './disasm';
import { fixtureProgram } from './testing/fixture';
import { asmImage, image } from './testing/images';

const OBJ = fileURLToPath(new URL('./testdata/faults.bpf.o', import.meta.url));

describe('disassembler (kernel verifier syntax, kernel/bpf/disasm.c)', () => {
  it('prints clang output the way the verifier log does', () => {
    expect(disassemble(fixtureProgram(OBJ, 'tc', 'read_ptr'))).toEqual([
      '0: r2 = *(u64 *)(r1 +0)',
      '1: r1 = *(u64 *)(r1 +8)',
      '2: r1 <<= 3',
      '3: r2 += r1',
      '4: r0 = *(u64 *)(r2 +0)',
      '5: exit',
    ]);
    expect(disassemble(fixtureProgram(OBJ, 'tc', 'atomic_add'))[4]).toBe('4: r0 = atomic64_fetch_add((u64 *)(r1 +0), r0)');
    expect(disassemble(fixtureProgram(OBJ, 'tc', 'spin')).slice(0, 5)).toEqual([
      '0: r0 = -1', '1: r1 = *(u64 *)(r1 +0)', '2: r0 += 1', '3: r2 = *(u64 *)(r1 +0)', '4: if r2 == 0x0 goto pc-3',
    ]);
    expect(disassemble(fixtureProgram(OBJ, 'tc', 'recurse'))[1]).toBe('1: call pc+1');
    expect(disassemble(fixtureProgram(OBJ, 'tc', 'unknown_helper'))[1]).toBe('1: call bpf_get_prandom_u32#7');
    expect(disassemble(fixtureProgram(OBJ, 'tc', 'unknown_helper'), { helper: () => 'renamed' })[1]).toBe('1: call renamed#7');
  });

  it('covers 32-bit forms, stores, atomics, byte swaps, sign extension and jumps', () => {
    const lines = disassemble(image(assemble(`
      mov32 %r1, 2
      sdiv %r1, %r2
      movsx1664 %r3, %r4
      be16 %r0
      bswap64 %r0
      stw [%r10-4], 7
      stxh [%r1+2], %r2
      ldxsb %r0, [%r10-1]
      lock add [%r10-8], %r1
      lock fetch or32 [%r10-8], %r3
      lock cmpxchg [%r10-8], %r1
      jslt32 %r1, %r2, +1
      ja32 +0
      call 194
      lddw %r0, 0x123456789
      call 9999
      exit`)));
    expect(lines).toEqual([
      '0: w1 = 2',
      '1: r1 s/= r2',
      '2: r3 = (s16)r4',
      '3: r0 = be16 r0',
      '4: r0 = bswap64 r0',
      '5: *(u32 *)(r10 -4) = 7',
      '6: *(u16 *)(r1 +2) = r2',
      '7: r0 = *(s8 *)(r10 -1)',
      '8: lock *(u64 *)(r10 -8) += r1',
      '9: w3 = atomic_fetch_or((u32 *)(r10 -8), w3)',
      '10: r0 = atomic64_cmpxchg((u64 *)(r10 -8), r0, r1)',
      '11: if w1 s< w2 goto pc+1',
      '12: gotol pc+0',
      '13: call bpf_kptr_xchg#194',
      '14: r0 = 0x123456789',
      '16: call unknown#9999',
      '17: exit',
    ]);
  });

  it('names maps and callbacks in ld_imm64', () => {
    const lines = disassemble(asmImage('lddw %r1, 0\nlddw %r2, 0\nlddw %r3, 0\nexit',
      (p) => p.src(0, 1).imm(0, 3).src(2, 2).imm(2, 1).imm(3, 16).src(4, 4).imm(4, 1)), { map: (i) => (i === 3 ? 'dsq_ctx' : undefined) });
    expect(lines).toEqual(['0: r1 = map[id:3](dsq_ctx)', '2: r2 = map[id:1][0]+16', '4: r3 = func pc+1', '6: exit']);
  });
});
