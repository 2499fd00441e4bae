import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { ElfFile, SHN, STB, STT } from './elf';
import { R_BPF, RELOC_NAMES } from './reloc_types';
import { bpfFixtureBytes, bpfFixturePath } from '../../../test/support/bpf';

// The loader's fixtures (test/bpf/loader), built on demand.
const fixtureBytes = (name: string) => bpfFixtureBytes(`test/bpf/loader/${name}.bpf.c`);
const fixturePath = (name: string) => bpfFixturePath(`test/bpf/loader/${name}.bpf.c`);

// llvm-readelf-19 is the oracle: our reader must agree with it on sections,
// symbols and relocations of a clang-built object.
let elf: ElfFile;
let path: string;
beforeAll(() => {
  path = fixturePath('sched');
  elf = ElfFile.parse(fixtureBytes('sched'), 'sched.bpf.o');
});

function readelf(...args: string[]): string {
  return execFileSync('llvm-readelf-19', [...args, path], { encoding: 'utf8' });
}

describe('ElfFile', () => {
  it('reads the same section names, sizes and offsets as llvm-readelf', () => {
    const rows = [...readelf('-S', '-W').matchAll(/^\s*\[\s*(\d+)\]\s+(\S*)\s+\S+\s+[0-9a-f]+\s+([0-9a-f]+)\s+([0-9a-f]+)/gm)];
    expect(rows.length).toBe(elf.sections.length);
    for (const r of rows.slice(1)) {
      const s = elf.sections[Number(r[1])]!;
      expect([s.name, s.offset, s.size]).toEqual([r[2], parseInt(r[3]!, 16), parseInt(r[4]!, 16)]);
    }
  });

  it('reads weak, global and undefined symbols', () => {
    const weakUndef = elf.symbols.find((s) => s.name === 'scx_bpf_not_in_kernel')!;
    expect([weakUndef.bind, weakUndef.shndx]).toEqual([STB.WEAK, SHN.UNDEF]);
    const strongUndef = elf.symbols.find((s) => s.name === 'scx_bpf_create_dsq')!;
    expect([strongUndef.bind, strongUndef.shndx]).toEqual([STB.GLOBAL, SHN.UNDEF]);
    const prog = elf.symbols.find((s) => s.name === 't_enqueue')!;
    expect([prog.type, elf.sections[prog.shndx]!.name]).toEqual([STT.FUNC, 'struct_ops/t_enqueue']);
    const weakDef = elf.symbols.find((s) => s.name === '__SCX_DSQ_LOCAL')!;
    expect([weakDef.bind, elf.sections[weakDef.shndx]!.name]).toEqual([STB.WEAK, '.rodata']);
  });

  it('reads every non-DWARF relocation llvm-readelf lists, covering all five BPF types', () => {
    const text = readelf('-r', '-W');
    const want: string[] = [];
    let section = '';
    for (const line of text.split('\n')) {
      const head = /^Relocation section '([^']+)'/.exec(line);
      if (head) section = head[1]!;
      const rel = /^([0-9a-f]{16})\s+[0-9a-f]+\s+(R_BPF_\w+)\s+[0-9a-f]+\s+(\S+)/.exec(line);
      if (rel && !section.startsWith('.rel.debug_')) want.push(`${section} ${parseInt(rel[1]!, 16)} ${rel[2]} ${rel[3]}`);
    }
    const got = elf.relSections.flatMap((rs) => rs.relocs.map((r) => `${rs.section.name} ${r.offset} ${RELOC_NAMES[r.type]} ${r.symbol.name}`));
    expect(got).toEqual(want);
    const types = new Set(elf.relSections.flatMap((rs) => rs.relocs.map((r) => r.type)));
    for (const t of [R_BPF.R_BPF_64_64, R_BPF.R_BPF_64_ABS64, R_BPF.R_BPF_64_ABS32, R_BPF.R_BPF_64_NODYLD32, R_BPF.R_BPF_64_32]) expect(types).toContain(t);
  });
});
