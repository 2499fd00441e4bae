// A reader for the ELF64 little-endian relocatable objects clang emits for
// BPF (e_machine EM_BPF): section headers, the symbol table (local, global,
// weak, undefined) and the .rel* sections. Only what a BPF loader needs; every
// offset read from the file is bounds-checked first.

import { LoadError } from '../base/load_error';
import { RELOC_NAMES, type RelocType } from './reloc_types';

export const EM_BPF = 247;
export const SHT = { NULL: 0, PROGBITS: 1, SYMTAB: 2, STRTAB: 3, RELA: 4, NOBITS: 8, REL: 9 } as const;
export const SHF = { WRITE: 0x1, ALLOC: 0x2, EXECINSTR: 0x4 } as const;
export const SHN = { UNDEF: 0, ABS: 0xfff1, COMMON: 0xfff2 } as const;
export const STB = { LOCAL: 0, GLOBAL: 1, WEAK: 2 } as const;
export const STT = { NOTYPE: 0, OBJECT: 1, FUNC: 2, SECTION: 3, FILE: 4 } as const;

export interface ElfSection {
  index: number;
  name: string;
  type: number;
  flags: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  entsize: number;
  /** File bytes of the section (empty for NOBITS, whose size is still `size`). */
  data: Uint8Array;
}

export interface ElfSymbol {
  index: number;
  name: string;
  bind: number;
  type: number;
  /** st_other & 3: visibility (hidden symbols are still resolvable within the object). */
  visibility: number;
  shndx: number;
  value: number;
  size: number;
}

export interface ElfReloc {
  /** Byte offset in the target section. */
  offset: number;
  type: RelocType;
  symbol: ElfSymbol;
}

export interface ElfRelSection {
  section: ElfSection;
  /** The section the relocations apply to (sh_info). */
  target: ElfSection;
  relocs: ElfReloc[];
}

export class ElfFile {
  readonly sections: ElfSection[] = [];
  readonly symbols: ElfSymbol[] = [];
  readonly relSections: ElfRelSection[] = [];

  private constructor(readonly bytes: Uint8Array) {}

  static parse(bytes: Uint8Array, file = '<object>'): ElfFile {
    const elf = new ElfFile(bytes);
    try {
      elf.readSections();
      elf.readSymbols();
      elf.readRelocations();
    } catch (e) {
      if (e instanceof LoadError) throw e.within({ file });
      throw e;
    }
    return elf;
  }

  section(name: string): ElfSection | undefined {
    return this.sections.find((s) => s.name === name);
  }

  /** Relocations applying to a section, by the target section's index. */
  relocsFor(sectionIndex: number): ElfReloc[] {
    return this.relSections.find((r) => r.target.index === sectionIndex)?.relocs ?? [];
  }

  private view(): DataView {
    return new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  }

  private readSections(): void {
    const b = this.bytes;
    if (b.length < 64) throw new LoadError('elf_truncated', `file is ${b.length} bytes, shorter than an ELF64 header (64); is it a complete .bpf.o?`, { offset: 0 });
    if (b[0] !== 0x7f || b[1] !== 0x45 || b[2] !== 0x4c || b[3] !== 0x46) throw new LoadError('elf_bad_header', 'not an ELF file (bad magic); expected a clang-built *.bpf.o', { offset: 0 });
    if (b[4] !== 2) throw new LoadError('elf_bad_header', 'not a 64-bit ELF (EI_CLASS); build with clang -target bpf', { offset: 4 });
    if (b[5] !== 1) throw new LoadError('elf_bad_header', 'big-endian ELF is not supported; build with -target bpf (or bpfel)', { offset: 5 });
    const dv = this.view();
    const type = dv.getUint16(16, true);
    if (type !== 1) throw new LoadError('elf_bad_header', `ELF type ${type} is not a relocatable object (ET_REL); pass the .bpf.o, not a linked file`, { offset: 16 });
    const machine = dv.getUint16(18, true);
    if (machine !== EM_BPF) throw new LoadError('elf_wrong_machine', `ELF machine ${machine} is not BPF (${EM_BPF}); compile with clang-19 -target bpf`, { offset: 18 });
    const shoff = num(dv.getBigUint64(40, true));
    const shentsize = dv.getUint16(58, true);
    const shnum = dv.getUint16(60, true);
    const shstrndx = dv.getUint16(62, true);
    if (shentsize !== 64) throw new LoadError('elf_bad_header', `section header size ${shentsize}, expected 64`, { offset: 58 });
    if (shoff + shnum * 64 > b.length) throw new LoadError('elf_truncated', `section header table [${shoff}, +${shnum * 64}) runs past the ${b.length}-byte file`, { offset: shoff });
    for (let i = 0; i < shnum; i++) {
      const o = shoff + i * 64;
      const sec: ElfSection = {
        index: i,
        name: '',
        type: dv.getUint32(o + 4, true),
        flags: num(dv.getBigUint64(o + 8, true)),
        offset: num(dv.getBigUint64(o + 24, true)),
        size: num(dv.getBigUint64(o + 32, true)),
        link: dv.getUint32(o + 40, true),
        info: dv.getUint32(o + 44, true),
        entsize: num(dv.getBigUint64(o + 56, true)),
        data: new Uint8Array(0),
      };
      if (sec.type !== SHT.NOBITS && sec.type !== SHT.NULL) {
        if (sec.offset + sec.size > b.length) throw new LoadError('elf_truncated', `section #${i} data [${sec.offset}, +${sec.size}) runs past the ${b.length}-byte file`, { offset: o });
        sec.data = b.subarray(sec.offset, sec.offset + sec.size);
      }
      this.sections.push(sec);
    }
    const shstr = this.sections[shstrndx];
    if (shstr === undefined || shstr.type !== SHT.STRTAB) throw new LoadError('elf_bad_section', `section name table index ${shstrndx} is not a string table`, { offset: 62 });
    for (const s of this.sections) s.name = cstr(shstr.data, dv.getUint32(shoff + s.index * 64, true), `name of section #${s.index}`);
  }

  private readSymbols(): void {
    const symtab = this.sections.find((s) => s.type === SHT.SYMTAB);
    if (symtab === undefined) return;
    const strtab = this.sections[symtab.link];
    if (strtab === undefined || strtab.type !== SHT.STRTAB) throw new LoadError('elf_bad_section', `symbol table's string table (section #${symtab.link}) is missing`, { section: symtab.name });
    const d = symtab.data;
    const dv = new DataView(d.buffer, d.byteOffset, d.byteLength);
    const n = Math.floor(d.length / 24);
    for (let i = 0; i < n; i++) {
      const o = i * 24;
      const info = dv.getUint8(o + 4);
      const shndx = dv.getUint16(o + 6, true);
      const sym: ElfSymbol = {
        index: i,
        name: cstr(strtab.data, dv.getUint32(o, true), `name of symbol #${i}`),
        bind: info >> 4,
        type: info & 0xf,
        visibility: dv.getUint8(o + 5) & 3,
        shndx,
        value: num(dv.getBigUint64(o + 8, true)),
        size: num(dv.getBigUint64(o + 16, true)),
      };
      if (sym.type === STT.SECTION && sym.name === '' && this.sections[shndx]) sym.name = this.sections[shndx].name;
      if (shndx !== SHN.UNDEF && shndx < 0xff00 && this.sections[shndx] === undefined) {
        throw new LoadError('elf_bad_symbol', `symbol '${sym.name}' is in section #${shndx}, which does not exist`, { section: symtab.name, symbol: sym.name });
      }
      this.symbols.push(sym);
    }
  }

  private readRelocations(): void {
    for (const sec of this.sections) {
      if (sec.type === SHT.RELA) throw new LoadError('reloc_bad', 'RELA relocations are not used by BPF objects; rebuild with clang -target bpf', { section: sec.name });
      if (sec.type !== SHT.REL) continue;
      const target = this.sections[sec.info];
      if (target === undefined) throw new LoadError('elf_bad_section', `relocation section applies to section #${sec.info}, which does not exist`, { section: sec.name });
      // libbpf ignores relocations of DWARF sections; so do we (they never reach the kernel).
      if (target.name.startsWith('.debug_')) continue;
      const d = sec.data;
      const dv = new DataView(d.buffer, d.byteOffset, d.byteLength);
      const relocs: ElfReloc[] = [];
      for (let i = 0; i + 16 <= d.length; i += 16) {
        const offset = num(dv.getBigUint64(i, true));
        const type = dv.getUint32(i + 8, true);
        const symIdx = dv.getUint32(i + 12, true);
        const symbol = this.symbols[symIdx];
        if (symbol === undefined) {
          throw new LoadError('reloc_missing_symbol', `relocation #${i / 16} refers to symbol #${symIdx}, but the symbol table has ${this.symbols.length} entries`, { section: sec.name, offset });
        }
        if (!(type in RELOC_NAMES)) throw new LoadError('reloc_bad', `relocation #${i / 16} has unknown type ${type} (against ${symbol.name})`, { section: sec.name, offset, symbol: symbol.name });
        if (target.type !== SHT.NOBITS && offset + 4 > target.size) {
          throw new LoadError('reloc_bad', `relocation #${i / 16} at offset ${offset} is outside ${target.name} (${target.size} bytes)`, { section: sec.name, offset, symbol: symbol.name });
        }
        relocs.push({ offset, type: type as RelocType, symbol });
      }
      this.relSections.push({ section: sec, target, relocs });
    }
  }
}

/** Offsets beyond 2^53 cannot index a JS array; they also exceed any file. */
function num(v: bigint): number {
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
}

function cstr(tab: Uint8Array, off: number, what: string): string {
  if (off >= tab.length) {
    if (off === 0) return '';
    throw new LoadError('elf_bad_section', `${what}: string offset ${off} is outside its ${tab.length}-byte string table`, { offset: off });
  }
  let end = off;
  while (end < tab.length && tab[end] !== 0) end++;
  return utf8.decode(tab.subarray(off, end));
}

const utf8 = new TextDecoder();
