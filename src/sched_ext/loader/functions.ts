// Where the functions are: every FUNC symbol of an executable section, with
// its instruction range. Functions in `.text` are subprograms; functions in
// any other executable section are entry programs (libbpf's
// bpf_object__add_programs). An executable section without FUNC symbols is
// one program named after the section.

import type { ElfFile, ElfSection } from '../elf/elf';
import { SHF, SHT, STT } from '../elf/elf';
import { LoadError } from '../base/load_error';

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

/** Functions per section sorted by start, built once per function list (lookups happen per relocation). */
const bySection = new WeakMap<readonly BpfFunction[], Map<number, BpfFunction[]>>();

function sectionFunctions(funcs: readonly BpfFunction[], shndx: number): BpfFunction[] {
  let index = bySection.get(funcs);
  if (index === undefined) {
    index = new Map();
    for (const f of funcs) {
      const list = index.get(f.section.index) ?? [];
      list.push(f);
      index.set(f.section.index, list);
    }
    for (const list of index.values()) list.sort((a, b) => a.start - b.start);
    bySection.set(funcs, index);
  }
  return index.get(shndx) ?? [];
}

/** Whether section `shndx` holds code. */
export function isCodeSection(funcs: readonly BpfFunction[], shndx: number): boolean {
  return sectionFunctions(funcs, shndx).length > 0;
}

/** The function of `section` containing instruction `idx` (binary search). */
export function functionAt(funcs: readonly BpfFunction[], shndx: number, idx: number): BpfFunction | undefined {
  const list = sectionFunctions(funcs, shndx);
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const f = list[mid]!;
    if (idx < f.start) hi = mid - 1;
    else if (idx >= f.start + f.count) lo = mid + 1;
    else return f;
  }
  return undefined;
}
