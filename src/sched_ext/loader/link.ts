// Link one entry program the way libbpf's bpf_object__relocate() does after
// CO-RE: copy the entry function, append a private copy of every subprogram
// it reaches (calls and callback addresses), and rewrite each relocated
// instruction — map and global-data ld_imm64s (src 1 / src 2 with the map
// index), callback addresses (src 4, relative), bpf-to-bpf calls (src 1,
// relative), kfunc calls (src 2, kernel BTF id) — carrying func_info and
// line_info along with every copied function.

import type { Btf } from '../btf/btf';
import type { BtfExt } from '../btf/btf_ext';
import type { LineIndex } from './line_index';
import type { ElfReloc } from '../elf/elf';
import { SHN } from '../elf/elf';
import { R_BPF } from '../elf/reloc_types';
import type { FuncInfo, LineInfo, ProgramImage } from '../vm/abi';
import { POISON_HELPER_ID } from '../vm/abi';
import type { Externs } from './externs';
import { functionAt, isCodeSection, type BpfFunction } from './functions';
import { LoadError } from '../base/load_error';
import type { MapSpec } from './object';

export interface LinkContext {
  file: string;
  btf: Btf;
  ext: BtfExt | undefined;
  lines: LineIndex;
  funcs: BpfFunction[];
  /** Section instructions after CO-RE, by section index. */
  sectionInsns: Map<number, Uint8Array>;
  /** Instructions CO-RE poisoned, by section index then insn index. */
  corePoison: Map<number, Map<number, string>>;
  relocs: Map<number, Map<number, ElfReloc>>;
  externs: Externs;
  btfMaps: Map<string, MapSpec>;
  /** Index of the `.maps` section, if any. */
  mapsShndx: number | undefined;
  globalMaps: Map<number, MapSpec>;
  sectionName(shndx: number): string;
}

interface Where {
  file: string;
  section: string;
  program: string;
  insn: number;
  line?: string;
}

const PSEUDO = { MAP_FD: 1, MAP_VALUE: 2, BTF_ID: 3, CALL: 1, KFUNC_CALL: 2, FUNC: 4 } as const;


export function linkProgram(ctx: LinkContext, entry: BpfFunction, sleepable: boolean): ProgramImage {
  const chunks: { fn: BpfFunction; base: number; bytes: Uint8Array }[] = [];
  const placed = new Map<BpfFunction, number>();
  const poisoned = new Map<number, string>();
  let length = 0;
  const place = (fn: BpfFunction): number => {
    const had = placed.get(fn);
    if (had !== undefined) return had;
    const base = length;
    placed.set(fn, base);
    const src = ctx.sectionInsns.get(fn.section.index)!;
    chunks.push({ fn, base, bytes: src.slice(fn.start * 8, (fn.start + fn.count) * 8) });
    length += fn.count;
    if (length > 1_000_000) throw new LoadError('program_bad', `program ${entry.name} links to more than 1,000,000 instructions`, { file: ctx.file, program: entry.name });
    for (const [idx, why] of ctx.corePoison.get(fn.section.index) ?? []) if (idx >= fn.start && idx < fn.start + fn.count) poisoned.set(base + idx - fn.start, why);
    return base;
  };
  place(entry);
  for (let c = 0; c < chunks.length; c++) relocateChunk(ctx, entry, chunks[c]!, place, poisoned);

  const insns = new Uint8Array(length * 8);
  const lineInfo: LineInfo[] = [];
  const funcInfo: FuncInfo[] = [];
  for (const ch of chunks) {
    insns.set(ch.bytes, ch.base * 8);
    carryExtInfo(ctx, ch.fn, ch.base, lineInfo, funcInfo);
  }
  lineInfo.sort((a, b) => a.insn - b.insn);
  funcInfo.sort((a, b) => a.insn - b.insn);
  return { name: entry.name, section: entry.section.name, insns, lineInfo, funcInfo, poisoned, sleepable };
}

function carryExtInfo(ctx: LinkContext, fn: BpfFunction, base: number, lineInfo: LineInfo[], funcInfo: FuncInfo[]): void {
  const inRange = (off: number): boolean => off / 8 >= fn.start && off / 8 < fn.start + fn.count;
  for (const li of ctx.ext?.lineInfo.get(fn.section.name) ?? []) {
    if (inRange(li.insnOff)) lineInfo.push({ insn: base + li.insnOff / 8 - fn.start, file: li.file, line: li.line, column: li.column, text: li.text });
  }
  for (const fi of ctx.ext?.funcInfo.get(fn.section.name) ?? []) {
    if (!inRange(fi.insnOff)) continue;
    const t = ctx.btf.types[fi.typeId];
    funcInfo.push({ insn: base + fi.insnOff / 8 - fn.start, name: t?.name ?? fn.name });
  }
  if (!funcInfo.some((f) => f.insn === base)) funcInfo.push({ insn: base, name: fn.name });
}

function relocateChunk(ctx: LinkContext, entry: BpfFunction, ch: { fn: BpfFunction; base: number; bytes: Uint8Array }, place: (f: BpfFunction) => number, poisoned: Map<number, string>): void {
  const { fn, base, bytes } = ch;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const relocs = ctx.relocs.get(fn.section.index);
  const where = (i: number): Where => {
    const li = ctx.lines.at(fn.section.name, fn.start + i);
    return { file: ctx.file, section: fn.section.name, program: entry.name, insn: base + i, ...(li ? { line: `${li.file}:${li.line}` } : {}) };
  };
  const setSrc = (i: number, src: number): void => {
    bytes[i * 8 + 1] = (bytes[i * 8 + 1]! & 0x0f) | (src << 4);
  };
  const relTarget = (i: number, shndx: number, idx: number, what: string): number => {
    const target = functionAt(ctx.funcs, shndx, idx);
    if (target === undefined) throw new LoadError('program_bad', `${what} targets instruction ${idx} of section #${shndx}, which is not inside any function`, where(i));
    return place(target) + (idx - target.start) - (base + i) - 1;
  };
  for (let i = 0; i < fn.count; i++) {
    const code = bytes[i * 8]!;
    const reloc = relocs?.get(fn.start + i);
    if (code === 0x85) {
      const src = bytes[i * 8 + 1]! >> 4;
      const imm = dv.getInt32(i * 8 + 4, true);
      if (reloc !== undefined) {
        if (reloc.type !== R_BPF.R_BPF_64_32) throw new LoadError('reloc_bad', `call has a relocation of type ${reloc.type}, expected R_BPF_64_32`, where(i));
        const sym = reloc.symbol;
        if (sym.shndx === SHN.UNDEF) {
          const ext = ctx.externs.bySymbol.get(sym.index);
          if (ext === undefined || ext.kind !== 'kfunc') throw new LoadError('extern_bad', `call to ${sym.name}, which is not a kfunc extern`, { ...where(i), symbol: sym.name });
          if (ext.use.resolved) {
            setSrc(i, PSEUDO.KFUNC_CALL);
            dv.setInt32(i * 8 + 4, ext.use.kfuncId!, true);
          } else if (ext.use.weak) {
            // libbpf poisons calls to unresolved weak kfuncs; guarded by bpf_ksym_exists() they never run
            bytes.fill(0, i * 8, i * 8 + 8);
            bytes[i * 8] = 0x85;
            dv.setInt32(i * 8 + 4, POISON_HELPER_ID, true);
            poisoned.set(base + i, `call to unresolved weak kfunc ${sym.name}: ${ext.reason ?? 'not in the kernel'}`);
          } else {
            throw new LoadError('kfunc_missing', `${ext.reason ?? `kfunc ${sym.name} not found`}; the program calls ${sym.name} — declare it __weak and guard it with bpf_ksym_exists(), or use a kfunc the kernel has`, { ...where(i), symbol: sym.name });
          }
        } else {
          const newImm = relTarget(i, sym.shndx, Math.floor(sym.value / 8) + imm + 1, `call to ${sym.name}`);
          setSrc(i, PSEUDO.CALL);
          dv.setInt32(i * 8 + 4, newImm, true);
        }
      } else if (src === PSEUDO.CALL) {
        dv.setInt32(i * 8 + 4, relTarget(i, fn.section.index, fn.start + i + imm + 1, 'bpf-to-bpf call'), true);
      }
      continue;
    }
    if (code === 0x18) {
      if (i + 1 >= fn.count) throw new LoadError('program_bad', 'ld_imm64 is the last instruction: its second half is missing', where(i));
      if (reloc !== undefined) relocateLdImm64(ctx, bytes, dv, i, reloc, () => where(i), setSrc, relTarget);
      i++;
      continue;
    }
    if (reloc !== undefined) throw new LoadError('reloc_bad', `relocation against ${reloc.symbol.name} on instruction 0x${code.toString(16)}, which is neither a call nor ld_imm64`, where(i));
  }
}

function relocateLdImm64(
  ctx: LinkContext,
  bytes: Uint8Array,
  dv: DataView,
  i: number,
  reloc: ElfReloc,
  where: () => Where,
  setSrc: (i: number, src: number) => void,
  relTarget: (i: number, shndx: number, idx: number, what: string) => number,
): void {
  const sym = reloc.symbol;
  const w = (): Where & { symbol: string } => ({ ...where(), symbol: sym.name });
  if (reloc.type !== R_BPF.R_BPF_64_64) throw new LoadError('reloc_bad', `ld_imm64 has a relocation of type ${reloc.type}, expected R_BPF_64_64`, w());
  const imm0 = dv.getInt32(i * 8 + 4, true);
  const set = (src: number, lo: number, hi: number): void => {
    setSrc(i, src);
    dv.setInt32(i * 8 + 4, lo, true);
    dv.setInt32(i * 8 + 12, hi, true);
  };
  if (sym.shndx === SHN.UNDEF) {
    const ext = ctx.externs.bySymbol.get(sym.index);
    if (ext === undefined) throw new LoadError('extern_bad', `ld_imm64 of unknown extern ${sym.name}`, w());
    if (ext.kind === 'kconfig') set(PSEUDO.MAP_VALUE, ctx.externs.kconfigMap!.index, ext.offset + imm0);
    // bpf_ksym_exists(): the address is non-zero (the kfunc id) when resolved, 0 when not
    else if (ext.kind === 'kfunc') set(0, ext.use.resolved ? ext.use.kfuncId! : 0, 0);
    // a typed kernel symbol: BPF_PSEUDO_BTF_ID, resolved by the runtime to the kernel object (or per-CPU base)
    else if (ext.index !== undefined) set(PSEUDO.BTF_ID, ext.index, 0);
    else set(0, 0, 0);
    return;
  }
  const btfMap = ctx.btfMaps.get(sym.name);
  if (btfMap !== undefined && sym.shndx === ctx.mapsShndx) {
    set(PSEUDO.MAP_FD, btfMap.index, 0);
    return;
  }
  const global = ctx.globalMaps.get(sym.shndx);
  if (global !== undefined) {
    // static variables relocate against the section symbol with the offset in imm; globals against their own symbol
    set(PSEUDO.MAP_VALUE, global.index, imm0 + sym.value);
    return;
  }
  if (isCodeSection(ctx.funcs, sym.shndx)) {
    const byte = sym.value + imm0;
    if (byte % 8 !== 0) throw new LoadError('program_bad', `callback address ${sym.name}+${imm0} is not instruction-aligned`, w());
    set(PSEUDO.FUNC, relTarget(i, sym.shndx, byte / 8, `callback ${sym.name}`), 0);
    return;
  }
  throw new LoadError('reloc_bad', `ld_imm64 refers to ${sym.name} in section ${ctx.sectionName(sym.shndx)}, which is neither a map, global data nor code`, w());
}
