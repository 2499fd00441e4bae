// Find the fields of a map value or local-kptr type that the kernel treats
// specially, like btf_parse_fields() in kernel/bpf/btf.c: kptrs (pointer
// members whose pointee carries a `kptr`/`kptr_untrusted`/`percpu_kptr` type
// tag), graph roots and nodes, spin locks, refcounts and timers. Nested
// structs and arrays of them are flattened with their offsets, as the kernel
// does since it learned to look into nested structs (btf_find_nested_struct).

import { LoadError } from '../base/load_error';
import type { Btf } from './btf';
import type { RefType } from './types';

export type SpecialFieldKind = 'kptr' | 'rb_root' | 'rb_node' | 'list_head' | 'list_node' | 'spin_lock' | 'refcount' | 'timer';

export type KptrFlavor = 'kptr' | 'kptr_untrusted' | 'percpu_kptr';

export interface GraphContains {
  /** The node container struct ('node_data'), its id in the same BTF. */
  typeId: number;
  typeName: string;
  /** Byte offset of the node field inside the container, and its name. */
  nodeOffset: number;
  nodeField: string;
}

export interface SpecialField {
  kind: SpecialFieldKind;
  /** Byte offset from the start of the inspected type. */
  offset: number;
  size: number;
  /** Dotted path of the field: "node", "inner.lock", "slots[3]". */
  name: string;
  /** For kptr: which tag, and the pointee type id (modifiers skipped). */
  kptrFlavor?: KptrFlavor;
  pointeeTypeId?: number;
  /** For rb_root / list_head: what the `contains:T:field` decl tag names. */
  contains?: GraphContains;
}

/** Struct names the kernel recognises by name (btf_get_field_type). */
const BY_STRUCT_NAME: Record<string, SpecialFieldKind> = {
  bpf_spin_lock: 'spin_lock',
  bpf_timer: 'timer',
  bpf_list_head: 'list_head',
  bpf_list_node: 'list_node',
  bpf_rb_root: 'rb_root',
  bpf_rb_node: 'rb_node',
  bpf_refcount: 'refcount',
};

const KPTR_TAGS: readonly string[] = ['kptr', 'kptr_untrusted', 'percpu_kptr'];
/** Arrays are flattened; this keeps a hostile nelems from exploding. */
const MAX_FIELDS = 4096;
const MAX_NEST = 16;

/**
 * Special fields of `typeId`: a struct/union, a VAR, or a DATASEC (global data,
 * where `contains:` tags sit on the VAR). Sorted by offset.
 */
export function specialFields(btf: Btf, typeId: number): SpecialField[] {
  const out: SpecialField[] = [];
  const memo = new Map<number, boolean>();
  const t = btf.type(typeId);
  if (t.kind === 'datasec') {
    for (const v of t.vars) {
      const vt = btf.type(v.type);
      if (vt.kind !== 'var') continue;
      walk(btf, vt.type, v.offset, vt.name, btf.declTags(vt.id), out, 0, memo);
    }
  } else if (t.kind === 'var') {
    walk(btf, t.type, 0, t.name, btf.declTags(t.id), out, 0, memo);
  } else {
    walk(btf, typeId, 0, '', [], out, 0, memo);
  }
  return out.sort((a, b) => a.offset - b.offset);
}

function push(out: SpecialField[], f: SpecialField): void {
  if (out.length >= MAX_FIELDS) throw new LoadError('btf_bad', `more than ${MAX_FIELDS} special fields at ${f.name}; the kernel allows far fewer`);
  out.push(f);
}

function walk(btf: Btf, typeId: number, offset: number, name: string, tags: string[], out: SpecialField[], depth: number, memo: Map<number, boolean>): void {
  // only descend where a special field lies: keeps hostile, widely nested BTF cheap
  if (depth > MAX_NEST || !containsSpecial(btf, typeId, 0, memo)) return;
  const t = btf.resolve(typeId);
  if (t.kind === 'ptr') {
    kptrField(btf, t, offset, name, out);
    return;
  }
  if (t.kind === 'struct') {
    const special = BY_STRUCT_NAME[t.name];
    if (special !== undefined) {
      const f: SpecialField = { kind: special, offset, size: t.size, name };
      if (special === 'rb_root' || special === 'list_head') f.contains = containsTag(btf, tags, name);
      push(out, f);
      return;
    }
  }
  if (t.kind === 'struct' || t.kind === 'union') {
    t.members.forEach((m, i) => {
      if (m.bitfieldSize) return;
      walk(btf, m.type, offset + Math.floor(m.bitOffset / 8), name === '' ? m.name : `${name}.${m.name}`, btf.declTags(t.id, i), out, depth + 1, memo);
    });
    return;
  }
  if (t.kind === 'array') {
    const elemSize = btf.sizeOf(t.type);
    for (let i = 0; i < t.nelems; i++) walk(btf, t.type, offset + i * elemSize, `${name}[${i}]`, tags, out, depth + 1, memo);
  }
}

function kptrField(btf: Btf, ptr: RefType, offset: number, name: string, out: SpecialField[]): void {
  const tags = btf.typeTags(ptr.id).filter((x) => KPTR_TAGS.includes(x));
  if (tags.length === 0) return;
  if (tags.length > 1) throw new LoadError('btf_bad', `field ${name} has more than one kptr tag (${tags.join(', ')}); the kernel rejects this`, { member: name });
  push(out, { kind: 'kptr', offset, size: 8, name, kptrFlavor: tags[0] as KptrFlavor, pointeeTypeId: btf.resolve(ptr.type).id });
}

/** Whether a type has any special field, so arrays of plain data are not flattened. */
function containsSpecial(btf: Btf, typeId: number, depth: number, memo: Map<number, boolean>): boolean {
  if (depth > MAX_NEST) return false;
  const known = memo.get(typeId);
  if (known !== undefined) return known;
  const t = btf.resolve(typeId);
  let has = false;
  if (t.kind === 'ptr') has = btf.typeTags(t.id).some((x) => KPTR_TAGS.includes(x));
  else if (t.kind === 'struct' && BY_STRUCT_NAME[t.name] !== undefined) has = true;
  else if (t.kind === 'struct' || t.kind === 'union') has = t.members.some((m) => !m.bitfieldSize && containsSpecial(btf, m.type, depth + 1, memo));
  else if (t.kind === 'array') has = containsSpecial(btf, t.type, depth + 1, memo);
  memo.set(typeId, has);
  return has;
}

/** Resolve `contains:node_data:node` like the kernel's btf_parse_graph_root. */
function containsTag(btf: Btf, tags: string[], field: string): GraphContains | undefined {
  const tag = tags.find((x) => x.startsWith('contains:'));
  if (tag === undefined) return undefined;
  const parts = tag.split(':');
  if (parts.length !== 3 || parts[1] === '' || parts[2] === '') {
    throw new LoadError('btf_bad', `graph root ${field}: decl tag "${tag}" is not of the form contains:<type>:<field>`, { member: field });
  }
  const [, typeName, nodeField] = parts as [string, string, string];
  const container = btf.findByName(typeName, 'struct');
  if (container === undefined) {
    throw new LoadError('btf_bad', `graph root ${field}: "${tag}" names struct ${typeName}, which is not in the program's BTF`, { member: field });
  }
  const m = btf.findMember(container.id, nodeField);
  if (m === undefined) {
    throw new LoadError('btf_bad', `graph root ${field}: struct ${typeName} has no member ${nodeField} ("${tag}")`, { member: field });
  }
  return { typeId: container.id, typeName, nodeOffset: Math.floor(m.bitOffset / 8), nodeField };
}
