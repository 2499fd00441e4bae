// Decode the .BTF section (Documentation/bpf/btf.rst §2 "BTF Type and String
// Encoding"). Everything here reads untrusted bytes: every offset is checked
// against its section before use, and failures are LoadErrors that name the
// type id and byte offset.

import { LoadError } from '../base/load_error';
import type { BtfType, Member, EnumValue, Param, VarSecInfo } from './types';
import { referencedType } from './types';

export const BTF_MAGIC = 0xeb9f;
const MAX_VLEN = 0xffff;
/** The kernel refuses modifier/pointer chains deeper than this (MAX_RESOLVE_DEPTH). */
export const MAX_RESOLVE_DEPTH = 32;

export interface ParsedBtf {
  types: BtfType[];
  strings: Uint8Array;
}

/** A bounds-checked string table: NUL-terminated names by byte offset. */
export class StringTable {
  private readonly cache = new Map<number, string>();
  constructor(
    readonly bytes: Uint8Array,
    private readonly what: string,
  ) {}

  get(off: number, where?: { typeId?: number; offset?: number }): string {
    const hit = this.cache.get(off);
    if (hit !== undefined) return hit;
    if (off < 0 || off >= this.bytes.length) {
      throw new LoadError('btf_string', `${this.what} string offset ${off} is outside the ${this.bytes.length}-byte string section; the object is corrupt, rebuild it`, where);
    }
    let end = off;
    while (end < this.bytes.length && this.bytes[end] !== 0) end++;
    if (end >= this.bytes.length) {
      throw new LoadError('btf_string', `${this.what} string at offset ${off} is not NUL-terminated`, where);
    }
    const s = decodeAscii(this.bytes, off, end);
    this.cache.set(off, s);
    return s;
  }
}

const utf8 = new TextDecoder();

function decodeAscii(b: Uint8Array, start: number, end: number): string {
  // names are almost always ASCII: build them directly, which is far cheaper than TextDecoder per name
  let s = '';
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    if (c >= 0x80) return utf8.decode(b.subarray(start, end));
    s += String.fromCharCode(c);
  }
  return s;
}

export function parseBtf(bytes: Uint8Array): ParsedBtf {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 24) throw new LoadError('btf_bad', `BTF header needs 24 bytes, section has ${bytes.length}`, { offset: 0 });
  const magic = dv.getUint16(0, true);
  if (magic !== BTF_MAGIC) {
    const hint = magic === 0x9feb ? ' (big-endian BTF is not supported)' : '';
    throw new LoadError('btf_bad', `bad BTF magic 0x${magic.toString(16)}${hint}`, { offset: 0 });
  }
  if (dv.getUint8(2) !== 1) throw new LoadError('btf_bad', `unsupported BTF version ${dv.getUint8(2)}`, { offset: 2 });
  const hdrLen = dv.getUint32(4, true);
  const typeOff = dv.getUint32(8, true);
  const typeLen = dv.getUint32(12, true);
  const strOff = dv.getUint32(16, true);
  const strLen = dv.getUint32(20, true);
  if (hdrLen < 24 || hdrLen > bytes.length) throw new LoadError('btf_bad', `BTF header length ${hdrLen} is invalid`, { offset: 4 });
  const body = bytes.length - hdrLen;
  if (typeOff + typeLen > body || typeOff % 4 !== 0) {
    throw new LoadError('btf_bad', `BTF type section [${typeOff}, +${typeLen}) runs past the ${body}-byte body`, { offset: 8 });
  }
  if (strOff + strLen > body || strLen === 0) {
    throw new LoadError('btf_bad', `BTF string section [${strOff}, +${strLen}) runs past the ${body}-byte body`, { offset: 16 });
  }
  const strings = bytes.subarray(hdrLen + strOff, hdrLen + strOff + strLen);
  if (strings[0] !== 0) throw new LoadError('btf_string', 'BTF string section must start with an empty string', { offset: hdrLen + strOff });
  const strs = new StringTable(strings, 'BTF');
  const types = decodeTypes(dv, hdrLen + typeOff, hdrLen + typeOff + typeLen, strs);
  validateRefs(types);
  return { types, strings };
}

function decodeTypes(dv: DataView, start: number, end: number, strs: StringTable): BtfType[] {
  const types: BtfType[] = [{ kind: 'void', id: 0, name: '' }];
  let p = start;
  const need = (n: number, id: number): void => {
    if (p + n > end) throw new LoadError('btf_bad', `type [${id}] runs past the end of the type section`, { typeId: id, offset: p });
  };
  while (p < end) {
    const id = types.length;
    need(12, id);
    const nameOff = dv.getUint32(p, true);
    const info = dv.getUint32(p + 4, true);
    const sizeOrType = dv.getUint32(p + 8, true);
    const where = { typeId: id, offset: p };
    p += 12;
    const vlen = info & MAX_VLEN;
    const kind = (info >>> 24) & 0x1f;
    const kflag = (info >>> 31) !== 0;
    const name = strs.get(nameOff, where);
    switch (kind) {
      case 1: {
        need(4, id);
        const enc = dv.getUint32(p, true);
        p += 4;
        const e = (enc >>> 24) & 0x0f;
        types.push({ kind: 'int', id, name, size: sizeOrType, signed: (e & 1) !== 0, char: (e & 2) !== 0, bool: (e & 4) !== 0, bitOffset: (enc >>> 16) & 0xff, bits: enc & 0xff });
        break;
      }
      case 2:
      case 8:
      case 9:
      case 10:
      case 11:
      case 18: {
        const k = ({ 2: 'ptr', 8: 'typedef', 9: 'volatile', 10: 'const', 11: 'restrict', 18: 'type_tag' } as const)[kind];
        types.push({ kind: k, id, name, type: sizeOrType });
        break;
      }
      case 3: {
        need(12, id);
        types.push({ kind: 'array', id, name, type: dv.getUint32(p, true), indexType: dv.getUint32(p + 4, true), nelems: dv.getUint32(p + 8, true) });
        p += 12;
        break;
      }
      case 4:
      case 5: {
        need(12 * vlen, id);
        const members: Member[] = [];
        for (let i = 0; i < vlen; i++, p += 12) {
          const off = dv.getUint32(p + 8, true);
          members.push({
            name: strs.get(dv.getUint32(p, true), { typeId: id, offset: p }),
            type: dv.getUint32(p + 4, true),
            bitOffset: kflag ? off & 0xffffff : off,
            bitfieldSize: kflag ? off >>> 24 : 0,
          });
        }
        types.push({ kind: kind === 4 ? 'struct' : 'union', id, name, size: sizeOrType, members });
        break;
      }
      case 6:
      case 19: {
        const rec = kind === 6 ? 8 : 12;
        need(rec * vlen, id);
        const values: EnumValue[] = [];
        for (let i = 0; i < vlen; i++, p += rec) {
          const vname = strs.get(dv.getUint32(p, true), { typeId: id, offset: p });
          let value: bigint;
          if (kind === 6) value = kflag ? BigInt(dv.getInt32(p + 4, true)) : BigInt(dv.getUint32(p + 4, true));
          else {
            const raw = (BigInt(dv.getUint32(p + 8, true)) << 32n) | BigInt(dv.getUint32(p + 4, true));
            value = kflag ? BigInt.asIntN(64, raw) : raw;
          }
          values.push({ name: vname, value });
        }
        types.push({ kind: kind === 6 ? 'enum' : 'enum64', id, name, size: sizeOrType, signed: kflag, values });
        break;
      }
      case 7:
        types.push({ kind: 'fwd', id, name, union: kflag });
        break;
      case 12:
        types.push({ kind: 'func', id, name, type: sizeOrType, linkage: vlen });
        break;
      case 13: {
        need(8 * vlen, id);
        const params: Param[] = [];
        for (let i = 0; i < vlen; i++, p += 8) {
          params.push({ name: strs.get(dv.getUint32(p, true), { typeId: id, offset: p }), type: dv.getUint32(p + 4, true) });
        }
        types.push({ kind: 'func_proto', id, name, type: sizeOrType, params });
        break;
      }
      case 14: {
        need(4, id);
        types.push({ kind: 'var', id, name, type: sizeOrType, linkage: dv.getUint32(p, true) });
        p += 4;
        break;
      }
      case 15: {
        need(12 * vlen, id);
        const vars: VarSecInfo[] = [];
        for (let i = 0; i < vlen; i++, p += 12) {
          vars.push({ type: dv.getUint32(p, true), offset: dv.getUint32(p + 4, true), size: dv.getUint32(p + 8, true) });
        }
        types.push({ kind: 'datasec', id, name, size: sizeOrType, vars });
        break;
      }
      case 16:
        types.push({ kind: 'float', id, name, size: sizeOrType });
        break;
      case 17: {
        need(4, id);
        types.push({ kind: 'decl_tag', id, name, type: sizeOrType, componentIdx: dv.getInt32(p, true) });
        p += 4;
        break;
      }
      default:
        throw new LoadError('btf_bad', `unknown BTF kind ${kind}`, where);
    }
  }
  return types;
}

/** Every referenced id exists, and no chain of references loops (the kernel's btf_resolve rejects loops). */
function validateRefs(types: BtfType[]): void {
  const n = types.length;
  const check = (ref: number, id: number, what: string): void => {
    if (ref >= n) throw new LoadError('btf_type_ref', `${what} refers to type [${ref}], but there are only ${n - 1} types`, { typeId: id });
  };
  for (const t of types) {
    const ref = referencedType(t);
    if (ref !== undefined) check(ref, t.id, `${t.kind} '${t.name}'`);
    if (t.kind === 'array') check(t.indexType, t.id, 'array index type');
    if (t.kind === 'struct' || t.kind === 'union') for (const m of t.members) check(m.type, t.id, `member '${m.name}'`);
    if (t.kind === 'func_proto') for (const p of t.params) check(p.type, t.id, `parameter '${p.name}'`);
    if (t.kind === 'datasec') for (const v of t.vars) check(v.type, t.id, 'datasec variable');
  }
  // A chain through modifiers, pointers and array elements must reach a
  // terminal kind within MAX_RESOLVE_DEPTH steps; otherwise it loops.
  const ok = new Uint8Array(n);
  for (const t of types) {
    let cur: BtfType = t;
    const seen: number[] = [];
    for (;;) {
      if (ok[cur.id]) break;
      const next = chainNext(cur);
      if (next === undefined) break;
      seen.push(cur.id);
      if (seen.length > MAX_RESOLVE_DEPTH || seen.includes(next)) {
        throw new LoadError('btf_loop', `type references loop or nest deeper than ${MAX_RESOLVE_DEPTH}: ${[...seen, next].map((i) => `[${i}]`).join(' -> ')}`, { typeId: t.id });
      }
      cur = types[next]!;
    }
    for (const id of seen) ok[id] = 1;
    ok[t.id] = 1;
  }
  // A struct may not contain itself by value (directly or through arrays).
  const state = new Uint8Array(n); // 0 unvisited, 1 in progress, 2 done
  const visit = (id: number, depth: number): void => {
    if (state[id] === 2) return;
    if (state[id] === 1 || depth > 1024) throw new LoadError('btf_loop', `type [${id}] contains itself by value`, { typeId: id });
    state[id] = 1;
    const t = types[id]!;
    if (t.kind === 'struct' || t.kind === 'union') for (const m of t.members) visit(valueTarget(types, m.type), depth + 1);
    else if (t.kind === 'array') visit(valueTarget(types, t.type), depth + 1);
    state[id] = 2;
  };
  for (const t of types) if (t.kind === 'struct' || t.kind === 'union') visit(t.id, 0);
}

function chainNext(t: BtfType): number | undefined {
  switch (t.kind) {
    case 'ptr':
    case 'typedef':
    case 'volatile':
    case 'const':
    case 'restrict':
    case 'type_tag':
    case 'array':
      return t.type;
    default:
      return undefined;
  }
}

/** Skip modifiers and typedefs (not pointers): what a member holds by value. Chains are validated already. */
function valueTarget(types: BtfType[], id: number): number {
  let t = types[id]!;
  for (let i = 0; i <= MAX_RESOLVE_DEPTH; i++) {
    if (t.kind === 'typedef' || t.kind === 'volatile' || t.kind === 'const' || t.kind === 'restrict' || t.kind === 'type_tag') t = types[t.type]!;
    else break;
  }
  return t.id;
}
