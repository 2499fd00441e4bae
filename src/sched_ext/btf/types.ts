// The BTF type model (Documentation/bpf/btf.rst, "BTF Type and String
// Encoding"). Each kind becomes one variant of a discriminated union; ids are
// the 1-based positions in the type section, 0 is void.

export const BTF_KIND = {
  UNKN: 0,
  INT: 1,
  PTR: 2,
  ARRAY: 3,
  STRUCT: 4,
  UNION: 5,
  ENUM: 6,
  FWD: 7,
  TYPEDEF: 8,
  VOLATILE: 9,
  CONST: 10,
  RESTRICT: 11,
  FUNC: 12,
  FUNC_PROTO: 13,
  VAR: 14,
  DATASEC: 15,
  FLOAT: 16,
  DECL_TAG: 17,
  TYPE_TAG: 18,
  ENUM64: 19,
} as const;

export type KindName =
  | 'void'
  | 'int'
  | 'ptr'
  | 'array'
  | 'struct'
  | 'union'
  | 'enum'
  | 'fwd'
  | 'typedef'
  | 'volatile'
  | 'const'
  | 'restrict'
  | 'func'
  | 'func_proto'
  | 'var'
  | 'datasec'
  | 'float'
  | 'decl_tag'
  | 'type_tag'
  | 'enum64';

interface TypeBase {
  id: number;
  name: string;
}

export interface VoidType extends TypeBase {
  kind: 'void';
}
export interface IntType extends TypeBase {
  kind: 'int';
  size: number;
  signed: boolean;
  char: boolean;
  bool: boolean;
  /** BTF_INT_OFFSET and BTF_INT_BITS of the extra u32. */
  bitOffset: number;
  bits: number;
}
/** Kinds that only refer to another type. */
export interface RefType extends TypeBase {
  kind: 'ptr' | 'typedef' | 'volatile' | 'const' | 'restrict' | 'type_tag';
  type: number;
}
export interface ArrayType extends TypeBase {
  kind: 'array';
  type: number;
  indexType: number;
  nelems: number;
}
export interface Member {
  name: string;
  type: number;
  /** Bit offset from the start of the struct. */
  bitOffset: number;
  /** Non-zero only for bitfields (kind_flag set and a size in the top byte). */
  bitfieldSize: number;
}
export interface CompositeType extends TypeBase {
  kind: 'struct' | 'union';
  size: number;
  members: Member[];
}
export interface EnumValue {
  name: string;
  value: bigint;
}
export interface EnumType extends TypeBase {
  kind: 'enum' | 'enum64';
  size: number;
  /** kind_flag: values are signed. */
  signed: boolean;
  values: EnumValue[];
}
export interface FwdType extends TypeBase {
  kind: 'fwd';
  union: boolean;
}
export interface FuncType extends TypeBase {
  kind: 'func';
  /** The FUNC_PROTO. */
  type: number;
  /** 0 static, 1 global, 2 extern. */
  linkage: number;
}
export interface Param {
  name: string;
  type: number;
}
export interface FuncProtoType extends TypeBase {
  kind: 'func_proto';
  /** Return type. */
  type: number;
  params: Param[];
}
export interface VarType extends TypeBase {
  kind: 'var';
  type: number;
  /** 0 static, 1 global allocated, 2 extern. */
  linkage: number;
}
export interface VarSecInfo {
  type: number;
  offset: number;
  size: number;
}
export interface DatasecType extends TypeBase {
  kind: 'datasec';
  size: number;
  vars: VarSecInfo[];
}
export interface FloatType extends TypeBase {
  kind: 'float';
  size: number;
}
export interface DeclTagType extends TypeBase {
  kind: 'decl_tag';
  type: number;
  /** -1 tags the type/variable/function itself, otherwise a member or parameter index. */
  componentIdx: number;
}

export type BtfType =
  | VoidType
  | IntType
  | RefType
  | ArrayType
  | CompositeType
  | EnumType
  | FwdType
  | FuncType
  | FuncProtoType
  | VarType
  | DatasecType
  | FloatType
  | DeclTagType;

export const VAR_LINKAGE = { STATIC: 0, GLOBAL: 1, EXTERN: 2 } as const;
export const FUNC_LINKAGE = { STATIC: 0, GLOBAL: 1, EXTERN: 2 } as const;

/** The type id a type refers to, for the kinds that refer to exactly one. */
export function referencedType(t: BtfType): number | undefined {
  switch (t.kind) {
    case 'ptr':
    case 'typedef':
    case 'volatile':
    case 'const':
    case 'restrict':
    case 'type_tag':
    case 'array':
    case 'func':
    case 'var':
    case 'decl_tag':
    case 'func_proto':
      return t.type;
    default:
      return undefined;
  }
}
