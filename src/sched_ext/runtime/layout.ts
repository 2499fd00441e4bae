// A FieldHost is any piece of memory that can hold special fields: a map
// value, a global data section, or a heap object. Roots and kptr slots are
// named after their host ("map cgv_tree[0].root", "obj 17.stash"), and freeing
// a host frees what its fields hold (bpf_obj_free_fields in kernel/bpf/syscall.c).

import type { Region } from '../vm/memory';
import type { SpecialField } from '../btf/special_fields';

export interface FieldHost {
  readonly region: Region;
  /** Special fields of the host's BTF type, sorted by offset. */
  readonly fields: readonly SpecialField[];
  /** "map cpu_ctx[3]", ".data.A", "obj 17". */
  label(): string;
}

export function isFieldHost(x: unknown): x is FieldHost {
  return typeof x === 'object' && x !== null && 'fields' in x && 'region' in x && typeof (x as FieldHost).label === 'function';
}

/** The special field of `kind` starting exactly at `offset`, if any. */
export function fieldAt(host: FieldHost, offset: number, kind?: SpecialField['kind']): SpecialField | undefined {
  const fields = host.fields;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (f.offset === offset && (kind === undefined || f.kind === kind)) return f;
  }
  return undefined;
}

/** Root and slot keys: host label plus field path. */
export function fieldKey(host: FieldHost, field: SpecialField): string {
  return field.name === '' ? host.label() : `${host.label()}.${field.name}`;
}
