// BTF-defined maps from the `.maps` section, decoded the way libbpf's
// parse_btf_map_def() does: each VAR of the `.maps` DATASEC is a struct whose
// members carry the definition in their types —
//   __uint(name, N)   → `int (*name)[N]`        (value = array nelems)
//   __type(name, T)   → `typeof(T) *name`       (size of the pointee)
//   __array(name, T)  → `typeof(T) *name[]`     (inner map template; slots from .rel.maps)
//   __ulong(name, N)  → `enum { ... = N } name` (64-bit values such as an arena's map_extra)

import type { Btf } from '../btf/btf';
import type { ElfFile } from '../elf/elf';
import { LoadError } from '../base/load_error';
import type { MapSpec } from './object';
import { MapFlag, MapType } from './object';

interface MapDef {
  type?: number;
  maxEntries?: number;
  flags?: number;
  keySize?: number;
  valueSize?: number;
  keyTypeId?: number;
  valueTypeId?: number;
  mapExtra?: bigint;
  inner?: MapSpec;
  /** Bit offset of the `values` member, for placing .rel.maps slots. */
  valuesOffset?: number;
}

const UINT_FIELDS: Record<string, keyof MapDef | undefined> = {
  type: 'type',
  max_entries: 'maxEntries',
  map_flags: 'flags',
  key_size: 'keySize',
  value_size: 'valueSize',
  numa_node: undefined,
  pinning: undefined,
  map_extra: undefined,
};

export function collectBtfMaps(elf: ElfFile, btf: Btf, file: string, firstIndex: number): MapSpec[] {
  const sec = elf.section('.maps');
  if (elf.section('maps') !== undefined) {
    throw new LoadError('legacy_maps', 'legacy "maps" section (struct bpf_map_def) is not supported, as in libbpf 1.0; declare maps in SEC(".maps") with __uint/__type', { file, section: 'maps' });
  }
  if (sec === undefined) return [];
  const datasec = btf.findByName('.maps', 'datasec');
  if (datasec === undefined || datasec.kind !== 'datasec') {
    throw new LoadError('map_bad', 'the .maps section has no DATASEC in .BTF; BTF-defined maps need the object built with -g', { file, section: '.maps' });
  }
  const maps: MapSpec[] = [];
  const symbols = new Map(elf.symbols.filter((x) => x.shndx === sec.index).map((x) => [x.name, x]));
  for (const v of datasec.vars) {
    const variable = btf.type(v.type);
    if (variable.kind !== 'var') throw new LoadError('map_bad', `DATASEC entry [${v.type}] is a ${variable.kind}, not a VAR`, { file, section: '.maps', typeId: v.type });
    const where = { file, section: '.maps', symbol: variable.name };
    const def = parseMapDef(btf, variable.type, variable.name, where, 0);
    const spec = toSpec(def, variable.name, firstIndex + maps.length, where);
    if (def.inner !== undefined) spec.inner = def.inner;
    if (def.valuesOffset !== undefined) {
      // libbpf takes the variable's place from its ELF symbol (btf_fixup_datasec)
      const sym = symbols.get(variable.name);
      const start = sym?.value ?? v.offset;
      const size = sym?.size || v.size;
      spec.initialSlots = initialSlots(elf, sec.index, start + def.valuesOffset / 8, start + size, where);
    }
    maps.push(spec);
  }
  // like libbpf's init_map_in_map_slots: every slot names a map of this object, within max_entries
  const names = new Set(maps.map((m) => m.name));
  for (const m of maps) {
    for (const slot of m.initialSlots ?? []) {
      if (!names.has(slot.mapName)) throw new LoadError('map_bad', `map ${m.name}: slot ${slot.slot} names ${slot.mapName}, which is not a map in .maps`, { file, section: '.maps', symbol: m.name });
      if (slot.slot >= m.maxEntries) throw new LoadError('map_bad', `map ${m.name}: slot ${slot.slot} is beyond max_entries ${m.maxEntries}`, { file, section: '.maps', symbol: m.name });
    }
  }
  return maps;
}

function parseMapDef(btf: Btf, typeId: number, name: string, where: { file: string; section: string; symbol: string }, depth: number): MapDef {
  const def: MapDef = {};
  const st = btf.resolve(typeId);
  if (st.kind !== 'struct') throw new LoadError('map_bad', `map ${name} is a ${st.kind}, not a struct definition`, where);
  for (const m of st.members) {
    const mt = btf.resolve(m.type);
    if (m.name in UINT_FIELDS && (mt.kind === 'enum' || mt.kind === 'enum64')) {
      // __ulong(name, N): libbpf reads the value of the member's one-enumerator enum
      const only = mt.values.length === 1 ? mt.values[0] : undefined;
      if (only === undefined) throw new LoadError('map_bad', `map ${name}: member ${m.name} is an enum with ${mt.values.length} values; __ulong(${m.name}, N) declares exactly one`, { ...where, member: m.name });
      const value = BigInt.asUintN(64, only.value);
      if (m.name === 'map_extra') def.mapExtra = value;
      else {
        const key = UINT_FIELDS[m.name];
        if (value > 0xffff_ffffn) throw new LoadError('map_bad', `map ${name}: ${m.name} ${value} does not fit 32 bits`, { ...where, member: m.name });
        if (key !== undefined) (def as Record<string, number>)[key] = Number(value);
      }
    } else if (m.name in UINT_FIELDS) {
      const target = mt.kind === 'ptr' ? btf.resolve(mt.type) : undefined;
      if (target === undefined || target.kind !== 'array') throw new LoadError('map_bad', `map ${name}: member ${m.name} must be __uint(${m.name}, N) (int (*)[N]) or __ulong(${m.name}, N) (an enum)`, { ...where, member: m.name });
      const key = UINT_FIELDS[m.name];
      if (key !== undefined) (def as Record<string, number>)[key] = target.nelems;
      if (m.name === 'map_extra') def.mapExtra = BigInt(target.nelems);
    } else if (m.name === 'key' || m.name === 'value') {
      if (mt.kind !== 'ptr') throw new LoadError('map_bad', `map ${name}: member ${m.name} must be __type(${m.name}, T) (a pointer)`, { ...where, member: m.name });
      const size = btf.sizeOf(mt.type);
      const id = btf.resolve(mt.type).id === 0 ? 0 : mt.type;
      if (m.name === 'key') {
        def.keyTypeId = id;
        def.keySize = checkSize(def.keySize, size, name, 'key', where);
      } else {
        def.valueTypeId = id;
        def.valueSize = checkSize(def.valueSize, size, name, 'value', where);
      }
    } else if (m.name === 'values') {
      // __array(values, struct inner_def): a flexible array of pointers to the inner definition
      if (mt.kind !== 'array' || depth > 0) throw new LoadError('map_bad', `map ${name}: values must be __array(values, ...) and inner maps cannot nest`, { ...where, member: m.name });
      const ptr = btf.resolve(mt.type);
      if (ptr.kind !== 'ptr') throw new LoadError('map_bad', `map ${name}: __array(values, T) element must be a pointer to a map definition`, { ...where, member: m.name });
      const innerDef = parseMapDef(btf, ptr.type, `${name}.inner`, where, depth + 1);
      def.inner = toSpec(innerDef, `${name}.inner`, -1, where);
      def.valuesOffset = m.bitOffset;
    } else {
      throw new LoadError('map_bad', `map ${name}: unknown map definition member '${m.name}' (libbpf knows type, max_entries, map_flags, key, key_size, value, value_size, values, numa_node, pinning, map_extra)`, { ...where, member: m.name });
    }
  }
  return def;
}

function checkSize(existing: number | undefined, size: number, map: string, what: string, where: object): number {
  if (existing !== undefined && existing !== size) throw new LoadError('map_bad', `map ${map}: ${what}_size ${existing} conflicts with the ${what} type's size ${size}`, where);
  return size;
}

function toSpec(def: MapDef, name: string, index: number, where: object): MapSpec {
  if (def.type === undefined) throw new LoadError('map_bad', `map ${name} has no __uint(type, ...)`, where);
  const isStorage = def.type === MapType.TASK_STORAGE || def.type === MapType.INODE_STORAGE || def.type === MapType.CGRP_STORAGE;
  const isOfMaps = def.type === MapType.ARRAY_OF_MAPS || def.type === MapType.HASH_OF_MAPS;
  checkCreatable(def, name, where);
  return {
    index,
    name,
    origin: 'btf',
    type: def.type,
    keySize: def.keySize ?? (isOfMaps ? 4 : 0),
    valueSize: def.valueSize ?? (isOfMaps ? 4 : 0),
    maxEntries: def.maxEntries ?? 0,
    flags: def.flags ?? (isStorage ? 1 : 0),
    keyTypeId: def.keyTypeId ?? 0,
    valueTypeId: def.valueTypeId ?? 0,
    section: '.maps',
    ...(def.mapExtra !== undefined ? { mapExtra: def.mapExtra } : {}),
  };
}

/** What the kernel's map_alloc_check refuses at BPF_MAP_CREATE, refused here at load with the reason. */
function checkCreatable(def: MapDef, name: string, where: object): void {
  const type = def.type!;
  const maxEntries = def.maxEntries ?? 0;
  // local storage takes no max_entries; libbpf sizes a perf event array to the CPU count when 0
  const noEntries = type === MapType.TASK_STORAGE || type === MapType.INODE_STORAGE || type === MapType.CGRP_STORAGE || type === MapType.PERF_EVENT_ARRAY;
  if (maxEntries === 0 && !noEntries) {
    throw new LoadError('map_bad', `map ${name}: max_entries is 0; the kernel refuses to create a map with no entries (EINVAL)`, where);
  }
  if (type === MapType.ARENA) {
    // kernel/bpf/arena.c arena_map_alloc
    if ((def.keySize ?? 0) !== 0 || (def.valueSize ?? 0) !== 0) throw new LoadError('map_bad', `map ${name}: an arena has no key or value (key_size and value_size must be 0)`, where);
    if (((def.flags ?? 0) & MapFlag.MMAPABLE) === 0) throw new LoadError('map_bad', `map ${name}: an arena must be created with BPF_F_MMAPABLE in map_flags`, where);
    if (maxEntries * 4096 > 2 ** 32) throw new LoadError('map_bad', `map ${name}: ${maxEntries} pages is more than an arena's 4 GiB`, where);
    if (def.mapExtra !== undefined && (def.mapExtra & 0xfffn) !== 0n) throw new LoadError('map_bad', `map ${name}: map_extra 0x${def.mapExtra.toString(16)} (the arena's user address) is not page-aligned`, where);
  }
}

/** `.rel.maps` entries inside a map's `values` array name the maps placed in each slot. */
function initialSlots(elf: ElfFile, shndx: number, valuesByte: number, varEnd: number, where: object): { slot: number; mapName: string }[] {
  const slots: { slot: number; mapName: string }[] = [];
  for (const r of elf.relocsFor(shndx)) {
    // The values array is flexible: the DATASEC entry's size covers the initializer.
    if (r.offset < valuesByte || r.offset >= varEnd) continue;
    if ((r.offset - valuesByte) % 8 !== 0) throw new LoadError('map_bad', `.rel.maps entry at ${r.offset} is not aligned to a slot`, where);
    slots.push({ slot: (r.offset - valuesByte) / 8, mapName: r.symbol.name });
  }
  return slots;
}
