// Queries over one BTF blob: look types up by id or name, see through
// modifiers, compute sizes and member offsets, and read the tags that give
// kptrs and graph roots their meaning. The C spelling and dump live in
// c_dump.ts; the decoding in parse.ts.

import { LoadError } from '../base/load_error';
import { parseBtf, MAX_RESOLVE_DEPTH } from './parse';
import type { BtfType, CompositeType, KindName, Member } from './types';
import { cName as cNameOf, dumpC } from './c_dump';

export interface ResolvedMember extends Member {
  /** Index in the struct's member list. */
  index: number;
}

export interface MemberPath {
  /** Byte offset from the start of the outer struct (bitfields: of the containing byte). */
  offset: number;
  size: number;
  typeId: number;
  bitOffset: number;
  bitfieldSize: number;
}

export class Btf {
  readonly types: readonly BtfType[];
  private byName: Map<string, number[]> | undefined;
  private declTagIndex: Map<number, number[]> | undefined;

  private constructor(
    types: BtfType[],
    readonly strings: Uint8Array,
  ) {
    this.types = types;
  }

  static parse(bytes: Uint8Array): Btf {
    const { types, strings } = parseBtf(bytes);
    return new Btf(types, strings);
  }

  /** An object without .BTF: only void. */
  static empty(): Btf {
    return new Btf([{ kind: 'void', id: 0, name: '' }], new Uint8Array(1));
  }

  get count(): number {
    return this.types.length;
  }

  type(id: number): BtfType {
    const t = this.types[id];
    if (t === undefined) throw new LoadError('btf_type_ref', `no BTF type [${id}] (the BTF has ${this.types.length - 1} types)`, { typeId: id });
    return t;
  }

  /** All ids of types named `name`, optionally of one kind. */
  findAllByName(name: string, kind?: KindName): number[] {
    if (this.byName === undefined) {
      this.byName = new Map();
      for (const t of this.types) {
        if (t.name === '') continue;
        const list = this.byName.get(t.name);
        if (list) list.push(t.id);
        else this.byName.set(t.name, [t.id]);
      }
    }
    const ids = this.byName.get(name) ?? [];
    return kind === undefined ? ids : ids.filter((id) => this.types[id]!.kind === kind);
  }

  /** The first type named `name` (of `kind` if given), or undefined. */
  findByName(name: string, kind?: KindName): BtfType | undefined {
    const id = this.findAllByName(name, kind)[0];
    return id === undefined ? undefined : this.types[id];
  }

  /** See through typedef/const/volatile/restrict/type_tag to the underlying type. */
  resolve(id: number): BtfType {
    let t = this.type(id);
    for (let i = 0; i <= MAX_RESOLVE_DEPTH; i++) {
      if (t.kind === 'typedef' || t.kind === 'const' || t.kind === 'volatile' || t.kind === 'restrict' || t.kind === 'type_tag') {
        t = this.type(t.type);
      } else return t;
    }
    throw new LoadError('btf_loop', `type [${id}] resolves through more than ${MAX_RESOLVE_DEPTH} modifiers`, { typeId: id });
  }

  /** Like resolve, but also skips VAR to its type. */
  resolveVar(id: number): BtfType {
    const t = this.type(id);
    return t.kind === 'var' ? this.resolve(t.type) : this.resolve(id);
  }

  /** Byte size of a type, like btf__resolve_size. Throws for void, functions, forward declarations. */
  sizeOf(id: number): number {
    let t = this.resolve(id);
    let mult = 1;
    for (let i = 0; i <= MAX_RESOLVE_DEPTH; i++) {
      switch (t.kind) {
        case 'int':
        case 'struct':
        case 'union':
        case 'enum':
        case 'enum64':
        case 'float':
        case 'datasec':
          return mult * t.size;
        case 'ptr':
          return mult * 8;
        case 'array':
          mult *= t.nelems;
          t = this.resolve(t.type);
          continue;
        case 'var':
          t = this.resolve(t.type);
          continue;
        default:
          throw new LoadError('btf_bad', `type [${id}] (${t.kind} '${t.name}') has no size`, { typeId: id });
      }
    }
    throw new LoadError('btf_loop', `type [${id}] nests arrays deeper than ${MAX_RESOLVE_DEPTH}`, { typeId: id });
  }

  /** Members of a struct or union (after resolving modifiers), with their index. */
  members(id: number): ResolvedMember[] {
    const t = this.resolve(id);
    if (t.kind !== 'struct' && t.kind !== 'union') return [];
    return t.members.map((m, index) => ({ ...m, index }));
  }

  composite(id: number): CompositeType | undefined {
    const t = this.resolve(id);
    return t.kind === 'struct' || t.kind === 'union' ? t : undefined;
  }

  /**
   * Walk a dotted member path ('scx.dsq_vtime') from a named struct. Anonymous
   * struct/union members are searched through, as C does.
   */
  memberPath(structName: string, path: string): MemberPath {
    const root = this.findByName(structName, 'struct') ?? this.findByName(structName, 'union');
    if (root === undefined) throw new LoadError('btf_type_ref', `no struct ${structName} in BTF`);
    let typeId = root.id;
    let bitOffset = 0;
    let last: Member | undefined;
    for (const part of path.split('.')) {
      const found = this.findMember(typeId, part);
      if (found === undefined) throw new LoadError('btf_type_ref', `struct ${structName} has no member '${path}' (missing '${part}')`, { member: path });
      bitOffset += found.bitOffset;
      last = found.member;
      typeId = found.member.type;
    }
    const bitfieldSize = last?.bitfieldSize ?? 0;
    return { offset: Math.floor(bitOffset / 8), size: bitfieldSize ? Math.ceil(bitfieldSize / 8) : this.sizeOf(typeId), typeId, bitOffset, bitfieldSize };
  }

  /** Find a member by name, looking into anonymous members. Returns its bit offset from `typeId`'s start. */
  findMember(typeId: number, name: string): { member: Member; bitOffset: number; index: number } | undefined {
    // each anonymous type is searched once: hostile BTF could otherwise nest them exponentially
    return this.findMemberIn(typeId, name, 0, new Set());
  }

  private findMemberIn(typeId: number, name: string, depth: number, searched: Set<number>): { member: Member; bitOffset: number; index: number } | undefined {
    const t = this.composite(typeId);
    if (t === undefined || depth > MAX_RESOLVE_DEPTH || searched.has(t.id)) return undefined;
    searched.add(t.id);
    for (let i = 0; i < t.members.length; i++) {
      const m = t.members[i]!;
      if (m.name === name) return { member: m, bitOffset: m.bitOffset, index: i };
    }
    for (let i = 0; i < t.members.length; i++) {
      const m = t.members[i]!;
      if (m.name !== '') continue;
      const inner = this.findMemberIn(m.type, name, depth + 1, searched);
      if (inner) return { member: inner.member, bitOffset: m.bitOffset + inner.bitOffset, index: i };
    }
    return undefined;
  }

  /** Type tags on a pointer's pointee chain: `int __kptr *p` gives ['kptr']. Accepts the PTR or its target. */
  typeTags(id: number): string[] {
    let t = this.type(id);
    if (t.kind === 'ptr') t = this.type(t.type);
    const tags: string[] = [];
    for (let i = 0; i <= MAX_RESOLVE_DEPTH; i++) {
      if (t.kind === 'type_tag') tags.push(t.name);
      else if (t.kind !== 'const' && t.kind !== 'volatile' && t.kind !== 'restrict') break;
      t = this.type(t.type);
    }
    return tags;
  }

  /** Decl tags attached to a type (componentIdx -1) or one of its members/params. */
  declTags(id: number, memberIndex?: number): string[] {
    if (this.declTagIndex === undefined) {
      this.declTagIndex = new Map();
      for (const t of this.types) {
        if (t.kind !== 'decl_tag') continue;
        const list = this.declTagIndex.get(t.type);
        if (list) list.push(t.id);
        else this.declTagIndex.set(t.type, [t.id]);
      }
    }
    const want = memberIndex ?? -1;
    const out: string[] = [];
    for (const tagId of this.declTagIndex.get(id) ?? []) {
      const tag = this.types[tagId]!;
      if (tag.kind === 'decl_tag' && tag.componentIdx === want) out.push(tag.name);
    }
    return out;
  }

  /** The C spelling of a type: "struct task_struct *", "const volatile u64". */
  cName(id: number): string {
    return cNameOf(this, id);
  }

  /** All named types as C declarations, for `inspect --btf`. */
  dumpC(): string {
    return dumpC(this);
  }
}
