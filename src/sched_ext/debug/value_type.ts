// Types of the values the debugger evaluates and shows: integers, pointers
// and BTF aggregates, each aggregate tied to the BTF it comes from (kernel
// BTF for task_struct, the program's BTF for its own structs and maps).

import type { Btf } from '../btf/btf';

export type VType =
  | { k: 'int'; size: number; signed: boolean; name: string; btf?: Btf; enumId?: number }
  | { k: 'ptr'; to: VType; kptr?: boolean }
  | { k: 'void' }
  /** A struct, union or array of one BTF (kept as an id; fields are looked up there). */
  | { k: 'agg'; btf: Btf; id: number; name: string };

export const U64: VType = { k: 'int', size: 8, signed: false, name: 'u64' };
export const S64: VType = { k: 'int', size: 8, signed: true, name: 's64' };
export const INT: VType = { k: 'int', size: 4, signed: true, name: 'int' };

/** A BTF type as a VType: modifiers and typedefs seen through (the typedef's name kept for display). */
export function fromBtf(btf: Btf, id: number, depth = 0): VType {
  let t = btf.type(id);
  let display = '';
  let kptr = false;
  for (let i = 0; i < 32; i++) {
    if (t.kind === 'typedef') {
      if (display === '') display = t.name;
      t = btf.type(t.type);
    } else if (t.kind === 'const' || t.kind === 'volatile' || t.kind === 'restrict') {
      t = btf.type(t.type);
    } else if (t.kind === 'type_tag') {
      if (t.name === 'kptr' || t.name === 'kptr_ref') kptr = true;
      t = btf.type(t.type);
    } else {
      break;
    }
  }
  switch (t.kind) {
    case 'int':
      return { k: 'int', size: t.size, signed: t.signed, name: display || t.name };
    case 'enum':
    case 'enum64':
      return { k: 'int', size: t.size, signed: t.signed, name: display || `enum ${t.name}`, btf, enumId: t.id };
    case 'ptr': {
      const to = depth > 8 ? ({ k: 'void' } as const) : fromBtf(btf, t.type, depth + 1);
      const tags = btf.typeTags(t.id);
      return { k: 'ptr', to, ...(kptr || tags.includes('kptr') || tags.includes('kptr_ref') ? { kptr: true } : {}) };
    }
    case 'struct':
    case 'union':
    case 'array':
      return { k: 'agg', btf, id: t.id, name: display || btf.cName(t.id) };
    case 'void':
      return { k: 'void' };
    case 'float':
      return { k: 'int', size: t.size, signed: true, name: t.name };
    default:
      return { k: 'void' };
  }
}

/** The C spelling: "struct task_struct *", "u64". */
export function typeName(t: VType): string {
  switch (t.k) {
    case 'int':
      return t.name;
    case 'void':
      return 'void';
    case 'agg':
      return t.name;
    case 'ptr': {
      const inner = typeName(t.to);
      return inner.endsWith('*') ? `${inner}*` : `${inner} *`;
    }
  }
}

/** Size in bytes (pointers 8, void 1 as GNU C does for arithmetic). */
export function sizeOf(t: VType): number {
  switch (t.k) {
    case 'int':
      return t.size;
    case 'ptr':
      return 8;
    case 'void':
      return 1;
    case 'agg':
      return t.btf.sizeOf(t.id);
  }
}

/** Interpret the low `size` bytes of `v` as this integer type, as a signed or unsigned bigint. */
export function normInt(v: bigint, size: number, signed: boolean): bigint {
  const bits = size * 8;
  return signed ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v);
}

/** Name of an enum value, when `t` is an enum and `v` one of its enumerators. */
export function enumName(t: VType, v: bigint): string | undefined {
  if (t.k !== 'int' || t.btf === undefined || t.enumId === undefined) return undefined;
  const e = t.btf.type(t.enumId);
  if (e.kind !== 'enum' && e.kind !== 'enum64') return undefined;
  return e.values.find((x) => BigInt.asUintN(64, x.value) === BigInt.asUintN(64, v))?.name;
}
