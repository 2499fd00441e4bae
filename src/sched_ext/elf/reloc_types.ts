// BPF ELF relocation types (Documentation/bpf/llvm_reloc.rst, "Different
// Relocation Types"). What each one patches, where, and with which formula.

export const R_BPF = {
  NONE: 0,
  /** ld_imm64: S + A written into the imm of the first (r_offset + 4) and second halves. */
  R_BPF_64_64: 1,
  /** 64-bit data (struct_ops function pointers, .maps __array slots): S + A. */
  R_BPF_64_ABS64: 2,
  /** 32-bit data (.BTF.ext, DWARF): S + A. */
  R_BPF_64_ABS32: 3,
  /** 32-bit data in .BTF/.BTF.ext that no runtime loader should resolve: S + A. */
  R_BPF_64_NODYLD32: 4,
  /** call insn imm (r_offset + 4): (S + A) / 8 - 1. */
  R_BPF_64_32: 10,
} as const;

export type RelocType = (typeof R_BPF)[keyof typeof R_BPF];

export const RELOC_NAMES: Record<number, string> = {
  0: 'R_BPF_NONE',
  1: 'R_BPF_64_64',
  2: 'R_BPF_64_ABS64',
  3: 'R_BPF_64_ABS32',
  4: 'R_BPF_64_NODYLD32',
  10: 'R_BPF_64_32',
};
