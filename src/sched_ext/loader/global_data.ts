// Global data sections become one-entry ARRAY maps, as libbpf's
// bpf_object__init_global_data_maps() does: 4-byte key, the whole section as
// the value, `.rodata*` read-only to programs (BPF_F_RDONLY_PROG), `.bss*`
// zeroed. Their BTF variables are listed by name for the variable view.

import type { Btf } from '../btf/btf';
import type { ElfFile, ElfSection } from '../elf/elf';
import { SHF, SHT } from '../elf/elf';
import { LoadError } from '../base/load_error';
import type { GlobalVar, MapSpec } from './object';
import { MapFlag, MapType } from './object';
import { MAX_REGION_SIZE } from '../vm/memory';

export function isGlobalDataSection(s: ElfSection): boolean {
  if ((s.flags & SHF.ALLOC) === 0 || (s.flags & SHF.EXECINSTR) !== 0) return false;
  if (s.type !== SHT.PROGBITS && s.type !== SHT.NOBITS) return false;
  return /^\.(data|rodata|bss)(\.|$)/.test(s.name);
}

export interface GlobalDataMap {
  spec: MapSpec;
  shndx: number;
  vars: GlobalVar[];
}

/**
 * Largest global data section accepted: the largest region the VM addresses.
 * Big sections cost little until used (zeroed memory is mapped lazily and
 * only non-zero pages of the initial value are copied, see BpfMap.newCell):
 * scx_layered's .bss is 165 MB.
 */
const MAX_GLOBAL_SIZE = MAX_REGION_SIZE;

export function collectGlobalData(elf: ElfFile, btf: Btf, file: string, firstIndex: number): GlobalDataMap[] {
  const out: GlobalDataMap[] = [];
  for (const s of elf.sections) {
    if (!isGlobalDataSection(s)) continue;
    if (s.size > MAX_GLOBAL_SIZE) throw new LoadError('global_bad', `global data section is ${s.size} bytes, above the ${MAX_GLOBAL_SIZE} bytes the VM can address in one region`, { file, section: s.name });
    const index = firstIndex + out.length;
    const readonly = s.name.startsWith('.rodata');
    const value = new Uint8Array(s.size);
    if (s.type === SHT.PROGBITS) value.set(s.data);
    const datasec = btf.findByName(s.name, 'datasec');
    const spec: MapSpec = {
      index,
      name: s.name,
      origin: 'global',
      type: MapType.ARRAY,
      keySize: 4,
      valueSize: s.size,
      maxEntries: 1,
      flags: MapFlag.MMAPABLE | (readonly ? MapFlag.RDONLY_PROG : 0),
      keyTypeId: 0,
      valueTypeId: datasec?.id ?? 0,
      initialValue: value,
      section: s.name,
    };
    out.push({ spec, shndx: s.index, vars: sectionVars(btf, s, index, readonly, file) });
  }
  return out;
}

/** The section's VARs, at the offsets fixupDatasecs took from the ELF symbols. */
function sectionVars(btf: Btf, s: ElfSection, mapIndex: number, readonly: boolean, file: string): GlobalVar[] {
  const datasec = btf.findByName(s.name, 'datasec');
  if (datasec === undefined || datasec.kind !== 'datasec') return [];
  const vars: GlobalVar[] = [];
  for (const vi of datasec.vars) {
    const v = btf.type(vi.type);
    if (v.kind !== 'var') continue;
    const offset = vi.offset;
    const size = btf.sizeOf(v.type);
    if (offset + size > s.size) throw new LoadError('global_bad', `variable ${v.name} [${offset}, +${size}) lies outside its ${s.size}-byte section`, { file, section: s.name, symbol: v.name });
    vars.push({ name: v.name, section: s.name, mapIndex, offset, size, typeId: v.type, typeName: btf.cName(v.type), readonly });
  }
  return vars.sort((a, b) => a.offset - b.offset);
}
