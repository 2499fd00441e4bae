// Random BPF programs that the kernel's verifier accepts, for differential
// tests of scxray's VM against the machine's own kernel (RFC 9669 encoding).
//
// Shape of every program (r1 = a CTX_SIZE-byte context, r10 = frame pointer):
//   r6 = r1; the 64 bytes below r10 zeroed; r0–r5, r7–r9 loaded with random
//   64-bit values; a random straight-line-with-forward-branches body over
//   those registers, the stack and the context's scratch area; then every
//   register and the stack dumped into the context; exit with r0.
// So the context after the run holds everything the program computed, and
// two engines agree exactly when their contexts and return values do.

import { mulberry32 } from '../../src/base/prng';

export const CTX_SIZE = 256;
/** Register dump at ctx[0..72), stack copy at ctx[72..136), scratch the body may use at ctx[136..256). */
const DUMP_OFF = 0;
const STACK_COPY_OFF = 72;
const SCRATCH_OFF = 136;
const STACK_BYTES = 64;

const VALUE_REGS = [0, 1, 2, 3, 4, 5, 7, 8, 9];

// Opcode parts (RFC 9669 §3–5).
const CLS = { LD: 0, LDX: 1, ST: 2, STX: 3, ALU: 4, JMP: 5, JMP32: 6, ALU64: 7 } as const;
const SIZE = { W: 0x00, H: 0x08, B: 0x10, DW: 0x18 } as const;
const MODE = { IMM: 0x00, MEM: 0x60, MEMSX: 0x80, ATOMIC: 0xc0 } as const;
const SRC_X = 0x08;
const ALU = { ADD: 0x00, SUB: 0x10, MUL: 0x20, DIV: 0x30, OR: 0x40, AND: 0x50, LSH: 0x60, RSH: 0x70, NEG: 0x80, MOD: 0x90, XOR: 0xa0, MOV: 0xb0, ARSH: 0xc0, END: 0xd0 } as const;
const JMP = { JA: 0x00, JEQ: 0x10, JGT: 0x20, JGE: 0x30, JSET: 0x40, JNE: 0x50, JSGT: 0x60, JSGE: 0x70, EXIT: 0x90, JLT: 0xa0, JLE: 0xb0, JSLT: 0xc0, JSLE: 0xd0 } as const;
const ATOMIC = { ADD: 0x00, OR: 0x40, AND: 0x50, XOR: 0xa0, FETCH: 0x01, XCHG: 0xe1, CMPXCHG: 0xf1 } as const;

export interface Insn {
  op: number;
  dst: number;
  src: number;
  off: number;
  imm: number;
}

/** A deterministic generator (src/base/prng.ts), so a failing seed reproduces. */
export class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  u32(): number {
    return Math.floor(this.next() * 2 ** 32) >>> 0;
  }
  below(n: number): number {
    return this.u32() % n;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.below(xs.length)]!;
  }
  chance(p: number): boolean {
    return this.u32() / 2 ** 32 < p;
  }
  /** An interesting 32-bit immediate: small, boundary or random, signed. */
  imm32(): number {
    switch (this.below(6)) {
      case 0:
        return this.below(64) - 32;
      case 1:
        return this.pick([0, 1, -1, 0x7fffffff, -0x80000000, 0xffff, 0x8000, 0x80, 0xff]);
      default:
        return this.u32() | 0;
    }
  }
  /** An interesting 64-bit value. */
  u64(): bigint {
    switch (this.below(5)) {
      case 0:
        return BigInt.asUintN(64, BigInt(this.below(64) - 32));
      case 1:
        return this.pick([0n, 1n, 0xffffffffffffffffn, 0x8000000000000000n, 0x7fffffffffffffffn, 0xffffffffn, 0x80000000n, 0x100000000n]);
      default:
        return (BigInt(this.u32()) << 32n) | BigInt(this.u32());
    }
  }
}

const insn = (op: number, dst = 0, src = 0, off = 0, imm = 0): Insn => ({ op, dst, src, off, imm });

function ldImm64(dst: number, v: bigint): Insn[] {
  const lo = Number(BigInt.asIntN(32, v));
  const hi = Number(BigInt.asIntN(32, v >> 32n));
  return [insn(CLS.LD | SIZE.DW | MODE.IMM, dst, 0, 0, lo), insn(0, 0, 0, 0, hi)];
}

/** One body element: one or two slots; `branch` is set on conditional jumps whose offset is patched later. */
interface Element {
  insns: Insn[];
  branch?: boolean;
}

function aluElement(r: Rng, regs: readonly number[] = VALUE_REGS): Element {
  const wide = r.chance(0.6);
  const cls = wide ? CLS.ALU64 : CLS.ALU;
  const dst = r.pick(regs);
  const kind = r.below(12);
  if (kind === 0) return { insns: [insn(cls | ALU.NEG, dst)] };
  if (kind === 1) {
    // Byte swaps: to_le / to_be (ALU) and the unconditional bswap (ALU64).
    const width = r.pick([16, 32, 64]);
    if (wide) return { insns: [insn(CLS.ALU64 | ALU.END, dst, 0, 0, width)] };
    return { insns: [insn(CLS.ALU | ALU.END | (r.chance(0.5) ? SRC_X : 0), dst, 0, 0, width)] };
  }
  if (kind === 2) {
    // Sign-extending moves (cpu v4): 8/16/32 for ALU64, 8/16 for ALU.
    const off = wide ? r.pick([8, 16, 32]) : r.pick([8, 16]);
    return { insns: [insn(cls | ALU.MOV | SRC_X, dst, r.pick(VALUE_REGS), off)] };
  }
  const op = r.pick([ALU.ADD, ALU.SUB, ALU.MUL, ALU.DIV, ALU.OR, ALU.AND, ALU.LSH, ALU.RSH, ALU.MOD, ALU.XOR, ALU.MOV, ALU.ARSH]);
  // Signed division and modulo (off = 1, cpu v4).
  const off = (op === ALU.DIV || op === ALU.MOD) && r.chance(0.4) ? 1 : 0;
  const shift = op === ALU.LSH || op === ALU.RSH || op === ALU.ARSH;
  if (r.chance(0.5)) return { insns: [insn(cls | op | SRC_X, dst, r.pick(VALUE_REGS), off)] };
  // Immediate shifts must be below the width (the verifier refuses others).
  let imm = shift ? r.below(wide ? 64 : 32) : r.imm32();
  if ((op === ALU.DIV || op === ALU.MOD) && imm === 0) imm = 3; // the verifier refuses division by a zero immediate
  return { insns: [insn(cls | op, dst, 0, off, imm)] };
}

const SIZES = [
  [SIZE.B, 1],
  [SIZE.H, 2],
  [SIZE.W, 4],
  [SIZE.DW, 8],
] as const;

function memElement(r: Rng): Element {
  const [size, bytes] = r.pick(SIZES);
  const onStack = r.chance(0.6);
  const base = onStack ? 10 : 6;
  const off = onStack ? -STACK_BYTES + bytes * r.below(STACK_BYTES / bytes) : SCRATCH_OFF + bytes * r.below((CTX_SIZE - SCRATCH_OFF) / bytes);
  const reg = r.pick(VALUE_REGS);
  switch (r.below(onStack ? 5 : 3)) {
    case 0:
      return { insns: [insn(CLS.LDX | size | MODE.MEM, reg, base, off)] };
    case 1:
      return { insns: [insn(CLS.STX | size | MODE.MEM, base, reg, off)] };
    case 2:
      return { insns: [insn(CLS.ST | size | MODE.MEM, base, 0, off, r.imm32())] };
    case 3:
      // Sign-extending loads (cpu v4), from the stack.
      if (size === SIZE.DW) return { insns: [insn(CLS.LDX | size | MODE.MEM, reg, base, off)] };
      return { insns: [insn(CLS.LDX | size | MODE.MEMSX, reg, base, off)] };
    default: {
      // Atomics on the stack, 32 and 64 bit, plain and fetching; cmpxchg compares with r0.
      const dw = r.chance(0.5);
      const aoff = -STACK_BYTES + (dw ? 8 : 4) * r.below(STACK_BYTES / (dw ? 8 : 4));
      const aop = r.pick([ATOMIC.ADD, ATOMIC.OR, ATOMIC.AND, ATOMIC.XOR, ATOMIC.ADD | ATOMIC.FETCH, ATOMIC.OR | ATOMIC.FETCH, ATOMIC.AND | ATOMIC.FETCH, ATOMIC.XOR | ATOMIC.FETCH, ATOMIC.XCHG, ATOMIC.CMPXCHG]);
      const src = r.pick(VALUE_REGS.filter((x) => x !== 0 || aop !== ATOMIC.CMPXCHG));
      return { insns: [insn(CLS.STX | (dw ? SIZE.DW : SIZE.W) | MODE.ATOMIC, 10, src, aoff, aop)] };
    }
  }
}

function branchElement(r: Rng): Element {
  const cls = r.chance(0.5) ? CLS.JMP : CLS.JMP32;
  const op = r.pick([JMP.JEQ, JMP.JGT, JMP.JGE, JMP.JSET, JMP.JNE, JMP.JSGT, JMP.JSGE, JMP.JLT, JMP.JLE, JMP.JSLT, JMP.JSLE]);
  const dst = r.pick(VALUE_REGS);
  if (r.chance(0.5)) return { insns: [insn(cls | op | SRC_X, dst, r.pick(VALUE_REGS))], branch: true };
  return { insns: [insn(cls | op, dst, 0, 0, r.imm32())], branch: true };
}

/**
 * A bounded loop the verifier can prove: a counter register set to 1..6,
 * a few ALU instructions that leave it alone, the decrement and a backward
 * `if counter != 0` jump.
 */
function loopElement(r: Rng): Element {
  const counter = r.pick(VALUE_REGS);
  const others = VALUE_REGS.filter((x) => x !== counter);
  const inner = Array.from({ length: 1 + r.below(4) }, () => aluElement(r, others).insns).flat();
  const back = -(inner.length + 2);
  return {
    insns: [
      insn(CLS.ALU64 | ALU.MOV, counter, 0, 0, 1 + r.below(6)),
      ...inner,
      insn(CLS.ALU64 | ALU.SUB, counter, 0, 0, 1),
      insn((r.chance(0.5) ? CLS.JMP : CLS.JMP32) | JMP.JNE, counter, 0, back, 0),
    ],
  };
}

/**
 * A bpf-to-bpf call (src = 1, BPF_PSEUDO_CALL) to subprogram `sub`, patched
 * once the subprograms' places are known. r1–r5 are dead after a call, so the
 * element gives them new values from the callee-saved registers.
 */
function callElement(r: Rng, sub: number): Element & { call: number } {
  const refill = [1, 2, 3, 4, 5].map((reg) => insn(CLS.ALU64 | ALU.MOV | SRC_X, reg, r.pick([0, 7, 8, 9])));
  return { insns: [insn(CLS.JMP | 0x80, 0, 1, 0, 0), ...refill], call: sub };
}

/** A subprogram: ALU over its arguments r1–r5, r0 from them, exit. */
function subprogram(r: Rng): Insn[] {
  const args = [1, 2, 3, 4, 5];
  // Only r1–r5 are readable in the callee: any register source is one of them.
  const body = Array.from({ length: 2 + r.below(6) }, () => aluElement(r, args).insns.map((x) => ((x.op & SRC_X) !== 0 && (x.op & 0xf0) !== ALU.END ? { ...x, src: r.pick(args) } : x)));
  return [...body.flat(), insn(CLS.ALU64 | ALU.MOV | SRC_X, 0, r.pick(args)), insn(CLS.ALU64 | ALU.XOR | SRC_X, 0, r.pick(args)), insn(CLS.JMP | JMP.EXIT)];
}

export interface GeneratedProgram {
  seed: number;
  insns: Insn[];
}

/** A random program of about `bodyLen` body instructions. */
export function generateProgram(seed: number, bodyLen = 40): GeneratedProgram {
  const r = new Rng(seed);
  const prologue: Insn[] = [insn(CLS.ALU64 | ALU.MOV | SRC_X, 6, 1)];
  for (let off = -STACK_BYTES; off < 0; off += 8) prologue.push(insn(CLS.ST | SIZE.DW | MODE.MEM, 10, 0, off, 0));
  for (const reg of VALUE_REGS) prologue.push(...ldImm64(reg, r.u64()));

  let subs = Array.from({ length: r.below(3) }, () => subprogram(r));
  const body: (Element & { call?: number })[] = [];
  for (let i = 0; i < bodyLen; i++) {
    const k = r.below(20);
    if (k < 9) body.push(aluElement(r));
    else if (k < 15) body.push(memElement(r));
    else if (k < 17) body.push(branchElement(r));
    else if (k < 18) body.push(loopElement(r));
    else if (k < 19 && subs.length > 0) body.push(callElement(r, r.below(subs.length)));
    else body.push({ insns: ldImm64(r.pick(VALUE_REGS), r.u64()) });
  }
  // Forward branch targets: an element boundary after the branch, at most the end of the body.
  const starts: number[] = [];
  let slot = prologue.length;
  for (const e of body) {
    starts.push(slot);
    slot += e.insns.length;
  }
  starts.push(slot);
  body.forEach((e, i) => {
    if (!e.branch) return;
    const target = i + 1 + r.below(Math.min(8, body.length - i));
    e.insns[0]!.off = starts[target]! - (starts[i]! + 1);
  });

  const epilogue: Insn[] = [];
  VALUE_REGS.forEach((reg, i) => epilogue.push(insn(CLS.STX | SIZE.DW | MODE.MEM, 6, reg, DUMP_OFF + 8 * i)));
  for (let i = 0; i < STACK_BYTES / 8; i++) {
    epilogue.push(insn(CLS.LDX | SIZE.DW | MODE.MEM, 1, 10, -STACK_BYTES + 8 * i));
    epilogue.push(insn(CLS.STX | SIZE.DW | MODE.MEM, 6, 1, STACK_COPY_OFF + 8 * i));
  }
  epilogue.push(insn(CLS.JMP | JMP.EXIT));
  // Subprograms follow the main program; a call's imm is relative to the next slot.
  subs = keepCalled(subs, body);
  const subStart: number[] = [];
  let at = slot + epilogue.length;
  for (const sub of subs) {
    subStart.push(at);
    at += sub.length;
  }
  body.forEach((e, i) => {
    if (e.call !== undefined) e.insns[0]!.imm = subStart[e.call]! - (starts[i]! + 1);
  });
  return { seed, insns: [...prologue, ...body.flatMap((e) => e.insns), ...epilogue, ...subs.flat()] };
}

/** Only the subprograms some call reaches stay (the verifier refuses unreachable code). */
function keepCalled(subs: Insn[][], body: readonly (Element & { call?: number })[]): Insn[][] {
  const used = [...new Set(body.flatMap((e) => (e.call !== undefined ? [e.call] : [])))].sort((a, b) => a - b);
  for (const e of body) if (e.call !== undefined) e.call = used.indexOf(e.call);
  return used.map((i) => subs[i]!);
}

/** The program as the kernel and our loader take it: 8 bytes per slot, little-endian. */
export function encode(insns: readonly Insn[]): Uint8Array {
  const out = new Uint8Array(insns.length * 8);
  const v = new DataView(out.buffer);
  insns.forEach((x, i) => {
    v.setUint8(i * 8, x.op);
    v.setUint8(i * 8 + 1, ((x.src & 0xf) << 4) | (x.dst & 0xf));
    v.setInt16(i * 8 + 2, x.off, true);
    v.setInt32(i * 8 + 4, x.imm, true);
  });
  return out;
}

/** A random initial context (the scratch area is what the body's loads read). */
export function initialContext(seed: number): Uint8Array {
  const r = new Rng(seed ^ 0x5bd1e995);
  const ctx = new Uint8Array(CTX_SIZE);
  for (let i = 0; i < CTX_SIZE; i++) ctx[i] = r.below(256);
  return ctx;
}
