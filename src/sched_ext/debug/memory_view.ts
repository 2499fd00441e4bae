// What the debugger shows for a value: registers decoded as pointers
// ("task_struct pid 42 +0x18", "map stash value[3] +0x8", "obj #12 struct
// node +0x10"), scalars in decimal and hex, and the memory viewer — any BTF
// type rendered at an address as a tree (struct fields, nested structs,
// arrays, pointers and kptrs as links to the objects they name).

import type { AddressSpace, Region } from '../vm/memory';
import { LO_BASE } from '../vm/memory';
import { enumName, fromBtf, normInt, sizeOf, typeName, type VType } from './value_type';
import type { Value } from './expr_eval';

/** What a pointer leads to, for links in the UI. */
export type PointerTarget = { kind: 'obj'; id: number } | { kind: 'task'; pid: number } | { kind: 'map'; name: string } | { kind: 'stack'; frame: number };

export interface PointerInfo {
  /** "task_struct pid 42 +0x18". */
  label: string;
  region: string;
  offset: number;
  freed: boolean;
  target?: PointerTarget;
}

/** Decode a 64-bit value as a pointer into the address space, or undefined for NULL and scalars. */
export function describePointer(space: AddressSpace, value: bigint): PointerInfo | undefined {
  const v = BigInt.asUintN(64, value);
  const hi = Number(v >> 32n);
  if (hi === 0) return undefined;
  const region = space.regionOfHi(hi);
  if (region === undefined) return undefined;
  const offset = Number(v & 0xffff_ffffn) - LO_BASE;
  const { name, target } = regionLabel(region);
  const at = region.kind === 'stack' ? offset - region.size : offset;
  const off = at < 0 ? `-0x${(-at).toString(16)}` : `+0x${at.toString(16)}`;
  return { label: `${name} ${off}${region.freed ? ' (freed)' : ''}`, region: region.name, offset, freed: region.freed, ...(target ? { target } : {}) };
}

/** Region names rewritten the way the debugger shows them. */
function regionLabel(r: Region): { name: string; target?: PointerTarget } {
  let m = /^obj (\d+) \((.*)\)$/.exec(r.name);
  if (m) return { name: `obj #${m[1]} ${m[2]}`, target: { kind: 'obj', id: Number(m[1]) } };
  m = /^task_struct pid (\d+)/.exec(r.name);
  if (m) return { name: `task_struct pid ${m[1]}`, target: { kind: 'task', pid: Number(m[1]) } };
  m = /^map (\S+)\[(.*)\]$/.exec(r.name);
  if (m) return { name: `map ${m[1]} value[${m[2]}]`, target: { kind: 'map', name: m[1]! } };
  m = /^stack frame (\d+)$/.exec(r.name);
  if (m) return { name: `stack frame ${m[1]}`, target: { kind: 'stack', frame: Number(m[1]) } };
  return { name: r.name };
}

/** A scalar for display: "42", "0x80000002 (2147483650)", "SCX_DSQ_GLOBAL", pointers with their target. */
export function formatValue(space: AddressSpace, val: Value): string {
  const t = val.t;
  if (t.k === 'ptr') {
    if (val.v === 0n) return 'NULL';
    const p = describePointer(space, val.v);
    return `0x${val.v.toString(16)}${p ? ` (${p.label})` : ''}`;
  }
  if (t.k === 'int') {
    const n = normInt(val.v, t.size, t.signed);
    const e = enumName(t, n);
    if (e) return `${e} (${n})`;
    if (t.size === 1 && (t.name === 'bool' || t.name === '_Bool')) return n === 0n ? 'false' : 'true';
    // hex beside decimal for unsigned values (flags, masks); signed ones read best in decimal
    return t.signed || n < 10n ? `${n}` : `${n} (0x${n.toString(16)})`;
  }
  if (t.k === 'agg') return `{…} at 0x${val.v.toString(16)}`;
  return 'void';
}

/** One row of the memory viewer. */
export interface MemNode {
  /** Field name, "[3]", or the expression at the root. */
  name: string;
  type: string;
  /** Byte offset from the root address. */
  offset: number;
  size: number;
  /** Scalar text; absent for aggregates (see children). */
  value?: string;
  /** Where a pointer leads. */
  target?: PointerTarget;
  kptr?: boolean;
  children?: MemNode[];
  /** Why the value could not be read. */
  error?: string;
}

export interface RenderOptions {
  /** Nesting depth of structs/arrays expanded (default 4). */
  depth?: number;
  /** Array elements shown (default 16). */
  maxElems?: number;
}

/** Render `t` at `addr` as a tree. Reads never fault the program: a bad read becomes the node's error. */
export function renderMemory(space: AddressSpace, t: VType, addr: bigint, name: string, opts: RenderOptions = {}): MemNode {
  return render(space, t, addr, name, 0, opts.depth ?? 4, opts.maxElems ?? 16);
}

function render(space: AddressSpace, t: VType, addr: bigint, name: string, offset: number, depth: number, maxElems: number): MemNode {
  const size = sizeOf(t);
  const node: MemNode = { name, type: typeName(t), offset, size };
  if (t.k === 'agg') {
    const bt = t.btf.resolve(t.id);
    if (depth <= 0) {
      node.value = '{…}';
      return node;
    }
    if (bt.kind === 'array') {
      const et = fromBtf(t.btf, bt.type);
      const es = sizeOf(et);
      node.children = [];
      const n = Math.min(bt.nelems, maxElems);
      for (let i = 0; i < n; i++) node.children.push(render(space, et, addr + BigInt(i * es), `[${i}]`, offset + i * es, depth - 1, maxElems));
      if (bt.nelems > n) node.children.push({ name: `… ${bt.nelems - n} more`, type: '', offset: offset + n * es, size: 0 });
      return node;
    }
    node.children = [];
    for (const m of t.btf.members(t.id)) {
      const mt = fromBtf(t.btf, m.type);
      const off = m.bitOffset >> 3;
      if (m.bitfieldSize > 0) {
        const child: MemNode = { name: m.name, type: `${typeName(mt)} : ${m.bitfieldSize}`, offset: offset + off, size: Math.ceil(m.bitfieldSize / 8) };
        try {
          const bytes = space.readBytes(addr + BigInt(off), Math.ceil(((m.bitOffset & 7) + m.bitfieldSize) / 8));
          let raw = 0n;
          for (let i = bytes.length - 1; i >= 0; i--) raw = (raw << 8n) | BigInt(bytes[i]!);
          child.value = `${(raw >> BigInt(m.bitOffset & 7)) & ((1n << BigInt(m.bitfieldSize)) - 1n)}`;
        } catch (e) {
          child.error = (e as Error).message;
        }
        node.children.push(child);
        continue;
      }
      node.children.push(render(space, mt, addr + BigInt(off), m.name || '<anon>', offset + off, depth - 1, maxElems));
    }
    return node;
  }
  if (t.k === 'void') return node;
  try {
    const bytes = space.readBytes(addr, size);
    let v = 0n;
    for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
    node.value = formatValue(space, { v, t });
    if (t.k === 'ptr') {
      const p = describePointer(space, v);
      if (p?.target) node.target = p.target;
      if (t.kptr) node.kptr = true;
    }
  } catch (e) {
    node.error = (e as Error).message;
  }
  return node;
}

/** The tree as indented text lines (the CLI's `print` of a struct). */
export function memoryText(n: MemNode, indent = ''): string[] {
  const head = `${indent}${n.name}${n.type ? ` (${n.type}, +0x${n.offset.toString(16)})` : ''}`;
  if (n.error) return [`${head} = <${n.error}>`];
  if (n.children === undefined) return [`${head} = ${n.value ?? '?'}${n.kptr ? ' [kptr]' : ''}`];
  return [`${head} = {`, ...n.children.flatMap((c) => memoryText(c, indent + '  ')), `${indent}}`];
}
