// Values typed by BTF over raw bytes: what a libbpf skeleton's C struct
// gives user space (`skel->rodata->pair_cpu[i] = v`), for the `--set` parser
// and the setup module's skeleton. Integers are range-checked against their
// C type (nothing wraps modulo 2^N), `char[N]` takes strings, arrays and
// structs are walked by index and member name, and every refusal names the
// place (`pair_cpu[9]`) and the type (`u32[8]`).

import type { Btf } from './btf';
import type { BtfType } from './types';

export class TypedValueError extends Error {
  constructor(
    /** The place written, e.g. "pair_cpu[9]" or "cfg.slice_ns". */
    readonly label: string,
    readonly detail: string,
  ) {
    super(`${label}: ${detail}`);
    this.name = 'TypedValueError';
  }
}

export type PathSeg = { field: string } | { index: number };

/** A typed place inside a byte buffer. Bitfields carry their bit position within `offset`. */
export interface TypedPlace {
  typeId: number;
  offset: number;
  label: string;
  bitOffset?: number;
  bitSize?: number;
}

/** C spelling of a type for messages: "u32", "char[16]", "struct cfg", "u32[8]". */
export function typeDesc(btf: Btf, id: number): string {
  try {
    // qualifiers say nothing about what a value may be
    return btf.cName(id).replace(/\b(const|volatile)\s+/g, '').replace(/\s+\[/g, '[');
  } catch {
    return `type [${id}]`;
  }
}

interface IntBounds {
  min: bigint;
  max: bigint;
  bytes: number;
  signed: boolean;
  bool: boolean;
}

/** The integer range of an int, enum, bool or pointer type; undefined for anything else. */
export function intBounds(btf: Btf, id: number): IntBounds | undefined {
  const t = btf.resolve(id);
  let bytes: number;
  let signed: boolean;
  let bool = false;
  let bits: number;
  if (t.kind === 'int') {
    bytes = t.size;
    signed = t.signed;
    bool = t.bool;
    bits = t.bits || t.size * 8;
  } else if (t.kind === 'enum' || t.kind === 'enum64') {
    bytes = t.size;
    signed = t.signed;
    bits = t.size * 8;
  } else if (t.kind === 'ptr') {
    bytes = 8;
    signed = false;
    bits = 64;
  } else return undefined;
  if (bool) return { min: 0n, max: 1n, bytes, signed: false, bool };
  const b = BigInt(bits);
  return signed ? { min: -(1n << (b - 1n)), max: (1n << (b - 1n)) - 1n, bytes, signed, bool } : { min: 0n, max: (1n << b) - 1n, bytes, signed, bool };
}

function isCharArray(btf: Btf, t: BtfType): boolean {
  if (t.kind !== 'array') return false;
  const e = btf.resolve(t.type);
  return e.kind === 'int' && e.size === 1 && (e.char || e.name === 'char' || e.name === 'unsigned char' || e.name === 'signed char');
}

/** Step one member or index from `place`. Anonymous members are searched through, as C does. */
export function step(btf: Btf, place: TypedPlace, seg: PathSeg): TypedPlace {
  const t = btf.resolve(place.typeId);
  if ('index' in seg) {
    const label = `${place.label}[${seg.index}]`;
    if (t.kind !== 'array') throw new TypedValueError(label, `${place.label} is a ${typeDesc(btf, place.typeId)}, not an array`);
    if (!Number.isInteger(seg.index) || seg.index < 0 || seg.index >= t.nelems) {
      throw new TypedValueError(label, `index ${seg.index} is out of bounds (${place.label} is ${typeDesc(btf, place.typeId)}, indexes 0 to ${t.nelems - 1})`);
    }
    return { typeId: t.type, offset: place.offset + seg.index * btf.sizeOf(t.type), label };
  }
  const label = `${place.label}.${seg.field}`;
  if (t.kind !== 'struct' && t.kind !== 'union') throw new TypedValueError(label, `${place.label} is a ${typeDesc(btf, place.typeId)}, which has no members`);
  const found = btf.findMember(t.id, seg.field);
  if (found === undefined) {
    const names = t.members.map((m) => m.name).filter((n) => n !== '');
    throw new TypedValueError(label, `${typeDesc(btf, t.id)} has no member ${seg.field} (members: ${names.join(', ') || 'none'})`);
  }
  const m = found.member;
  if (m.bitfieldSize > 0) return { typeId: m.type, offset: place.offset, label, bitOffset: found.bitOffset, bitSize: m.bitfieldSize };
  return { typeId: m.type, offset: place.offset + found.bitOffset / 8, label };
}

export function locate(btf: Btf, root: TypedPlace, path: readonly PathSeg[]): TypedPlace {
  let p = root;
  for (const seg of path) p = step(btf, p, seg);
  return p;
}

/** A JS value as an integer of the place's type: numbers must be safe integers, bigint as is, booleans 0/1, enumerator names for enums. */
export function coerceInteger(btf: Btf, place: TypedPlace, value: unknown): bigint {
  const bounds = intBounds(btf, place.typeId);
  const desc = typeDesc(btf, place.typeId);
  if (bounds === undefined) throw new TypedValueError(place.label, `${place.label} is a ${desc}, not an integer`);
  let v: bigint;
  if (typeof value === 'bigint') v = value;
  else if (typeof value === 'boolean') v = value ? 1n : 0n;
  else if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new TypedValueError(place.label, `${desc} takes integers; ${value} is not one`);
    if (!Number.isSafeInteger(value)) throw new TypedValueError(place.label, `${value} is beyond a double's exact integers; pass a BigInt (${desc})`);
    v = BigInt(value);
  } else if (typeof value === 'string') {
    v = enumerator(btf, place, value) ?? fail(place.label, `${desc} takes a number, not the string "${value}"`);
  } else {
    throw new TypedValueError(place.label, `${desc} takes a number, not ${value === null ? 'null' : typeof value}`);
  }
  checkRange(place, desc, bounds, v, String(value));
  return v;
}

function enumerator(btf: Btf, place: TypedPlace, name: string): bigint | undefined {
  const t = btf.resolve(place.typeId);
  if (t.kind !== 'enum' && t.kind !== 'enum64') return undefined;
  return t.values.find((x) => x.name === name)?.value;
}

function fail(label: string, detail: string): never {
  throw new TypedValueError(label, detail);
}

function checkRange(place: TypedPlace, desc: string, b: IntBounds, v: bigint, shown: string): void {
  const max = place.bitSize !== undefined ? (b.signed ? (1n << BigInt(place.bitSize - 1)) - 1n : (1n << BigInt(place.bitSize)) - 1n) : b.max;
  const min = place.bitSize !== undefined && b.signed ? -(1n << BigInt(place.bitSize - 1)) : b.min;
  const what = place.bitSize !== undefined ? `a ${place.bitSize}-bit ${desc} bitfield` : `a ${desc}`;
  if (v < min || v > max) throw new TypedValueError(place.label, `${shown} is out of range: ${place.label} is ${what} (${min} to ${max})`);
}

/**
 * Text as an integer of the place's type, for `--set`: decimal, 0x hex, 0b
 * binary, a leading minus, true/false, or an enumerator name of an enum type.
 * Refuses anything else, and values outside the type's range.
 */
export function parseIntegerText(btf: Btf, place: TypedPlace, text: string): bigint {
  const bounds = intBounds(btf, place.typeId);
  const desc = typeDesc(btf, place.typeId);
  if (bounds === undefined) throw new TypedValueError(place.label, `${place.label} is a ${desc}, not an integer`);
  let v: bigint | undefined;
  const s = text.trim();
  if (s === 'true' || s === 'false') v = s === 'true' ? 1n : 0n;
  else if (/^-?(0x[0-9a-f]+|0b[01]+|\d+)$/i.test(s)) v = s.startsWith('-') ? -BigInt(s.slice(1)) : BigInt(s);
  else v = enumerator(btf, place, s);
  if (v === undefined) throw new TypedValueError(place.label, `"${text}" is not an integer; ${place.label} is a ${desc} (give decimal, 0x hex, true or false)`);
  checkRange(place, desc, bounds, v, s);
  return v;
}

function writeLE(bytes: Uint8Array, offset: number, size: number, v: bigint): void {
  let x = BigInt.asUintN(size * 8, v);
  for (let i = 0; i < size; i++) {
    bytes[offset + i] = Number(x & 0xffn);
    x >>= 8n;
  }
}

function readLE(bytes: Uint8Array, offset: number, size: number): bigint {
  let x = 0n;
  for (let i = size - 1; i >= 0; i--) x = (x << 8n) | BigInt(bytes[offset + i]!);
  return x;
}

function checkFits(bytes: Uint8Array, place: TypedPlace, size: number): void {
  if (place.offset < 0 || place.offset + size > bytes.length) {
    throw new TypedValueError(place.label, `[${place.offset}, +${size}) lies outside its ${bytes.length}-byte buffer`);
  }
}

/** Store an integer already range-checked for the place (bitfields by read-modify-write of the bytes they span). */
export function storeInteger(btf: Btf, bytes: Uint8Array, place: TypedPlace, v: bigint): void {
  if (place.bitSize !== undefined && place.bitOffset !== undefined) {
    const first = place.offset + Math.floor(place.bitOffset / 8);
    const shift = BigInt(place.bitOffset % 8);
    const span = Math.ceil((Number(shift) + place.bitSize) / 8);
    const mask = ((1n << BigInt(place.bitSize)) - 1n) << shift;
    const old = readLE(bytes, first, span);
    writeLE(bytes, first, span, (old & ~mask) | ((BigInt.asUintN(place.bitSize, v) << shift) & mask));
    return;
  }
  const size = btf.sizeOf(place.typeId);
  checkFits(bytes, place, size);
  writeLE(bytes, place.offset, size, v);
}

/** A JS value as bytes at `place`: integers, strings for char[N], arrays from JS arrays, structs from plain objects (members not named keep their bytes), Uint8Array as raw bytes. */
export function writeTyped(btf: Btf, bytes: Uint8Array, place: TypedPlace, value: unknown): void {
  const t = btf.resolve(place.typeId);
  const desc = typeDesc(btf, place.typeId);
  if (place.bitSize === undefined && value instanceof Uint8Array) {
    const size = btf.sizeOf(place.typeId);
    if (value.length > size) throw new TypedValueError(place.label, `${value.length} bytes do not fit a ${size}-byte ${desc}`);
    checkFits(bytes, place, size);
    bytes.fill(0, place.offset, place.offset + size);
    bytes.set(value, place.offset);
    return;
  }
  if (intBounds(btf, place.typeId) !== undefined) {
    storeInteger(btf, bytes, place, coerceInteger(btf, place, value));
    return;
  }
  if (t.kind === 'array') {
    if (typeof value === 'string') {
      if (!isCharArray(btf, t)) throw new TypedValueError(place.label, `${desc} takes an array, not a string`);
      const enc = new TextEncoder().encode(value);
      if (enc.length + 1 > t.nelems) throw new TypedValueError(place.label, `"${value}" needs ${enc.length + 1} bytes with its NUL; ${desc} holds ${t.nelems}`);
      checkFits(bytes, place, t.nelems);
      bytes.fill(0, place.offset, place.offset + t.nelems);
      bytes.set(enc, place.offset);
      return;
    }
    if (!Array.isArray(value)) throw new TypedValueError(place.label, `${desc} takes an array${isCharArray(btf, t) ? ' or a string' : ''}, not ${typeof value}`);
    if (value.length > t.nelems) throw new TypedValueError(place.label, `${value.length} elements do not fit ${desc}`);
    const esize = btf.sizeOf(t.type);
    checkFits(bytes, place, esize * t.nelems);
    // like a C initializer, elements not given are zero
    bytes.fill(0, place.offset + value.length * esize, place.offset + t.nelems * esize);
    value.forEach((v: unknown, i: number) => writeTyped(btf, bytes, step(btf, place, { index: i }), v));
    return;
  }
  if (t.kind === 'struct' || t.kind === 'union') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypedValueError(place.label, `${desc} takes an object of members, not ${Array.isArray(value) ? 'an array' : typeof value}`);
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) writeTyped(btf, bytes, step(btf, place, { field: k }), v);
    return;
  }
  throw new TypedValueError(place.label, `a ${desc} cannot be written from user space`);
}

export type TypedJs = number | bigint | boolean | string | TypedJs[] | { [member: string]: TypedJs };

/** The value at `place` as plain JS: ints up to 32 bits as numbers, 64-bit ints and pointers as BigInt, bool as boolean, char[N] as a string. */
export function readTyped(btf: Btf, bytes: Uint8Array, place: TypedPlace): TypedJs {
  const t = btf.resolve(place.typeId);
  const b = intBounds(btf, place.typeId);
  if (b !== undefined) {
    let raw: bigint;
    let bits: number;
    if (place.bitSize !== undefined && place.bitOffset !== undefined) {
      const first = place.offset + Math.floor(place.bitOffset / 8);
      const shift = BigInt(place.bitOffset % 8);
      const span = Math.ceil((Number(shift) + place.bitSize) / 8);
      raw = (readLE(bytes, first, span) >> shift) & ((1n << BigInt(place.bitSize)) - 1n);
      bits = place.bitSize;
    } else {
      checkFits(bytes, place, b.bytes);
      raw = readLE(bytes, place.offset, b.bytes);
      bits = b.bytes * 8;
    }
    const v = b.signed ? BigInt.asIntN(bits, raw) : raw;
    if (b.bool) return v !== 0n;
    return b.bytes > 4 ? v : Number(v);
  }
  if (t.kind === 'array') {
    if (isCharArray(btf, t)) {
      checkFits(bytes, place, t.nelems);
      const s = bytes.subarray(place.offset, place.offset + t.nelems);
      const nul = s.indexOf(0);
      return new TextDecoder().decode(nul < 0 ? s : s.subarray(0, nul));
    }
    return Array.from({ length: t.nelems }, (_, i) => readTyped(btf, bytes, step(btf, place, { index: i })));
  }
  if (t.kind === 'struct' || t.kind === 'union') {
    const out: Record<string, TypedJs> = {};
    for (const m of t.members) {
      if (m.name === '') continue;
      out[m.name] = readTyped(btf, bytes, step(btf, place, { field: m.name }));
    }
    return out;
  }
  if (t.kind === 'float') {
    const v = new DataView(bytes.buffer, bytes.byteOffset + place.offset, t.size);
    return t.size === 4 ? v.getFloat32(0, true) : v.getFloat64(0, true);
  }
  return Array.from(bytes.subarray(place.offset, place.offset + btf.sizeOf(place.typeId))).map(Number);
}

/**
 * `name[0].field[2]` → the variable name and the path after it. Refuses
 * anything that is not a C identifier followed by `[N]` / `.member` steps.
 */
export function parsePlacePath(text: string): { name: string; path: PathSeg[] } | undefined {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)((?:\[\d+\]|\.[A-Za-z_][A-Za-z0-9_]*)*)$/.exec(text.trim());
  if (m === null) return undefined;
  const path: PathSeg[] = [];
  for (const s of m[2]!.matchAll(/\[(\d+)\]|\.([A-Za-z_][A-Za-z0-9_]*)/g)) path.push(s[1] !== undefined ? { index: Number(s[1]) } : { field: s[2]! });
  return { name: m[1]!, path };
}
