// __arena globals: variables clang places in `.addr_space.1` (address space 1)
// live in the object's arena map, as libbpf's init_arena_map_data() and its
// relocation of arena data references do: the section's bytes become the
// arena's initial contents and every ld_imm64 of such a variable becomes a
// map-value reference into the arena (resolved at run time to the arena
// address of the variable).

import type { ElfFile } from '../elf/elf';
import { LoadError } from '../base/load_error';
import { MapType, type MapSpec } from './object';

export const ARENA_SEC = '.addr_space.1';

/** [section index, arena map spec] when the object has __arena globals, after checking them like libbpf. */
export function collectArenaGlobals(elf: ElfFile, maps: MapSpec[], file: string): [number, MapSpec] | undefined {
  const arenas = maps.filter((m) => m.type === MapType.ARENA);
  if (arenas.length > 1) {
    throw new LoadError('map_bad', `maps ${arenas.map((m) => m.name).join(' and ')} are both arenas; libbpf supports one arena map per object`, { file, section: '.maps' });
  }
  const sec = elf.section(ARENA_SEC);
  if (sec === undefined) return undefined;
  const arena = arenas[0];
  if (arena === undefined) {
    throw new LoadError('map_bad', `to use global __arena variables the ARENA map should be explicitly declared in SEC(".maps"); if a library object declares it, this is an unlinked object: link it first (\`bpftool gen object sched.bpf.o main.bpf.o lib.bpf.o\`)`, { file, section: ARENA_SEC });
  }
  const span = arena.maxEntries * 4096;
  if (sec.size > span) {
    throw new LoadError('map_bad', `declared ARENA map size (${span}) is too small to hold global __arena variables of size ${sec.size}`, { file, section: ARENA_SEC, symbol: arena.name });
  }
  const value = new Uint8Array(sec.size);
  if (sec.data.length > 0) value.set(sec.data.subarray(0, sec.size));
  arena.initialValue = value;
  return [sec.index, arena];
}
