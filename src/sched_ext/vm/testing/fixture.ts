// Test-only: turn one function of a clang-built fixture object into a
// ProgramImage (its bytes, plus `.text` appended and its bpf-to-bpf calls
// linked when it makes any, plus line_info from .BTF.ext), so VM tests can
// run real compiler output without depending on the full loader.

import { readFileSync } from 'node:fs';
import { Btf } from '../../btf/btf';
import { parseBtfExt } from '../../btf/btf_ext';
import { ElfFile, STT } from '../../elf/elf';
import type { LineInfo, ProgramImage } from '../abi';

export function fixtureProgram(path: string, section: string, fn: string): ProgramImage {
  const elf = ElfFile.parse(new Uint8Array(readFileSync(path)), path);
  const sec = elf.section(section);
  const sym = elf.symbols.find((s) => s.name === fn && s.type === STT.FUNC);
  if (sec === undefined || sym === undefined || sym.shndx !== sec.index) throw new Error(`${path}: no function ${fn} in ${section}`);
  const own = sec.data.subarray(sym.value, sym.value + sym.size);
  const relocs = elf.relocsFor(sec.index).filter((r) => r.offset >= sym.value && r.offset < sym.value + sym.size);
  const text = elf.section('.text');
  const withText = relocs.length > 0 && text !== undefined;
  const insns = new Uint8Array(own.length + (withText ? text.data.length : 0));
  insns.set(own, 0);
  if (withText) insns.set(text.data, own.length);
  const view = new DataView(insns.buffer);
  const ownSlots = own.length / 8;
  for (const r of relocs) {
    const at = (r.offset - sym.value) / 8;
    const imm = view.getInt32(at * 8 + 4, true);
    const target = ownSlots + (r.symbol.type === STT.SECTION ? 0 : r.symbol.value / 8) + imm + 1;
    view.setInt32(at * 8 + 4, target - at - 1, true);
  }
  const lineInfo: LineInfo[] = [];
  const btfSec = elf.section('.BTF'), extSec = elf.section('.BTF.ext');
  if (btfSec !== undefined && extSec !== undefined) {
    const ext = parseBtfExt(extSec.data, Btf.parse(btfSec.data));
    for (const l of ext.lineInfo.get(section) ?? []) {
      if (l.insnOff >= sym.value && l.insnOff < sym.value + sym.size) {
        lineInfo.push({ insn: (l.insnOff - sym.value) / 8, file: l.file, line: l.line, column: l.column, text: l.text });
      }
    }
    if (withText) {
      for (const l of ext.lineInfo.get('.text') ?? []) {
        lineInfo.push({ insn: ownSlots + l.insnOff / 8, file: l.file, line: l.line, column: l.column, text: l.text });
      }
    }
  }
  lineInfo.sort((a, b) => a.insn - b.insn);
  return { name: fn, section, insns, lineInfo, funcInfo: [], poisoned: new Map(), sleepable: false };
}

/** The 1-based line of `faults.bpf.c`-style markers: `FAULT: name`. */
export function markerLine(source: string, marker: string): number {
  const i = source.split('\n').findIndex((l) => l.includes(`FAULT: ${marker} `) || l.endsWith(`FAULT: ${marker}`));
  if (i < 0) throw new Error(`no FAULT: ${marker} marker`);
  return i + 1;
}
