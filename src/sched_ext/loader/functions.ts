// Where the functions are: every FUNC symbol of an executable section, with
// its instruction range. Functions in `.text` are subprograms; functions in
// any other executable section are entry programs (libbpf's
// bpf_object__add_programs). An executable section without FUNC symbols is
// one program named after the section.

import type { ElfFile, ElfSection } from '../elf/elf';
import { SHF, SHT, STT } from '../elf/elf';
import { LoadError } from './load_error';

export interface BpfFunction {
  name: string;
  section: ElfSection;
  /** First instruction and count, in 8-byte slots within the section. */
  start: number;
  count: number;
  isSubprog: boolean;
}

export function isProgramSection(s: ElfSection): boolean {
  return s.type === SHT.PROGBITS && (s.flags & SHF.EXECINSTR) !== 0 && s.size > 0;
}

export function collectFunctions(elf: ElfFile, file: string): BpfFunction[] {
  const out: BpfFunction[] = [];
  for (const sec of elf.sections) {
    if (!isProgramSection(sec)) continue;
    if (sec.size % 8 !== 0) throw new LoadError('program_bad', `program section size ${sec.size} is not a multiple of 8`, { file, section: sec.name });
    const total = sec.size / 8;
    const syms = elf.symbols
      .filter((s) => s.shndx === sec.index && s.type === STT.FUNC)
      .sort((a, b) => a.value - b.value);
    const isSubprog = sec.name === '.text';
    if (syms.length === 0) {
      out.push({ name: sec.name.replace(/[^A-Za-z0-9_]/g, '_'), section: sec, start: 0, count: total, isSubprog });
      continue;
    }
    for (let i = 0; i < syms.length; i++) {
      const s = syms[i]!;
      if (s.value % 8 !== 0 || s.value / 8 >= total) throw new LoadError('program_bad', `function ${s.name} starts at byte ${s.value}, outside the section or misaligned`, { file, section: sec.name, symbol: s.name });
      const start = s.value / 8;
      const next = i + 1 < syms.length ? syms[i + 1]!.value / 8 : total;
      const bySize = s.size > 0 && s.size % 8 === 0 ? start + s.size / 8 : next;
      const end = Math.min(next, bySize, total);
      if (end <= start) continue; // an alias at the same address
      out.push({ name: s.name, section: sec, start, count: end - start, isSubprog });
    }
  }
  return out;
}

/** The function of `section` containing instruction `idx`. */
export function functionAt(funcs: readonly BpfFunction[], shndx: number, idx: number): BpfFunction | undefined {
  return funcs.find((f) => f.section.index === shndx && idx >= f.start && idx < f.start + f.count);
}
