// Instruction encoding constants from RFC 9669 ("BPF Instruction Set
// Architecture") and the kernel's uapi/linux/bpf.h, shared by the decoder,
// both engines, the disassembler and the assembler.

export const CLS = { LD: 0, LDX: 1, ST: 2, STX: 3, ALU: 4, JMP: 5, JMP32: 6, ALU64: 7 } as const;

/** Source bit: K = immediate, X = register. */
export const SRC_X = 0x08;

export const ALU = {
  ADD: 0x00, SUB: 0x10, MUL: 0x20, DIV: 0x30, OR: 0x40, AND: 0x50, LSH: 0x60, RSH: 0x70,
  NEG: 0x80, MOD: 0x90, XOR: 0xa0, MOV: 0xb0, ARSH: 0xc0, END: 0xd0,
} as const;

export const JMP = {
  JA: 0x00, JEQ: 0x10, JGT: 0x20, JGE: 0x30, JSET: 0x40, JNE: 0x50, JSGT: 0x60, JSGE: 0x70,
  CALL: 0x80, EXIT: 0x90, JLT: 0xa0, JLE: 0xb0, JSLT: 0xc0, JSLE: 0xd0,
  /** Kernel extension (not in RFC 9669): `may_goto`, emitted for cond_break. */
  MAY_GOTO: 0xe0,
} as const;

export const MODE = { IMM: 0x00, ABS: 0x20, IND: 0x40, MEM: 0x60, MEMSX: 0x80, ATOMIC: 0xc0 } as const;
export const SIZE = { W: 0x00, H: 0x08, B: 0x10, DW: 0x18 } as const;

/** Bytes moved by each size code. */
export function sizeBytes(op: number): 1 | 2 | 4 | 8 {
  switch (op & 0x18) {
    case SIZE.B: return 1;
    case SIZE.H: return 2;
    case SIZE.W: return 4;
    default: return 8;
  }
}

/** Atomic operations live in the imm field of {ATOMIC, W|DW, STX}. */
export const ATOMIC = {
  ADD: 0x00, OR: 0x40, AND: 0x50, XOR: 0xa0, FETCH: 0x01, XCHG: 0xe0 | 0x01, CMPXCHG: 0xf0 | 0x01,
  /** v6.15 (uapi BPF_LOAD_ACQ): dst = load_acquire(src + off), any width, zero-extended. */
  LOAD_ACQ: 0x100,
  /** v6.15 (uapi BPF_STORE_REL): store_release(dst + off, src), any width. */
  STORE_REL: 0x110,
} as const;

/** ALU64 MOV X with this offset is addr_space_cast (v6.9): imm = dst_as << 16 | src_as. */
export const ADDR_SPACE_CAST_OFF = 1;
/** addr_space_cast(src, 0, 1): an arena (__arena, address space 1) pointer to a kernel one. */
export const CAST_KERN_IMM = 1;
/** addr_space_cast(src, 1, 0): back to an arena pointer. */
export const CAST_USER_IMM = 1 << 16;

/** ld_imm64 pseudo sources (uapi BPF_PSEUDO_*). */
export const PSEUDO = {
  MAP_FD: 1, MAP_VALUE: 2, BTF_ID: 3, FUNC: 4, MAP_IDX: 5, MAP_IDX_VALUE: 6,
} as const;

/** CALL source: 0 helper by id, 1 bpf-to-bpf relative, 2 kfunc by BTF id. */
export const CALL_SRC = { HELPER: 0, LOCAL: 1, KFUNC: 2 } as const;

export const LDDW = CLS.LD | MODE.IMM | SIZE.DW; // 0x18

export const STACK_FRAME_SIZE = 512; // MAX_BPF_STACK
export const MAX_CALL_FRAMES = 8; // kernel MAX_CALL_FRAMES
export const DEFAULT_BUDGET = 1_000_000;
/** may_goto's per-call allowance, like the kernel's BPF_MAX_LOOPS (8M) loop bound. */
export const MAY_GOTO_LIMIT = 8 * 1024 * 1024;
