// A program image that starts at one function of another image: two
// instructions (call the function; exit) prepended to a copy of the image.
// bpf-to-bpf calls and BPF_PSEUDO_FUNC loads are pc-relative, so shifting
// everything by two keeps them valid; line and func info shift with them.

import type { ProgramImage } from '../vm/abi';

const TRAMPOLINE_INSNS = 2;

export function trampoline(image: ProgramImage, target: number): ProgramImage {
  const insns = new Uint8Array(image.insns.length + TRAMPOLINE_INSNS * 8);
  const v = new DataView(insns.buffer);
  insns[0] = 0x85; // BPF_JMP | BPF_CALL
  insns[1] = 0x10; // src_reg = BPF_PSEUDO_CALL (1): a bpf-to-bpf call
  v.setInt32(4, target + 1, true); // target = pc + imm + 1, counted after the shift of 2
  insns[8] = 0x95; // BPF_JMP | BPF_EXIT
  insns.set(image.insns, TRAMPOLINE_INSNS * 8);
  const fname = image.funcInfo.find((f) => f.insn === target)?.name ?? `${image.name}+${target}`;
  const poisoned = new Map<number, string>();
  for (const [i, why] of image.poisoned) poisoned.set(i + TRAMPOLINE_INSNS, why);
  return {
    name: fname,
    section: image.section,
    insns,
    lineInfo: image.lineInfo.map((l) => ({ ...l, insn: l.insn + TRAMPOLINE_INSNS })),
    funcInfo: [{ insn: 0, name: `${fname} (callback entry)` }, ...image.funcInfo.map((f) => ({ ...f, insn: f.insn + TRAMPOLINE_INSNS }))],
    poisoned,
    sleepable: image.sleepable,
  };
}
