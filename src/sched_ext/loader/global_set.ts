// The one `--set` parser, shared by `scxray run`, `scxray inspect` and the
// UI's knob fields: `NAME=VALUE`, `NAME[i]=VALUE`, `NAME.member=VALUE` (and
// any mix, `cfg.cpus[2]=1`) on a global variable of .rodata (first), .data or
// .bss, as a scheduler's main() writes `skel->rodata->NAME` before load. The
// value is read by the target's BTF type: integers in their C range (never
// wrapped modulo 2^N), true/false, enumerator names, strings for char[N].
// Every refusal is a LoadError ('global_bad') naming the item, the variable
// and its type.

import type { Btf } from '../btf/btf';
import { LoadError } from '../base/load_error';
import { intBounds, parseIntegerText, parsePlacePath, readTyped, step, storeInteger, typeDesc, TypedValueError, writeTyped, locate, type PathSeg, type TypedPlace } from '../btf/typed_value';
import type { GlobalVar, MapSpec } from './object';

export interface GlobalSet {
  /** The item as given, for messages. */
  item: string;
  name: string;
  path: PathSeg[];
  value: string;
}

/** `NAME[i].member=VALUE` items → parsed sets (syntax only; types are checked when applied). */
export function parseGlobalSets(items: readonly string[] | undefined): GlobalSet[] {
  const out: GlobalSet[] = [];
  for (const item of items ?? []) {
    const eq = item.indexOf('=');
    const where = eq <= 0 ? undefined : parsePlacePath(item.slice(0, eq));
    if (where === undefined) {
      throw new LoadError('global_bad', `--set expects NAME=VALUE, NAME[INDEX]=VALUE or NAME.MEMBER=VALUE, got "${item}"`);
    }
    out.push({ item, name: where.name, path: where.path, value: item.slice(eq + 1) });
  }
  return out;
}

/** `{ name: value }` pairs (the UI's knob fields) as --set items. */
export function globalSetsFromRecord(sets: Record<string, string>): GlobalSet[] {
  return parseGlobalSets(Object.entries(sets).map(([k, v]) => `${k}=${v}`));
}

/** Find the variable a set names: .rodata first (what --set is for), then .data and .bss. */
function findGlobal(globals: readonly GlobalVar[], name: string): GlobalVar | undefined {
  return globals.find((g) => g.name === name && g.readonly) ?? globals.find((g) => g.name === name);
}

/** Write each set into its section's initial value (before maps are created). */
export function applyGlobalSets(globals: readonly GlobalVar[], maps: readonly MapSpec[], btf: Btf, sets: readonly GlobalSet[], file: string): void {
  for (const s of sets) {
    const g = findGlobal(globals, s.name);
    if (g === undefined) {
      const known = globals.filter((x) => !x.name.startsWith('__')).map((x) => x.name);
      throw new LoadError('global_bad', `--set ${s.item}: no global variable named ${s.name}; the object has: ${known.join(', ') || '(none)'}`, { file, symbol: s.name });
    }
    const bytes = maps[g.mapIndex]?.initialValue;
    if (bytes === undefined) throw new LoadError('global_bad', `--set ${s.item}: ${s.name} has no initial value to write`, { file, section: g.section, symbol: s.name });
    try {
      const place = locate(btf, { typeId: g.typeId, offset: g.offset, label: s.name }, s.path);
      writeText(btf, bytes, place, s.value);
    } catch (e) {
      if (e instanceof TypedValueError) throw new LoadError('global_bad', `--set ${s.item}: ${e.message}`, { file, section: g.section, symbol: s.name });
      throw e;
    }
  }
}

/** A --set value as text: an integer for integer types, the string itself for char[N]; whole arrays and structs are refused with a hint. */
function writeText(btf: Btf, bytes: Uint8Array, place: TypedPlace, text: string): void {
  if (intBounds(btf, place.typeId) !== undefined) {
    storeInteger(btf, bytes, place, parseIntegerText(btf, place, text));
    return;
  }
  const t = btf.resolve(place.typeId);
  if (t.kind === 'array') {
    const e = btf.resolve(t.type);
    if (e.kind === 'int' && e.size === 1) {
      writeTyped(btf, bytes, place, text);
      return;
    }
    throw new TypedValueError(place.label, `a whole ${typeDesc(btf, place.typeId)} cannot be set from one value; set one element, e.g. --set '${place.label}[0]=${text}'`);
  }
  if (t.kind === 'struct' || t.kind === 'union') {
    const first = t.members.find((m) => m.name !== '')?.name ?? 'member';
    throw new TypedValueError(place.label, `a whole ${typeDesc(btf, place.typeId)} cannot be set from one value; set one member, e.g. --set '${place.label}.${first}=${text}'`);
  }
  throw new TypedValueError(place.label, `--set cannot write a ${typeDesc(btf, place.typeId)}`);
}

export interface SettableLeaf {
  /** A --set path: "pair_cpu[0]", "cfg.slice_ns". */
  path: string;
  typeName: string;
  /** The value in `bytes`, as --set would take it (decimal, or the string of a char[N]). */
  initial?: string;
}

/**
 * The leaves --set can write inside an array or struct variable, depth first,
 * at most `limit` (undefined for a scalar or char[N], which is set whole).
 * Bitfields and unions are left out; values come from `bytes` when given.
 */
export function settableLeaves(btf: Btf, g: GlobalVar, bytes: Uint8Array | undefined, limit = 64): SettableLeaf[] | undefined {
  const root: TypedPlace = { typeId: g.typeId, offset: g.offset, label: g.name };
  if (isLeaf(btf, root)) return undefined;
  const out: SettableLeaf[] = [];
  const walk = (p: TypedPlace): void => {
    if (out.length >= limit) return;
    if (isLeaf(btf, p)) {
      const leaf: SettableLeaf = { path: p.label, typeName: typeDesc(btf, p.typeId) };
      if (bytes !== undefined) {
        const v = readTyped(btf, bytes, p);
        leaf.initial = typeof v === 'boolean' ? (v ? 'true' : 'false') : String(v);
      }
      out.push(leaf);
      return;
    }
    const t = btf.resolve(p.typeId);
    if (t.kind === 'array') for (let i = 0; i < t.nelems && out.length < limit; i++) walk(step(btf, p, { index: i }));
    else if (t.kind === 'struct') for (const m of t.members) if (m.name !== '' && m.bitfieldSize === 0) walk(step(btf, p, { field: m.name }));
  };
  walk(root);
  return out;
}

function isLeaf(btf: Btf, p: TypedPlace): boolean {
  if (intBounds(btf, p.typeId) !== undefined) return true;
  const t = btf.resolve(p.typeId);
  if (t.kind !== 'array') return false;
  const e = btf.resolve(t.type);
  return e.kind === 'int' && e.size === 1;
}
