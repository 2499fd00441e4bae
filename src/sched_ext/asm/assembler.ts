// An assembler for the uBPF-style syntax of the bpf_conformance test vectors
// (`mov %r0, 1`, `ldxw %r0, [%r1+2]`, `lock fetch add32 [%r10-8], %r1`,
// `jne32 %r1, %r0, label`, `call local func1`), producing raw little-endian
// instructions. Encodings follow RFC 9669.

import { ALU, ATOMIC, CLS, JMP, LDDW, MODE, SIZE, SRC_X } from '../vm/opcodes';

export class AsmError extends Error {
  constructor(readonly line: number, readonly text: string, detail: string) {
    super(`line ${line}: ${detail}\n    ${text.trim()}`);
    this.name = 'AsmError';
  }
}

interface Insn {
  op: number;
  dst: number;
  src: number;
  off: number;
  imm: number;
  /** lddw only: the high 32 bits (second slot's imm). */
  imm2?: number;
  /** A label (or +N) to resolve into off (jumps) or imm (gotol, local call). */
  target?: { text: string; field: 'off' | 'imm' };
  line: number;
  text: string;
  slot: number;
}

const ALU_OPS: Record<string, number> = {
  add: ALU.ADD, sub: ALU.SUB, mul: ALU.MUL, div: ALU.DIV, or: ALU.OR, and: ALU.AND, lsh: ALU.LSH, rsh: ALU.RSH,
  neg: ALU.NEG, mod: ALU.MOD, xor: ALU.XOR, mov: ALU.MOV, arsh: ALU.ARSH, sdiv: ALU.DIV, smod: ALU.MOD,
};

const JMP_OPS: Record<string, number> = {
  jeq: JMP.JEQ, jgt: JMP.JGT, jge: JMP.JGE, jset: JMP.JSET, jne: JMP.JNE, jsgt: JMP.JSGT, jsge: JMP.JSGE,
  jlt: JMP.JLT, jle: JMP.JLE, jslt: JMP.JSLT, jsle: JMP.JSLE,
};

const SIZES: Record<string, number> = { b: SIZE.B, h: SIZE.H, w: SIZE.W, dw: SIZE.DW };
const ATOMIC_OPS: Record<string, number> = { add: ATOMIC.ADD, or: ATOMIC.OR, and: ATOMIC.AND, xor: ATOMIC.XOR };

function parseInt64(s: string, line: number, text: string): bigint {
  const m = /^(-)?(0x[0-9a-f]+|\d+)$/i.exec(s.trim());
  if (m === null) throw new AsmError(line, text, `'${s}' is not a number`);
  const v = BigInt(m[2]!);
  return m[1] ? -v : v;
}

/** Assemble conformance-style source into 8-byte instructions. */
export function assemble(source: string): Uint8Array {
  const insns: Insn[] = [];
  const labels = new Map<string, number>();
  let slot = 0;
  source.split('\n').forEach((raw, idx) => {
    const line = idx + 1;
    const text = raw.replace(/#.*$/, '').trim();
    if (text === '') return;
    const label = /^([A-Za-z_][\w.]*):$/.exec(text);
    if (label) {
      labels.set(label[1]!, slot);
      return;
    }
    const insn = parseInsn(text, line, raw);
    insn.slot = slot;
    insns.push(insn);
    slot += insn.op === LDDW ? 2 : 1;
  });
  for (const insn of insns) {
    if (insn.target === undefined) continue;
    const rel = resolveTarget(insn, insns, labels) - insn.slot - 1;
    if (insn.target.field === 'off') {
      if (rel < -32768 || rel > 32767) throw new AsmError(insn.line, insn.text, `jump of ${rel} does not fit in 16 bits; use ja32`);
      insn.off = rel;
    } else {
      insn.imm = rel;
    }
  }
  const out = new Uint8Array(slot * 8);
  const view = new DataView(out.buffer);
  for (const insn of insns) {
    const at = insn.slot * 8;
    out[at] = insn.op;
    out[at + 1] = (insn.src << 4) | insn.dst;
    view.setInt16(at + 2, insn.off, true);
    view.setInt32(at + 4, insn.imm, true);
    if (insn.op === LDDW) view.setInt32(at + 12, insn.imm2 ?? 0, true);
  }
  return out;
}

/**
 * A jump target: `+N`/`-N`, a label, or `exit` — which the vectors use
 * without defining it, meaning the next exit instruction after the jump.
 */
function resolveTarget(insn: Insn, insns: Insn[], labels: Map<string, number>): number {
  const t = insn.target!.text;
  if (/^[+-]\d+$/.test(t)) return insn.slot + 1 + Number(t);
  const at = labels.get(t);
  if (at !== undefined) return at;
  if (t === 'exit') {
    const next = insns.find((i) => i.slot > insn.slot && i.op === (CLS.JMP | JMP.EXIT));
    if (next !== undefined) return next.slot;
  }
  throw new AsmError(insn.line, insn.text, `unknown label '${t}'`);
}

function parseInsn(text: string, line: number, raw: string): Insn {
  const sp = text.search(/\s/);
  const mnem = (sp < 0 ? text : text.slice(0, sp)).toLowerCase();
  const rest = sp < 0 ? '' : text.slice(sp + 1).trim();
  const ops = rest === '' ? [] : splitOperands(rest);
  const base: Insn = { op: 0, dst: 0, src: 0, off: 0, imm: 0, line, text: raw, slot: 0 };
  const fail = (why: string): never => {
    throw new AsmError(line, raw, why);
  };
  const reg = (s: string | undefined): number => {
    const m = /^%r(\d+)$/i.exec(s ?? '');
    if (m === null || Number(m[1]) > 10) return fail(`expected a register %r0..%r10, got '${s ?? ''}'`);
    return Number(m[1]);
  };
  const isReg = (s: string | undefined): boolean => /^%r\d+$/i.test(s ?? '');
  const imm32 = (s: string | undefined): number => Number(BigInt.asIntN(32, parseInt64(s ?? '', line, raw)));
  const mem = (s: string | undefined): { r: number; off: number } => {
    const m = /^\[\s*(%r\d+)\s*(?:([+-])\s*(0x[0-9a-f]+|\d+))?\s*\]$/i.exec(s ?? '');
    if (m === null) return fail(`expected a memory operand like [%r1+8], got '${s ?? ''}'`);
    const off = m[3] === undefined ? 0 : Number(m[3]) * (m[2] === '-' ? -1 : 1);
    return { r: reg(m[1]), off };
  };

  if (mnem === 'exit') return { ...base, op: CLS.JMP | JMP.EXIT };
  if (mnem === 'lddw') {
    const v = BigInt.asUintN(64, parseInt64(ops[1] ?? '', line, raw));
    return { ...base, op: LDDW, dst: reg(ops[0]), imm: Number(BigInt.asIntN(32, v)), imm2: Number(BigInt.asIntN(32, v >> 32n)) };
  }
  if (mnem === 'call') {
    if (ops[0] === 'local') return { ...base, op: CLS.JMP | JMP.CALL, src: 1, target: { text: ops[1] ?? '', field: 'imm' } };
    if (isReg(ops[0])) return { ...base, op: CLS.JMP | JMP.CALL | SRC_X, dst: reg(ops[0]) };
    return { ...base, op: CLS.JMP | JMP.CALL, imm: imm32(ops[0]) };
  }
  if (mnem === 'ja') return { ...base, op: CLS.JMP | JMP.JA, target: { text: ops[0] ?? '', field: 'off' } };
  if (mnem === 'ja32') return { ...base, op: CLS.JMP32 | JMP.JA, target: { text: ops[0] ?? '', field: 'imm' } };
  if (mnem === 'lock') return parseAtomic(rest, base, reg, mem, fail);

  let m = /^(j[a-z]+?)(32)?$/.exec(mnem);
  if (m && JMP_OPS[m[1]!] !== undefined) {
    const cls = m[2] ? CLS.JMP32 : CLS.JMP;
    const x = isReg(ops[1]);
    return {
      ...base, op: cls | JMP_OPS[m[1]!]! | (x ? SRC_X : 0), dst: reg(ops[0]),
      src: x ? reg(ops[1]) : 0, imm: x ? 0 : imm32(ops[1]), target: { text: ops[2] ?? '', field: 'off' },
    };
  }
  m = /^movsx(8|16|32)(32|64)$/.exec(mnem);
  if (m) {
    const cls = m[2] === '64' ? CLS.ALU64 : CLS.ALU;
    return { ...base, op: cls | ALU.MOV | SRC_X, dst: reg(ops[0]), src: reg(ops[1]), off: Number(m[1]) };
  }
  m = /^(le|be|bswap|swap)(16|32|64)$/.exec(mnem);
  if (m) {
    const op = m[1] === 'le' ? CLS.ALU | ALU.END : m[1] === 'be' ? CLS.ALU | ALU.END | SRC_X : CLS.ALU64 | ALU.END;
    return { ...base, op, dst: reg(ops[0]), imm: Number(m[2]) };
  }
  m = /^(ldacq|strel)(b|h|w|dw)$/.exec(mnem);
  if (m) {
    // load-acquire / store-release (v6.15): STX|ATOMIC of any width
    const op = CLS.STX | MODE.ATOMIC | SIZES[m[2]!]!;
    if (m[1] === 'ldacq') {
      const a = mem(ops[1]);
      return { ...base, op, dst: reg(ops[0]), src: a.r, off: a.off, imm: ATOMIC.LOAD_ACQ };
    }
    const a = mem(ops[0]);
    return { ...base, op, dst: a.r, src: reg(ops[1]), off: a.off, imm: ATOMIC.STORE_REL };
  }
  if (mnem === 'addr_space_cast') {
    // addr_space_cast %rD, %rS, DST_AS, SRC_AS
    return { ...base, op: CLS.ALU64 | ALU.MOV | SRC_X, dst: reg(ops[0]), src: reg(ops[1]), off: 1, imm: (imm32(ops[2]) << 16) | imm32(ops[3]) };
  }
  m = /^ldx(s)?(b|h|w|dw)$/.exec(mnem);
  if (m) {
    const a = mem(ops[1]);
    return { ...base, op: CLS.LDX | (m[1] ? MODE.MEMSX : MODE.MEM) | SIZES[m[2]!]!, dst: reg(ops[0]), src: a.r, off: a.off };
  }
  m = /^st(x)?(b|h|w|dw)$/.exec(mnem);
  if (m) {
    const a = mem(ops[0]);
    if (m[1]) return { ...base, op: CLS.STX | MODE.MEM | SIZES[m[2]!]!, dst: a.r, src: reg(ops[1]), off: a.off };
    return { ...base, op: CLS.ST | MODE.MEM | SIZES[m[2]!]!, dst: a.r, off: a.off, imm: imm32(ops[1]) };
  }
  m = /^([a-z]+?)(32)?$/.exec(mnem);
  if (m && ALU_OPS[m[1]!] !== undefined) {
    const name = m[1]!;
    const cls = m[2] ? CLS.ALU : CLS.ALU64;
    const code = ALU_OPS[name]!;
    const off = name === 'sdiv' || name === 'smod' ? 1 : 0;
    if (code === ALU.NEG) return { ...base, op: cls | code, dst: reg(ops[0]) };
    const x = isReg(ops[1]);
    return { ...base, op: cls | code | (x ? SRC_X : 0), dst: reg(ops[0]), src: x ? reg(ops[1]) : 0, imm: x ? 0 : imm32(ops[1]), off };
  }
  return fail(`unknown mnemonic '${mnem}'`);
}

function parseAtomic(
  rest: string, base: Insn, reg: (s: string | undefined) => number,
  mem: (s: string | undefined) => { r: number; off: number }, fail: (why: string) => never,
): Insn {
  const m = /^(fetch\s+)?([a-z]+?)(32)?\s+(\[[^\]]*\])\s*,\s*(%r\d+)$/i.exec(rest);
  if (m === null) return fail('expected lock [fetch] OP[32] [%rD+off], %rS');
  const size = m[3] ? SIZE.W : SIZE.DW;
  const name = m[2]!.toLowerCase();
  let imm: number;
  if (name === 'xchg') imm = ATOMIC.XCHG;
  else if (name === 'cmpxchg') imm = ATOMIC.CMPXCHG;
  else if (ATOMIC_OPS[name] !== undefined) imm = ATOMIC_OPS[name]! | (m[1] ? ATOMIC.FETCH : 0);
  else return fail(`unknown atomic operation '${name}'`);
  const a = mem(m[4]);
  return { ...base, op: CLS.STX | MODE.ATOMIC | size, dst: a.r, src: reg(m[5]), off: a.off, imm };
}

function splitOperands(s: string): string[] {
  const out: string[] = [];
  let depth = 0, cur = '';
  for (const ch of s) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else {
      cur += ch;
    }
  }
  if (cur.trim() !== '') out.push(cur.trim());
  // `call local func1` arrives as one operand with a space.
  if (out.length === 1 && /^local\s+/.test(out[0]!)) return out[0]!.split(/\s+/);
  return out;
}
