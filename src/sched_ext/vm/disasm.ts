// Disassembler in the kernel verifier's syntax (kernel/bpf/disasm.c):
// `r1 = *(u64 *)(r10 -8)`, `if r1 > 0x3 goto pc+5`, `call bpf_kptr_xchg#194`.

import type { ProgramImage } from './abi';
import { decode, type DecodedProgram } from './decode';
import { ALU, ATOMIC, CLS, JMP, LDDW, MODE, PSEUDO, SIZE, SRC_X } from './opcodes';

/** Optional names for helpers, kfuncs and maps; ids are printed either way. */
export interface DisasmNames {
  helper?(id: number): string | undefined;
  kfunc?(id: number): string | undefined;
  map?(index: number): string | undefined;
}

/** Helper ids from the uapi's __BPF_FUNC_MAPPER that sched_ext code uses; printed when no name is supplied. */
export const HELPER_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'map_lookup_elem'], [2, 'map_update_elem'], [3, 'map_delete_elem'], [5, 'ktime_get_ns'], [6, 'trace_printk'],
  [7, 'get_prandom_u32'], [8, 'get_smp_processor_id'], [14, 'get_current_pid_tgid'], [16, 'get_current_comm'],
  [87, 'map_push_elem'], [88, 'map_pop_elem'], [89, 'map_peek_elem'], [93, 'spin_lock'], [94, 'spin_unlock'],
  [113, 'probe_read_kernel'], [115, 'probe_read_kernel_str'], [130, 'ringbuf_output'], [131, 'ringbuf_reserve'],
  [132, 'ringbuf_submit'], [133, 'ringbuf_discard'], [156, 'task_storage_get'], [157, 'task_storage_delete'],
  [158, 'get_current_task_btf'], [164, 'for_each_map_elem'], [165, 'snprintf'], [169, 'timer_init'],
  [170, 'timer_set_callback'], [171, 'timer_start'], [172, 'timer_cancel'], [181, 'loop'], [194, 'kptr_xchg'],
  [210, 'cgrp_storage_get'], [211, 'cgrp_storage_delete'],
].map(([id, name]) => [id as number, `bpf_${name as string}`]));

const ALU_SYM: Record<number, string> = {
  [ALU.ADD]: '+=', [ALU.SUB]: '-=', [ALU.MUL]: '*=', [ALU.DIV]: '/=', [ALU.OR]: '|=', [ALU.AND]: '&=',
  [ALU.LSH]: '<<=', [ALU.RSH]: '>>=', [ALU.MOD]: '%=', [ALU.XOR]: '^=', [ALU.MOV]: '=', [ALU.ARSH]: 's>>=',
};

const JMP_SYM: Record<number, string> = {
  [JMP.JEQ]: '==', [JMP.JGT]: '>', [JMP.JGE]: '>=', [JMP.JSET]: '&', [JMP.JNE]: '!=', [JMP.JSGT]: 's>',
  [JMP.JSGE]: 's>=', [JMP.JLT]: '<', [JMP.JLE]: '<=', [JMP.JSLT]: 's<', [JMP.JSLE]: 's<=',
};

const SIZE_NAME: Record<number, string> = { [SIZE.B]: 'u8', [SIZE.H]: 'u16', [SIZE.W]: 'u32', [SIZE.DW]: 'u64' };

const hex = (n: number): string => (n < 0 ? '-0x' + (-n).toString(16) : '0x' + n.toString(16));
const rel = (n: number): string => (n >= 0 ? `+${n}` : `${n}`);

function memRef(op: number, base: number, off: number, signed = false): string {
  const name = SIZE_NAME[op & 0x18]!;
  return `*(${signed ? name.replace('u', 's') : name} *)(r${base} ${rel(off)})`;
}

/** One instruction (slot i of a decoded program) in verifier syntax. */
export function disassembleInsn(c: DecodedProgram, i: number, names: DisasmNames = {}): string {
  const op = c.op[i]!, d = c.dst[i]!, s = c.src[i]!, off = c.off[i]!, imm = c.imm[i]!;
  const cls = op & 7;
  if (op === LDDW) return ldImm64(c, i, names);
  if (cls === CLS.ALU || cls === CLS.ALU64) {
    const r = cls === CLS.ALU64 ? 'r' : 'w';
    const code = op & 0xf0;
    const x = (op & SRC_X) !== 0;
    const srcText = x ? `${r}${s}` : `${imm}`;
    if (code === ALU.NEG) return `${r}${d} = -${r}${d}`;
    if (code === ALU.END) {
      const kind = cls === CLS.ALU64 ? 'bswap' : x ? 'be' : 'le';
      return `r${d} = ${kind}${imm} r${d}`;
    }
    if (code === ALU.MOV && off === 1 && cls === CLS.ALU64) return `r${d} = addr_space_cast(r${s}, ${imm >>> 16}, ${imm & 0xffff})`;
    if (code === ALU.MOV && off !== 0) return `${r}${d} = (s${off})${r}${s}`;
    const sym = ALU_SYM[code] ?? '?=';
    return `${r}${d} ${off === 1 && (code === ALU.DIV || code === ALU.MOD) ? 's' : ''}${sym} ${srcText}`;
  }
  if (cls === CLS.LDX) return `r${d} = ${memRef(op, s, off, (op & 0xe0) === MODE.MEMSX)}`;
  if (cls === CLS.ST) return `${memRef(op, d, off)} = ${imm}`;
  if (cls === CLS.STX) {
    if ((op & 0xe0) !== MODE.ATOMIC) return `${memRef(op, d, off)} = r${s}`;
    return atomic(op, d, s, off, imm);
  }
  const code = op & 0xf0;
  const is32 = cls === CLS.JMP32;
  if (code === JMP.JA) return is32 ? `gotol pc${rel(imm)}` : `goto pc${rel(off)}`;
  if (code === JMP.EXIT) return 'exit';
  if (code === JMP.MAY_GOTO) return `may_goto pc${rel(off)}`;
  if (code === JMP.CALL) {
    if ((op & SRC_X) !== 0) return `callx r${d}`;
    if (s === 1) return `call pc${rel(imm)}`;
    const name = s === 2 ? names.kfunc?.(imm) : names.helper?.(imm) ?? HELPER_NAMES.get(imm);
    return `call ${name ?? (s === 2 ? 'kfunc' : 'unknown')}#${imm}`;
  }
  const r = is32 ? 'w' : 'r';
  const rhs = (op & SRC_X) !== 0 ? `${r}${s}` : hex(imm);
  return `if ${r}${d} ${JMP_SYM[code] ?? '?'} ${rhs} goto pc${rel(off)}`;
}

function atomic(op: number, d: number, s: number, off: number, imm: number): string {
  if (imm === ATOMIC.LOAD_ACQ) return `r${d} = load_acquire(${memRef(op, s, off)})`;
  if (imm === ATOMIC.STORE_REL) return `store_release(${memRef(op, d, off)}, r${s})`;
  const is64 = (op & 0x18) === SIZE.DW;
  const r = is64 ? 'r' : 'w';
  const ptr = `(${is64 ? 'u64' : 'u32'} *)(r${d} ${rel(off)})`;
  const fn = is64 ? 'atomic64' : 'atomic';
  if (imm === ATOMIC.XCHG) return `${r}${s} = ${fn}_xchg(${ptr}, ${r}${s})`;
  if (imm === ATOMIC.CMPXCHG) return `${r}0 = ${fn}_cmpxchg(${ptr}, ${r}0, ${r}${s})`;
  const code = imm & ~ATOMIC.FETCH;
  const name = code === ATOMIC.ADD ? 'add' : code === ATOMIC.OR ? 'or' : code === ATOMIC.AND ? 'and' : 'xor';
  const sym = code === ATOMIC.ADD ? '+=' : code === ATOMIC.OR ? '|=' : code === ATOMIC.AND ? '&=' : '^=';
  if (imm & ATOMIC.FETCH) return `${r}${s} = ${fn}_fetch_${name}(${ptr}, ${r}${s})`;
  return `lock *${ptr} ${sym} ${r}${s}`;
}

function ldImm64(c: DecodedProgram, i: number, names: DisasmNames): string {
  const d = c.dst[i]!, src = c.src[i]!, imm = c.imm[i]!, imm2 = c.imm2[i]!;
  const mapName = (idx: number): string => {
    const n = names.map?.(idx);
    return n === undefined ? `map[id:${idx}]` : `map[id:${idx}](${n})`;
  };
  switch (src) {
    case PSEUDO.MAP_FD:
    case PSEUDO.MAP_IDX:
      return `r${d} = ${mapName(imm)}`;
    case PSEUDO.MAP_VALUE:
    case PSEUDO.MAP_IDX_VALUE:
      return `r${d} = ${mapName(imm)}[0]+${imm2}`;
    case PSEUDO.FUNC:
      return `r${d} = func pc${rel(imm)}`;
    case PSEUDO.BTF_ID:
      return `r${d} = btf_id ${imm}`;
  }
  const v = (BigInt(imm2 >>> 0) << 32n) | BigInt(imm >>> 0);
  return `r${d} = 0x${v.toString(16)}`;
}

/** Every instruction of an image as "slot: text" (lddw's second slot is skipped). */
export function disassemble(image: ProgramImage, names: DisasmNames = {}): string[] {
  const c = decode(image);
  const lines: string[] = [];
  for (let i = 0; i < c.slots; i++) if (c.starts[i] === 1) lines.push(`${i}: ${disassembleInsn(c, i, names)}`);
  return lines;
}
