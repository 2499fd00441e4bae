// Resizing global data before load, as a scheduler's userspace does with
// libbpf's bpf_map__set_value_size() between open and load. Upstream
// sched_ext schedulers declare per-CPU arrays with one element in their own
// section (`SEC(".data.cpu_started_at") u64 cpu_started_at[1]`, the
// RESIZABLE_ARRAY macro) and grow them to nr_cpus; without that, indexing
// past element 0 is out of bounds.
//
// Like libbpf (map_btf_datasec_resize): the section's last variable must be
// an array, and the new size minus that variable's offset must be a whole
// number of its elements; the variable then gets a new array type with that
// many elements, its VAR and the DATASEC the new sizes. Growth is zero-filled,
// shrinking truncates. Where libbpf, failing the BTF check, resizes anyway
// and drops the map's BTF, scxray refuses with a LoadError: the variable view
// and special-field layout need the BTF to stay true.

import type { Btf } from '../btf/btf';
import type { ArrayType, BtfType } from '../btf/types';
import type { GlobalDataMap } from './global_data';
import { LoadError } from '../base/load_error';

/**
 * One resize request. The key says what to resize:
 *  - a global data section / map name (starts with '.', e.g. '.data.cpu_started_at'):
 *    a number is the new value size in bytes (bpf_map__set_value_size),
 *    `{ elements: n }` the element count of the section's last (array) variable;
 *  - a variable name ('cpu_started_at'): only `{ elements: n }`; the variable
 *    must be the last one of its section and an array.
 * With elements, the value size becomes offset + n × element size (upstream's
 * RESIZE_ARRAY computes n × element size for a variable alone in its section).
 */
export type ResizeRequest = number | { elements: number };
export type ResizeOptions = Record<string, ResizeRequest>;

/** Largest value a resize may ask for (the same bound as a global data section). */
const MAX_RESIZED = 64 << 20;

interface Target {
  gd: GlobalDataMap;
  /** The DATASEC's last variable: its secinfo, its VAR, its array type. */
  info: { type: number; offset: number; size: number };
  varType: BtfType & { kind: 'var' };
  array: ArrayType;
  elemSize: number;
}

export function applyResizes(globalData: GlobalDataMap[], btf: Btf, resize: ResizeOptions, file: string): void {
  const done = new Map<string, string>();
  for (const [key, req] of Object.entries(resize)) {
    const gd = findMap(globalData, key, file);
    const section = gd.spec.section;
    const prev = done.get(section);
    if (prev !== undefined) throw new LoadError('global_bad', `resized twice (as ${prev} and as ${key}); give one size per section`, { file, section });
    done.set(section, key);

    const elements = typeof req === 'number' ? undefined : req.elements;
    if (typeof req === 'number') {
      if (!key.startsWith('.')) throw new LoadError('global_bad', `cannot resize variable ${key} by bytes; give an element count ({ elements: n }) or resize its section ${section} by bytes`, { file, section, symbol: key });
      if (!Number.isInteger(req) || req <= 0 || req > MAX_RESIZED) throw new LoadError('global_bad', `new value size ${req} must be a whole number of bytes from 1 to ${MAX_RESIZED}`, { file, section });
    } else if (!Number.isInteger(elements) || elements! < 1) {
      throw new LoadError('global_bad', `element count ${String(elements)} must be a positive integer`, { file, section });
    }

    const t = lastArray(gd, btf, file, key.startsWith('.') ? undefined : key);
    const size = elements !== undefined ? t.info.offset + elements * t.elemSize : (req as number);
    if (size > MAX_RESIZED) throw new LoadError('global_bad', `${elements} elements of ${t.elemSize} bytes make ${size} bytes, above ${MAX_RESIZED}`, { file, section });
    const arrayBytes = size - t.info.offset;
    if (arrayBytes < t.elemSize || arrayBytes % t.elemSize !== 0) {
      throw new LoadError('global_bad', `cannot be resized to ${size} bytes: its last variable ${t.varType.name} starts at byte ${t.info.offset} and has ${t.elemSize}-byte elements, so the size must be ${t.info.offset} + a positive multiple of ${t.elemSize}`, { file, section, symbol: t.varType.name });
    }
    resizeTo(t, btf, size);
  }
}

function findMap(globalData: GlobalDataMap[], key: string, file: string): GlobalDataMap {
  if (key.startsWith('.')) {
    const gd = globalData.find((g) => g.spec.section === key || g.spec.name === key);
    if (gd === undefined) throw new LoadError('global_bad', `no global data section ${key} to resize; the object has: ${globalData.map((g) => g.spec.section).join(', ') || '(none)'}`, { file, section: key });
    return gd;
  }
  const owners = globalData.filter((g) => g.vars.some((v) => v.name === key));
  if (owners.length === 0) throw new LoadError('global_bad', `no global variable named ${key} to resize`, { file, symbol: key });
  if (owners.length > 1) throw new LoadError('global_bad', `variable ${key} is in ${owners.map((g) => g.spec.section).join(' and ')}; name the section instead`, { file, symbol: key });
  return owners[0]!;
}

function lastArray(gd: GlobalDataMap, btf: Btf, file: string, wanted: string | undefined): Target {
  const section = gd.spec.section;
  const ds = gd.spec.valueTypeId > 0 ? btf.type(gd.spec.valueTypeId) : undefined;
  if (ds === undefined || ds.kind !== 'datasec') throw new LoadError('global_bad', 'cannot be resized: the section has no BTF DATASEC to adjust (build with -g)', { file, section });
  if (ds.vars.length === 0) throw new LoadError('global_bad', 'cannot be resized: its DATASEC has no variables', { file, section });
  // the variable at the highest offset (libbpf takes the DATASEC's last entry, which is the same once sorted by offset)
  const info = ds.vars.reduce((a, b) => (b.offset >= a.offset ? b : a));
  const varType = btf.type(info.type);
  if (varType.kind !== 'var') throw new LoadError('global_bad', `cannot be resized: its last DATASEC entry is a ${varType.kind}, not a variable`, { file, section });
  if (wanted !== undefined && varType.name !== wanted) {
    throw new LoadError('global_bad', `variable ${wanted} is not the last variable of ${section} (${varType.name} is), so it cannot be resized; only a section's last variable can grow`, { file, section, symbol: wanted });
  }
  const array = btf.resolve(varType.type);
  if (array.kind !== 'array') {
    throw new LoadError('global_bad', `cannot be resized: its last variable ${varType.name} is a ${btf.cName(varType.type)}, not an array (a resizable array is declared as name[1] in a section of its own, e.g. SEC(".data.name"))`, { file, section, symbol: varType.name });
  }
  const elemSize = btf.sizeOf(array.type);
  if (elemSize <= 0) throw new LoadError('global_bad', `cannot be resized: the elements of ${varType.name} have no size`, { file, section, symbol: varType.name });
  return { gd, info, varType, array, elemSize };
}

function resizeTo(t: Target, btf: Btf, size: number): void {
  const { gd, info, varType, array, elemSize } = t;
  const spec = gd.spec;
  const value = new Uint8Array(size);
  if (spec.initialValue !== undefined) value.set(spec.initialValue.subarray(0, Math.min(size, spec.initialValue.length)));
  spec.initialValue = value;
  spec.valueSize = size;

  // a new array type, as libbpf's btf__add_array: the old one may be shared with other variables
  const nelems = (size - info.offset) / elemSize;
  const types = btf.types as BtfType[];
  const newArray: ArrayType = { kind: 'array', id: types.length, name: '', type: array.type, indexType: array.indexType, nelems };
  types.push(newArray);
  varType.type = newArray.id;
  info.size = size - info.offset;
  const ds = btf.type(spec.valueTypeId);
  if (ds.kind === 'datasec') ds.size = size;

  const g = gd.vars.find((v) => v.name === varType.name);
  if (g !== undefined) {
    g.size = info.size;
    g.typeId = newArray.id;
    g.typeName = btf.cName(newArray.id);
  }
}

/**
 * The CLI's `--resize NAME=ELEMENTS` items (repeatable): NAME is an array
 * variable ('cpu_started_at') or its section ('.data.cpu_started_at'),
 * ELEMENTS its new element count.
 */
export function parseResizeArgs(items: readonly string[] | undefined): ResizeOptions {
  const out: ResizeOptions = {};
  for (const item of items ?? []) {
    const eq = item.indexOf('=');
    const name = item.slice(0, eq);
    const count = item.slice(eq + 1);
    if (eq <= 0 || !/^\d+$/.test(count) || Number(count) < 1) throw new LoadError('global_bad', `--resize expects NAME=ELEMENTS (an array variable or its section, and a positive element count), got "${item}"`);
    if (name in out) throw new LoadError('global_bad', `--resize ${name} given twice`);
    out[name] = { elements: Number(count) };
  }
  return out;
}
