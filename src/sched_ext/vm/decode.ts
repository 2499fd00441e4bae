// Decode a program image once into parallel typed arrays (one entry per
// 8-byte slot) and reject what no engine can run, naming the instruction, as
// the kernel verifier does before anything executes.

import type { ProgramImage } from './abi';
import { BpfFault } from './fault';
import { ADDR_SPACE_CAST_OFF, ALU, ATOMIC, CALL_SRC, CAST_KERN_IMM, CAST_USER_IMM, CLS, JMP, LDDW, MODE, PSEUDO, SIZE, SRC_X } from './opcodes';

export interface DecodedProgram {
  readonly image: ProgramImage;
  /** Number of 8-byte slots (lddw takes two). */
  readonly slots: number;
  readonly op: Uint8Array;
  readonly dst: Uint8Array;
  readonly src: Uint8Array;
  readonly off: Int16Array;
  readonly imm: Int32Array;
  /** For an lddw at slot i, the imm of slot i + 1 (the high word). */
  readonly imm2: Int32Array;
  /** Slots where an instruction starts (false for the second half of lddw). */
  readonly starts: Uint8Array;
}

const ATOMIC_OPS = new Set<number>([
  ATOMIC.ADD, ATOMIC.ADD | ATOMIC.FETCH, ATOMIC.OR, ATOMIC.OR | ATOMIC.FETCH, ATOMIC.AND,
  ATOMIC.AND | ATOMIC.FETCH, ATOMIC.XOR, ATOMIC.XOR | ATOMIC.FETCH, ATOMIC.XCHG, ATOMIC.CMPXCHG,
]);

export function decode(image: ProgramImage): DecodedProgram {
  const bytes = image.insns;
  if (bytes.length % 8 !== 0) {
    throw new BpfFault('bad_insn', `program size ${bytes.length} is not a multiple of 8 bytes; the image is truncated`, { program: image.name });
  }
  const n = bytes.length / 8;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const d = {
    image, slots: n,
    op: new Uint8Array(n), dst: new Uint8Array(n), src: new Uint8Array(n),
    off: new Int16Array(n), imm: new Int32Array(n), imm2: new Int32Array(n), starts: new Uint8Array(n),
  };
  for (let i = 0; i < n; i++) {
    d.op[i] = bytes[i * 8]!;
    const regs = bytes[i * 8 + 1]!;
    d.dst[i] = regs & 0x0f;
    d.src[i] = regs >> 4;
    d.off[i] = view.getInt16(i * 8 + 2, true);
    d.imm[i] = view.getInt32(i * 8 + 4, true);
  }
  for (let i = 0; i < n; i++) {
    d.starts[i] = 1;
    if (d.op[i] === LDDW) {
      if (i + 1 >= n) bad(image, i, 'lddw is missing its second slot');
      if (d.op[i + 1] !== 0 || d.dst[i + 1] !== 0 || d.src[i + 1] !== 0 || d.off[i + 1] !== 0) {
        bad(image, i, 'the second slot of lddw must have opcode, registers and offset 0');
      }
      d.imm2[i] = d.imm[i + 1]!;
      i++;
    }
  }
  for (let i = 0; i < n; i++) {
    if (d.starts[i] === 0) continue;
    const why = check(d, i);
    if (why !== undefined) bad(image, i, why);
  }
  return d;
}

function bad(image: ProgramImage, insn: number, why: string): never {
  const op = image.insns[insn * 8] ?? 0;
  throw new BpfFault('bad_insn', `invalid instruction (opcode 0x${op.toString(16).padStart(2, '0')}): ${why}`, { program: image.name, insn });
}

function target(d: DecodedProgram, i: number, rel: number, what: string): string | undefined {
  const t = i + rel + 1;
  if (t < 0 || t >= d.slots) return `${what} target ${t} is outside the program (0..${d.slots - 1})`;
  if (d.starts[t] === 0) return `${what} target ${t} is the middle of an lddw`;
  return undefined;
}

/** Why instruction i is not valid, or undefined. */
function check(d: DecodedProgram, i: number): string | undefined {
  const op = d.op[i]!, dst = d.dst[i]!, src = d.src[i]!, off = d.off[i]!, imm = d.imm[i]!;
  if (dst > 10) return `destination register r${dst} does not exist`;
  if (src > 10 && !(op === LDDW || (op & 7) === CLS.JMP && (op & 0xf0) === JMP.CALL)) return `source register r${src} does not exist`;
  const cls = op & 7;
  switch (cls) {
    case CLS.LD:
      if (op !== LDDW) return 'legacy packet access (ABS/IND) and other LD modes are not supported';
      if (src > PSEUDO.MAP_IDX_VALUE) return `unknown ld_imm64 pseudo source ${src}`;
      if (src === PSEUDO.FUNC) return target(d, i, imm, 'function pointer');
      return undefined;
    case CLS.LDX: {
      const mode = op & 0xe0;
      if (mode === MODE.MEM) return undefined;
      if (mode === MODE.MEMSX && (op & 0x18) !== SIZE.DW) return undefined;
      return 'unknown load mode';
    }
    case CLS.ST:
      return (op & 0xe0) === MODE.MEM ? undefined : 'unknown store mode';
    case CLS.STX: {
      const mode = op & 0xe0;
      if (mode === MODE.MEM) return undefined;
      if (mode !== MODE.ATOMIC) return 'unknown store mode';
      if (imm === ATOMIC.LOAD_ACQ || imm === ATOMIC.STORE_REL) return undefined; // every width
      if ((op & 0x18) !== SIZE.W && (op & 0x18) !== SIZE.DW) return 'atomics are 32 or 64 bits wide';
      return ATOMIC_OPS.has(imm) ? undefined : `unknown atomic operation 0x${(imm >>> 0).toString(16)}`;
    }
    case CLS.ALU:
    case CLS.ALU64:
      return checkAlu(op, off, imm, src, cls === CLS.ALU64);
    case CLS.JMP:
    case CLS.JMP32:
      return checkJmp(d, i, op, src, imm, cls === CLS.JMP32);
  }
  return undefined;
}

function checkAlu(op: number, off: number, imm: number, src: number, is64: boolean): string | undefined {
  const code = op & 0xf0;
  const x = (op & SRC_X) !== 0;
  switch (code) {
    case ALU.DIV:
    case ALU.MOD:
      return off === 0 || off === 1 ? undefined : `division offset must be 0 (unsigned) or 1 (signed), not ${off}`;
    case ALU.MOV:
      if (off === 0) return undefined;
      if (!x) return 'MOVSX takes a register source';
      if (off === ADDR_SPACE_CAST_OFF) {
        if (!is64) return 'addr_space_cast is an ALU64 instruction';
        return imm === CAST_KERN_IMM || imm === CAST_USER_IMM ? undefined : `addr_space_cast between address spaces ${imm >>> 16} and ${imm & 0xffff} (only 0 and 1, the arena, exist)`;
      }
      if (off === 8 || off === 16 || (is64 && off === 32)) return undefined;
      return `MOVSX cannot sign-extend from ${off} bits`;
    case ALU.NEG:
      return x || src !== 0 ? 'NEG takes no source' : undefined;
    case ALU.END:
      if (is64 && x) return 'BSWAP has no register-source form';
      return imm === 16 || imm === 32 || imm === 64 ? undefined : `byte swap width must be 16, 32 or 64, not ${imm}`;
    case 0xe0:
    case 0xf0:
      return 'unknown ALU operation';
  }
  return undefined;
}

function checkJmp(d: DecodedProgram, i: number, op: number, src: number, imm: number, is32: boolean): string | undefined {
  const code = op & 0xf0;
  const x = (op & SRC_X) !== 0;
  switch (code) {
    case JMP.JA:
      if (x) return 'JA has no register form';
      return is32 ? target(d, i, imm, 'gotol') : target(d, i, d.off[i]!, 'jump');
    case JMP.CALL:
      if (is32) return 'CALL is a JMP-class instruction';
      if (x) return undefined; // callx: the target is in dst at run time
      if (src === CALL_SRC.LOCAL) return target(d, i, imm, 'call');
      return src === CALL_SRC.HELPER || src === CALL_SRC.KFUNC ? undefined : `unknown call source ${src}`;
    case JMP.EXIT:
      return is32 || x ? 'EXIT is encoded 0x95 only' : undefined;
    case JMP.MAY_GOTO:
      return is32 || x ? 'may_goto is encoded 0xe5 only' : target(d, i, d.off[i]!, 'may_goto');
    case 0xf0:
      return 'unknown jump operation';
  }
  return target(d, i, d.off[i]!, 'branch');
}
