// Matching a local CO-RE spec against the target (kernel) BTF, following
// libbpf relo_core.c: candidates are target types of the same kind whose
// names agree once `___flavor` suffixes are dropped; fields are found by name
// (searching through anonymous members); compatibility is loose — any two
// composites, any two pointers, any two integers match — except for
// TYPE_MATCHES, which asks for the stricter bpf_core_types_match.

import type { Btf } from '../../btf/btf';
import type { BtfType } from '../../btf/types';
import { essentialName } from '../externs';
import { CoreKind, isEnumKind, isFieldKind, type CoreSpec } from './spec';

const MAX_DEPTH = 32;

function kindClass(t: BtfType): string {
  return t.kind === 'enum64' ? 'enum' : t.kind;
}

/** Target type ids by essential name, built once per target BTF. */
const byEssentialName = new WeakMap<Btf, Map<string, number[]>>();

function essentialIndex(target: Btf): Map<string, number[]> {
  let index = byEssentialName.get(target);
  if (index === undefined) {
    index = new Map();
    for (const t of target.types) {
      if (t.name === '') continue;
      const key = essentialName(t.name);
      const list = index.get(key);
      if (list) list.push(t.id);
      else index.set(key, [t.id]);
    }
    byEssentialName.set(target, index);
  }
  return index;
}

/** Target types that could be the local root: same kind (enum ≈ enum64), same essential name. */
export function findCandidates(local: Btf, localRootId: number, target: Btf): number[] {
  const lt = local.type(localRootId);
  const name = essentialName(lt.name);
  if (name === '') return [];
  return (essentialIndex(target).get(name) ?? []).filter((id) => kindClass(target.types[id]!) === kindClass(lt));
}

function isComposite(t: BtfType): boolean {
  return t.kind === 'struct' || t.kind === 'union';
}

/** bpf_core_fields_are_compat. */
export function fieldsCompat(lb: Btf, lid: number, tb: Btf, tid: number): boolean {
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const l = lb.resolve(lid);
    const t = tb.resolve(tid);
    if (isComposite(l) && isComposite(t)) return true;
    if (kindClass(l) !== kindClass(t)) return false;
    switch (l.kind) {
      case 'fwd':
      case 'float':
      case 'enum':
      case 'enum64':
      case 'ptr':
        return true;
      case 'int':
        return l.bitOffset === 0 && t.kind === 'int' && t.bitOffset === 0;
      case 'array':
        if (t.kind !== 'array') return false;
        lid = l.type;
        tid = t.type;
        continue;
      default:
        return false;
    }
  }
  return false;
}

/**
 * Pairs already being compared count as matching (they are checked where
 * they were first met); this keeps hostile BTF, whose prototypes and structs
 * can fan out at every level, from making the comparison exponential.
 */
type Seen = Set<string>;

function firstVisit(seen: Seen, lid: number, tid: number): boolean {
  const key = `${lid}:${tid}`;
  if (seen.has(key)) return false;
  seen.add(key);
  return true;
}

/** bpf_core_types_are_compat: used for type-based relocations and kfunc prototypes. */
export function typesCompat(lb: Btf, lid: number, tb: Btf, tid: number, depth = 0, seen: Seen = new Set()): boolean {
  if (depth > MAX_DEPTH) return false;
  if (!firstVisit(seen, lid, tid)) return true;
  const l = lb.resolve(lid);
  const t = tb.resolve(tid);
  if (kindClass(l) !== kindClass(t)) return false;
  switch (l.kind) {
    case 'void':
    case 'struct':
    case 'union':
    case 'enum':
    case 'enum64':
    case 'fwd':
    case 'float':
      return true;
    case 'int':
      return l.bitOffset === 0 && t.kind === 'int' && t.bitOffset === 0;
    case 'ptr':
      return t.kind === 'ptr' && typesCompat(lb, l.type, tb, t.type, depth + 1, seen);
    case 'array':
      return t.kind === 'array' && typesCompat(lb, l.type, tb, t.type, depth + 1, seen);
    case 'func_proto':
      if (t.kind !== 'func_proto' || l.params.length !== t.params.length) return false;
      if (!typesCompat(lb, l.type, tb, t.type, depth + 1, seen)) return false;
      return l.params.every((p, i) => typesCompat(lb, p.type, tb, t.params[i]!.type, depth + 1, seen));
    default:
      return false;
  }
}

/** bpf_core_types_match (TYPE_MATCHES): names, sizes, signedness and every local member/enumerator must agree. */
export function typesMatch(lb: Btf, lid: number, tb: Btf, tid: number, depth = 0, seen: Seen = new Set()): boolean {
  if (depth > MAX_DEPTH) return false;
  if (!firstVisit(seen, lid, tid)) return true;
  const l = lb.resolve(lid);
  const t = tb.resolve(tid);
  const named = (x: BtfType): boolean => x.kind === 'struct' || x.kind === 'union' || x.kind === 'enum' || x.kind === 'enum64' || x.kind === 'fwd';
  if (named(l) && l.name !== '' && essentialName(l.name) !== essentialName(t.name)) return false;
  if (l.kind === 'fwd') return t.kind === 'fwd' || isComposite(t);
  if (kindClass(l) !== kindClass(t)) return false;
  switch (l.kind) {
    case 'void':
      return true;
    case 'int':
      return t.kind === 'int' && l.size === t.size && l.signed === t.signed;
    case 'float':
      return t.kind === 'float' && l.size === t.size;
    case 'enum':
    case 'enum64':
      if (t.kind !== 'enum' && t.kind !== 'enum64') return false;
      return l.values.every((v) => t.values.some((tv) => essentialName(tv.name) === essentialName(v.name)));
    case 'struct':
    case 'union':
      if (t.kind !== l.kind) return false;
      return l.members.every((m) => {
        const tm = t.members.find((x) => x.name === m.name);
        return tm !== undefined && typesMatch(lb, m.type, tb, tm.type, depth + 1, seen);
      });
    case 'ptr':
      return t.kind === 'ptr' && typesMatch(lb, l.type, tb, t.type, depth + 1, seen);
    case 'array':
      return t.kind === 'array' && l.nelems === t.nelems && typesMatch(lb, l.type, tb, t.type, depth + 1, seen);
    case 'func_proto':
      if (t.kind !== 'func_proto' || l.params.length !== t.params.length) return false;
      return typesMatch(lb, l.type, tb, t.type, depth + 1, seen) && l.params.every((p, i) => typesMatch(lb, p.type, tb, t.params[i]!.type, depth + 1, seen));
    default:
      return false;
  }
}

/** Match the local spec against one candidate root; undefined when the candidate does not fit. */
export function matchSpec(local: CoreSpec, kind: number, target: Btf, candId: number): CoreSpec | undefined {
  const lb = local.btf;
  const spec: CoreSpec = { btf: target, rootId: candId, accessors: [], raw: [], bitOffset: 0, fieldTypeId: 0, bitfieldSize: 0, path: local.path };
  if (!isFieldKind(kind) && !isEnumKind(kind)) {
    const ok = kind === CoreKind.TYPE_MATCHES ? typesMatch(lb, local.rootId, target, candId) : typesCompat(lb, local.rootId, target, candId);
    return ok ? spec : undefined;
  }
  if (isEnumKind(kind)) {
    const t = target.resolve(candId);
    if (t.kind !== 'enum' && t.kind !== 'enum64') return undefined;
    const want = essentialName(local.enumName ?? '');
    const v = t.values.find((x) => essentialName(x.name) === want);
    if (v === undefined) return undefined;
    spec.enumName = v.name;
    spec.enumValue = v.value;
    return spec;
  }
  let typeId = candId;
  let lTypeId = local.rootId;
  for (const [i, acc] of local.accessors.entries()) {
    if (i === 0) {
      spec.bitOffset = acc.idx === 0 ? 0 : acc.idx * target.sizeOf(candId) * 8;
      continue;
    }
    const t = target.resolve(typeId);
    if (acc.kind === 'field') {
      const found = target.findMember(t.id, acc.name!);
      const lFound = lb.findMember(lTypeId, acc.name!);
      if (found === undefined || lFound === undefined) return undefined;
      if (!fieldsCompat(lb, lFound.member.type, target, found.member.type)) return undefined;
      spec.bitOffset += found.bitOffset;
      spec.bitfieldSize = found.member.bitfieldSize;
      typeId = found.member.type;
      lTypeId = lFound.member.type;
    } else {
      const lt = lb.resolve(lTypeId);
      if (t.kind !== 'array' || lt.kind !== 'array') return undefined;
      if (t.nelems !== 0 && acc.idx >= t.nelems) return undefined;
      spec.bitOffset += acc.idx * target.sizeOf(t.type) * 8;
      spec.bitfieldSize = 0;
      typeId = t.type;
      lTypeId = lt.type;
    }
  }
  spec.fieldTypeId = typeId;
  return spec;
}
