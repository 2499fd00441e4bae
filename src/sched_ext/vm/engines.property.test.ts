// Property: random programs (straight-line and branching, with loops that
// only the budget ends, stack loads/stores/atomics that sometimes fault, and
// bpf-to-bpf calls) give the same r0 or fault (kind, instruction), the same
// instruction count and the same memory in the interpreter and the JIT.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BpfFault } from './fault';
import { createVm } from './index';
import type { EngineKind } from './abi';
import { ALU, ATOMIC, CLS, JMP, LDDW, MODE, SIZE, SRC_X } from './opcodes';
import { image } from './testing/images';

type Slot = [op: number, dst: number, src: number, off: number, imm: number];

const reg = fc.integer({ min: 0, max: 9 });
const imm32 = fc.oneof(fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff }), fc.integer({ min: -70, max: 70 }));
const value64 = fc.oneof(
  fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  fc.bigInt({ min: -300n, max: 300n }),
  fc.constantFrom(0x8000_0000_0000_0000n, 0xffff_ffffn, 0x8000_0000n, -1n),
);
const memSize = fc.constantFrom(SIZE.B, SIZE.H, SIZE.W, SIZE.DW);

const aluInsn: fc.Arbitrary<Slot[]> = fc
  .tuple(fc.boolean(), fc.constantFrom(ALU.ADD, ALU.SUB, ALU.MUL, ALU.DIV, ALU.OR, ALU.AND, ALU.LSH, ALU.RSH, ALU.NEG, ALU.MOD, ALU.XOR, ALU.MOV, ALU.ARSH),
    fc.boolean(), reg, reg, imm32, fc.integer({ min: 0, max: 3 }))
  .map(([is64, code, x, d, s, imm, variant]) => {
    const cls = is64 ? CLS.ALU64 : CLS.ALU;
    if (code === ALU.NEG) return [[cls | code, d, 0, 0, 0]];
    let off = 0;
    if (code === ALU.DIV || code === ALU.MOD) off = variant & 1;
    if (code === ALU.MOV && x) off = [0, 8, 16, is64 ? 32 : 0][variant]!;
    return [[cls | code | (x ? SRC_X : 0), d, x ? s : 0, off, x ? 0 : imm]];
  });

const endInsn: fc.Arbitrary<Slot[]> = fc
  .tuple(fc.constantFrom(CLS.ALU | ALU.END, CLS.ALU | ALU.END | SRC_X, CLS.ALU64 | ALU.END), reg, fc.constantFrom(16, 32, 64))
  .map(([op, d, w]) => [[op, d, 0, 0, w]]);

// Stack offsets from r10: mostly inside the 512-byte frame, sometimes past either end.
const stackOff = fc.oneof(fc.integer({ min: -64, max: -1 }), fc.integer({ min: -520, max: 8 }));

const memInsn: fc.Arbitrary<Slot[]> = fc
  .tuple(fc.constantFrom('ldx', 'ldsx', 'st', 'stx'), memSize, reg, reg, stackOff, imm32)
  .map(([kind, size, d, s, off, imm]) => {
    if (kind === 'ldx') return [[CLS.LDX | MODE.MEM | size, d, 10, off, 0]];
    if (kind === 'ldsx') return [[CLS.LDX | MODE.MEMSX | (size === SIZE.DW ? SIZE.W : size), d, 10, off, 0]];
    if (kind === 'st') return [[CLS.ST | MODE.MEM | size, 10, 0, off, imm]];
    return [[CLS.STX | MODE.MEM | size, 10, s, off, 0]];
  });

const atomicInsn: fc.Arbitrary<Slot[]> = fc
  .tuple(fc.constantFrom(SIZE.W, SIZE.DW), fc.constantFrom<number>(ATOMIC.ADD, ATOMIC.OR, ATOMIC.AND, ATOMIC.XOR, ATOMIC.ADD | 1, ATOMIC.OR | 1, ATOMIC.AND | 1, ATOMIC.XOR | 1, ATOMIC.XCHG, ATOMIC.CMPXCHG),
    reg, fc.integer({ min: 1, max: 16 }), fc.integer({ min: 0, max: 9 }))
  .map(([size, op, s, slot, mis]) => [[CLS.STX | MODE.ATOMIC | size, 10, s, -8 * slot + (mis === 0 ? 4 : 0), op]]);

/** A branch; `rel` in [0, 1) picks the target among the body's slots (resolved once the body is laid out). */
const branchInsn = fc
  .tuple(fc.boolean(), fc.constantFrom(JMP.JA, JMP.JEQ, JMP.JGT, JMP.JGE, JMP.JSET, JMP.JNE, JMP.JSGT, JMP.JSGE, JMP.JLT, JMP.JLE, JMP.JSLT, JMP.JSLE),
    fc.boolean(), reg, reg, imm32, fc.double({ min: 0, max: 0.999, noNaN: true }))
  .map(([is32, code, x, d, s, imm, rel]) => ({ branch: true as const, is32, code, x, d, s, imm, rel }));

const callInsn = fc.constant({ call: true as const });

type BodyItem = Slot[] | { branch: true; is32: boolean; code: number; x: boolean; d: number; s: number; imm: number; rel: number } | { call: true };

const program = fc.record({
  init: fc.array(value64, { minLength: 10, maxLength: 10 }),
  body: fc.array(fc.oneof({ arbitrary: aluInsn, weight: 6 }, { arbitrary: endInsn, weight: 1 }, { arbitrary: memInsn, weight: 3 },
    { arbitrary: atomicInsn, weight: 1 }, { arbitrary: branchInsn, weight: 2 }, { arbitrary: callInsn, weight: 1 }) as fc.Arbitrary<BodyItem>,
  { minLength: 1, maxLength: 40 }),
  sub: fc.array(fc.oneof(aluInsn, memInsn), { maxLength: 6 }),
});

function encode(slots: Slot[]): Uint8Array {
  const out = new Uint8Array(slots.length * 8);
  const v = new DataView(out.buffer);
  slots.forEach(([op, dst, src, off, imm], i) => {
    out[i * 8] = op;
    out[i * 8 + 1] = (src << 4) | dst;
    v.setInt16(i * 8 + 2, off, true);
    v.setInt32(i * 8 + 4, imm, true);
  });
  return out;
}

function build(p: { init: bigint[]; body: BodyItem[]; sub: Slot[][] }): Uint8Array {
  const slots: Slot[] = [];
  p.init.forEach((v, r) => {
    const u = BigInt.asUintN(64, v);
    slots.push([LDDW, r, 0, 0, Number(BigInt.asIntN(32, u))], [0, 0, 0, 0, Number(BigInt.asIntN(32, u >> 32n))]);
  });
  const bodyStart = slots.length;
  const bodyEnd = bodyStart + p.body.length; // the epilogue starts here
  const epilogue: Slot[] = [];
  for (let r = 0; r <= 9; r++) epilogue.push([CLS.STX | MODE.MEM | SIZE.DW, 10, r, -8 * (r + 1), 0]);
  epilogue.push([CLS.JMP | JMP.EXIT, 0, 0, 0, 0]);
  const subStart = bodyEnd + epilogue.length;
  p.body.forEach((item, k) => {
    const at = bodyStart + k;
    if (Array.isArray(item)) slots.push(item[0]!);
    else if ('call' in item) slots.push([CLS.JMP | JMP.CALL, 0, 1, 0, subStart - at - 1]);
    else {
      const target = bodyStart + Math.floor(item.rel * (p.body.length + 1));
      const off = target - at - 1;
      if (item.code === JMP.JA) slots.push([CLS.JMP | JMP.JA, 0, 0, off, 0]);
      else slots.push([(item.is32 ? CLS.JMP32 : CLS.JMP) | item.code | (item.x ? SRC_X : 0), item.d, item.x ? item.s : 0, off, item.x ? 0 : item.imm]);
    }
  });
  slots.push(...epilogue);
  for (const s of p.sub) slots.push(s[0]!);
  slots.push([CLS.JMP | JMP.EXIT, 0, 0, 0, 0]);
  return encode(slots);
}

interface Outcome {
  r0?: bigint;
  fault?: string;
  count: number;
  stacks: string;
}

function run(engine: EngineKind, insns: Uint8Array, jitChunkWeight?: number): Outcome {
  const vm = createVm({ engine, natives: { helper: () => undefined, kfunc: () => undefined }, budget: 400, jitChunkWeight });
  const prog = vm.load(image(insns));
  const out: Outcome = { count: 0, stacks: '' };
  try {
    out.r0 = vm.call(prog, []);
  } catch (e) {
    if (!(e instanceof BpfFault)) throw e;
    out.fault = `${e.kind} at insn ${e.site.insn}`;
  }
  out.count = vm.lastInsnCount;
  out.stacks = vm.space.regions
    .filter((r) => r?.kind === 'stack')
    .map((r) => Buffer.from(r!.bytes).toString('hex'))
    .join('|');
  return out;
}

describe('interpreter and JIT agree', () => {
  it('on random programs: r0 or fault, instruction count, and every stack frame', () => {
    fc.assert(
      fc.property(program, (p) => {
        const insns = build(p);
        expect(run('jit', insns)).toEqual(run('interp', insns));
      }),
      { numRuns: 400 },
    );
  });

  it('when the JIT splits programs into many small functions (control passes between them)', () => {
    fc.assert(
      fc.property(program, fc.integer({ min: 1, max: 12 }), (p, weight) => {
        const insns = build(p);
        expect(run('jit', insns, weight)).toEqual(run('interp', insns));
      }),
      { numRuns: 300 },
    );
  });

  it('when the interpreter is stepped one instruction at a time (the debugger\'s Stepper)', () => {
    fc.assert(
      fc.property(program, (p) => {
        const insns = build(p);
        const vm = createVm({ engine: 'interp', natives: { helper: () => undefined, kfunc: () => undefined }, budget: 400 });
        const s = vm.stepper(vm.load(image(insns)), []);
        const out: Outcome = { count: 0, stacks: '' };
        try {
          while (s.step()) { /* one instruction per step */ }
          out.r0 = s.result;
        } catch (e) {
          if (!(e instanceof BpfFault)) throw e;
          out.fault = `${e.kind} at insn ${e.site.insn}`;
        }
        out.count = s.insnCount;
        // The Stepper runs on its own 8 stack frames, allocated after the VM's.
        out.stacks = vm.space.regions.filter((r) => r?.kind === 'stack').slice(-8).map((r) => Buffer.from(r!.bytes).toString('hex')).join('|');
        expect(out).toEqual(run('interp', insns));
      }),
      { numRuns: 200 },
    );
  });

  it('the generator reaches faults, budget exhaustion and clean exits alike', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(program, (p) => {
        const o = run('jit', build(p));
        seen.add(o.fault?.split(' ')[0] ?? 'exit');
      }),
      { numRuns: 300, seed: 42 },
    );
    expect([...seen].sort()).toEqual(expect.arrayContaining(['budget', 'exit', 'misaligned', 'out_of_bounds']));
  });
});
