// What a scheduler's userspace half writes into .rodata before load:
//  - the weak `const volatile u64 __<ENUMERATOR>` constants of the sched_ext
//    headers, from the kernel BTF enumerator of that name (upstream
//    SCX_ENUM_INIT); left unfilled they read 0, a known trap worth a warning;
//  - the user's own knobs (`--set name=value`), by variable name.

import type { Btf } from '../btf/btf';
import { LoadError } from '../base/load_error';
import type { GlobalVar, MapSpec } from './object';

/** Kernel BTF enumerators by name (the first wins, as btf__find_by_name would). */
export function kernelEnumerators(kernel: Btf): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const t of kernel.types) {
    if (t.kind !== 'enum' && t.kind !== 'enum64') continue;
    for (const v of t.values) if (!out.has(v.name)) out.set(v.name, v.value);
  }
  return out;
}

function writeLE(value: Uint8Array, offset: number, size: number, v: bigint): void {
  let x = BigInt.asUintN(64, v);
  for (let i = 0; i < size; i++) {
    value[offset + i] = Number(x & 0xffn);
    x >>= 8n;
  }
}

export function fillEnumConsts(globals: GlobalVar[], maps: MapSpec[], kernel: Btf, weakNames: Set<string>): string[] {
  const enums = kernelEnumerators(kernel);
  const unfilled: string[] = [];
  for (const g of globals) {
    if (!g.readonly || !g.name.startsWith('__') || g.name.startsWith('___') || !weakNames.has(g.name)) continue;
    const value = maps[g.mapIndex]?.initialValue;
    if (value === undefined) continue;
    const e = enums.get(g.name.slice(2));
    if (e === undefined) {
      if (g.name.startsWith('__SCX_')) unfilled.push(g.name);
      continue;
    }
    writeLE(value, g.offset, Math.min(g.size, 8), e);
  }
  return unfilled.length === 0 ? [] : [`the kernel BTF has no enumerator for ${unfilled.join(', ')}; these constants read 0`];
}

export function applyRodataOverrides(globals: GlobalVar[], maps: MapSpec[], overrides: Record<string, bigint | Uint8Array>, file: string): void {
  for (const [name, v] of Object.entries(overrides)) {
    const g = globals.find((x) => x.name === name && x.readonly);
    if (g === undefined) {
      const known = globals.filter((x) => x.readonly).map((x) => x.name);
      throw new LoadError('global_bad', `no read-only global named ${name} to set; .rodata has: ${known.join(', ') || '(none)'}`, { file, symbol: name });
    }
    const value = maps[g.mapIndex]!.initialValue!;
    if (v instanceof Uint8Array) {
      if (v.length > g.size) throw new LoadError('global_bad', `${name} is ${g.size} bytes, the value given is ${v.length}`, { file, section: g.section, symbol: name });
      value.fill(0, g.offset, g.offset + g.size);
      value.set(v, g.offset);
    } else {
      if (g.size > 8) throw new LoadError('global_bad', `${name} is a ${g.size}-byte ${g.typeName}; pass bytes, not a number`, { file, section: g.section, symbol: name });
      writeLE(value, g.offset, g.size, v);
    }
  }
}
