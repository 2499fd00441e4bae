// A CO-RE access specification (libbpf relo_core.c bpf_core_parse_spec):
// the root type plus "a:b:c" — an array index into the root, then member or
// element indices. Parsed against the object's BTF it gives the local
// answer; matched against the kernel BTF (match.ts) the target answer.

import type { Btf } from '../../btf/btf';
import { LoadError } from '../../base/load_error';

/** enum bpf_core_relo_kind, named as libbpf's core_relo_kind_str prints them. */
export const CORE_KIND_NAMES = [
  'byte_off',
  'byte_sz',
  'field_exists',
  'signed',
  'lshift_u64',
  'rshift_u64',
  'local_type_id',
  'target_type_id',
  'type_exists',
  'type_size',
  'enumval_exists',
  'enumval_value',
  'type_matches',
] as const;

export const CoreKind = {
  FIELD_BYTE_OFFSET: 0,
  FIELD_BYTE_SIZE: 1,
  FIELD_EXISTS: 2,
  FIELD_SIGNED: 3,
  FIELD_LSHIFT_U64: 4,
  FIELD_RSHIFT_U64: 5,
  TYPE_ID_LOCAL: 6,
  TYPE_ID_TARGET: 7,
  TYPE_EXISTS: 8,
  TYPE_SIZE: 9,
  ENUMVAL_EXISTS: 10,
  ENUMVAL_VALUE: 11,
  TYPE_MATCHES: 12,
} as const;

export function isFieldKind(k: number): boolean {
  return k <= CoreKind.FIELD_RSHIFT_U64;
}
export function isEnumKind(k: number): boolean {
  return k === CoreKind.ENUMVAL_EXISTS || k === CoreKind.ENUMVAL_VALUE;
}

export interface Accessor {
  kind: 'array' | 'field';
  idx: number;
  /** Member name for named fields (what the target is searched by). */
  name?: string;
}

/** A located field (or type, or enumerator) in one BTF. */
export interface CoreSpec {
  btf: Btf;
  rootId: number;
  /** Named-member and array accessors; anonymous members only add to bitOffset. */
  accessors: Accessor[];
  raw: number[];
  bitOffset: number;
  /** The field's type (field kinds), unresolved. */
  fieldTypeId: number;
  bitfieldSize: number;
  /** Enumerator (enum kinds). */
  enumName?: string;
  enumValue?: bigint;
  /** "scx.dsq_vtime", "[2].key", enumerator name: for messages. */
  path: string;
}

const MAX_ACCESS = 64;

export function parseAccess(access: string): number[] {
  const parts = access.split(':');
  if (access === '' || parts.length > MAX_ACCESS || parts.some((p) => !/^\d{1,9}$/.test(p))) {
    throw new LoadError('core_bad', `CO-RE access string "${access.slice(0, 80)}" is malformed`);
  }
  return parts.map(Number);
}

/** The local side of a relocation, from the object's own BTF. */
export function parseSpec(btf: Btf, rootId: number, access: string, kind: number): CoreSpec {
  const raw = parseAccess(access);
  const spec: CoreSpec = { btf, rootId, accessors: [], raw, bitOffset: 0, fieldTypeId: 0, bitfieldSize: 0, path: '' };
  if (rootId === 0 || rootId >= btf.count) throw new LoadError('core_bad', `CO-RE root type [${rootId}] does not exist`);
  if (!isFieldKind(kind) && !isEnumKind(kind)) {
    if (raw.length !== 1 || raw[0] !== 0) throw new LoadError('core_bad', `type-based CO-RE relocation must have access "0", has "${access}"`);
    return spec;
  }
  if (isEnumKind(kind)) {
    const t = btf.resolve(rootId);
    if ((t.kind !== 'enum' && t.kind !== 'enum64') || raw.length !== 1) throw new LoadError('core_bad', `enum CO-RE relocation on ${t.kind} [${rootId}] with access "${access}"`);
    const v = t.values[raw[0]!];
    if (v === undefined) throw new LoadError('core_bad', `enum ${t.name} has no enumerator #${raw[0]}`);
    spec.enumName = v.name;
    spec.enumValue = v.value;
    spec.path = v.name;
    return spec;
  }
  let typeId = rootId;
  spec.bitOffset = raw[0]! === 0 ? 0 : raw[0]! * btf.sizeOf(rootId) * 8;
  spec.accessors.push({ kind: 'array', idx: raw[0]! });
  const path: string[] = raw[0]! === 0 ? [] : [`[${raw[0]}]`];
  for (let i = 1; i < raw.length; i++) {
    const idx = raw[i]!;
    const t = btf.resolve(typeId);
    if (t.kind === 'struct' || t.kind === 'union') {
      const m = t.members[idx];
      if (m === undefined) throw new LoadError('core_bad', `CO-RE access "${access}": ${t.kind} ${t.name} has no member #${idx}`);
      spec.bitOffset += m.bitOffset;
      spec.bitfieldSize = m.bitfieldSize;
      if (m.name !== '') {
        spec.accessors.push({ kind: 'field', idx, name: m.name });
        path.push(path.length === 0 ? m.name : `.${m.name}`);
      }
      typeId = m.type;
    } else if (t.kind === 'array') {
      spec.bitOffset += idx * btf.sizeOf(t.type) * 8;
      spec.bitfieldSize = 0;
      spec.accessors.push({ kind: 'array', idx });
      path.push(`[${idx}]`);
      typeId = t.type;
    } else {
      throw new LoadError('core_bad', `CO-RE access "${access}" indexes into ${t.kind} [${t.id}]`);
    }
  }
  spec.fieldTypeId = typeId;
  spec.path = path.join('');
  return spec;
}
