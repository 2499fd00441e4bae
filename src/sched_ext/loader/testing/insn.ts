// Test-only: read instructions of a linked image.

export interface Insn {
  idx: number;
  code: number;
  dst: number;
  src: number;
  off: number;
  imm: number;
  /** For ld_imm64, the second slot's imm. */
  imm2?: number;
}

export function decode(insns: Uint8Array): Insn[] {
  const dv = new DataView(insns.buffer, insns.byteOffset, insns.byteLength);
  const out: Insn[] = [];
  for (let i = 0; i < insns.length / 8; i++) {
    const o = i * 8;
    const insn: Insn = { idx: i, code: insns[o]!, dst: insns[o + 1]! & 15, src: insns[o + 1]! >> 4, off: dv.getInt16(o + 2, true), imm: dv.getInt32(o + 4, true) };
    if (insn.code === 0x18) {
      insn.imm2 = dv.getInt32(o + 12, true);
      out.push(insn);
      i++;
      continue;
    }
    out.push(insn);
  }
  return out;
}
