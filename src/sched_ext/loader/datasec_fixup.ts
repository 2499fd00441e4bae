// clang emits every DATASEC with size 0 and its VARs at offset 0; the ELF
// symbol table is what knows where each variable lives. libbpf patches the
// object's BTF before anything reads it (btf_fixup_datasec): the section's
// size from the ELF section header, each VAR's offset from its symbol. Doing
// the same here means every consumer of the object's BTF (special fields of
// globals, the variable view, CO-RE) sees real offsets.

import type { Btf } from '../btf/btf';
import type { ElfFile } from '../elf/elf';
import { STT } from '../elf/elf';

export function fixupDatasecs(elf: ElfFile, btf: Btf): void {
  for (const section of elf.sections) {
    const ds = btf.findByName(section.name, 'datasec');
    if (ds === undefined || ds.kind !== 'datasec') continue;
    if (ds.size === 0) ds.size = section.size;
    const symbols = new Map<string, number>();
    for (const s of elf.symbols) {
      if (s.shndx === section.index && s.type === STT.OBJECT) symbols.set(s.name, s.value);
    }
    for (const v of ds.vars) {
      const variable = btf.type(v.type);
      if (variable.kind !== 'var') continue;
      const at = symbols.get(variable.name);
      if (at !== undefined) v.offset = at;
    }
  }
}
