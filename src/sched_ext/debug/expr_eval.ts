// Evaluate a parsed debugger expression against a paused program: names
// resolve to the op's typed arguments, registers, globals and enum constants
// (EvalEnv); `->`, `.`, `[]` and `*` read the address space without faulting
// the program (a bad read is an EvalError naming the expression part).

import type { AddressSpace } from '../vm/memory';
import { BpfFault } from '../vm/fault';
import type { Btf } from '../btf/btf';
import { parseExpr, type Expr, type TypeName } from './expr_parse';
import { fromBtf, INT, normInt, S64, sizeOf, typeName, U64, type VType } from './value_type';

/** A value: scalars hold their bits in `v`; aggregates hold their address. `addr` is set for lvalues. */
export interface Value {
  v: bigint;
  t: VType;
  addr?: bigint;
}

export class EvalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvalError';
  }
}

export interface EvalEnv {
  readonly space: AddressSpace;
  /** BTFs searched for `struct X` in casts and for enum constants, most specific first (program, then kernel). */
  readonly btfs: readonly Btf[];
  /** Arguments, registers, globals, … by name. */
  lookup(name: string): Value | undefined;
}

/** Evaluate `src` (text) or an already parsed expression. Throws ExprSyntaxError or EvalError. */
export function evaluate(src: string | Expr, env: EvalEnv): Value {
  const e = typeof src === 'string' ? parseExpr(src, { isTypeName: (n) => typedefIn(env.btfs, n) !== undefined }) : src;
  return new Evaluator(env).eval(e);
}

/** Whether a value is true in a C condition. */
export function truthy(v: Value): boolean {
  return v.v !== 0n;
}

function typedefIn(btfs: readonly Btf[], name: string): { btf: Btf; id: number } | undefined {
  for (const btf of btfs) {
    const t = btf.findByName(name, 'typedef') ?? btf.findByName(name, 'int');
    if (t) return { btf, id: t.id };
  }
  return undefined;
}

const BUILTIN: Record<string, VType> = {
  u8: { k: 'int', size: 1, signed: false, name: 'u8' }, u16: { k: 'int', size: 2, signed: false, name: 'u16' },
  u32: { k: 'int', size: 4, signed: false, name: 'u32' }, u64: U64,
  s8: { k: 'int', size: 1, signed: true, name: 's8' }, s16: { k: 'int', size: 2, signed: true, name: 's16' },
  s32: { k: 'int', size: 4, signed: true, name: 's32' }, s64: S64,
  char: { k: 'int', size: 1, signed: true, name: 'char' }, short: { k: 'int', size: 2, signed: true, name: 'short' },
  int: INT, long: { k: 'int', size: 8, signed: true, name: 'long' }, 'long long': { k: 'int', size: 8, signed: true, name: 'long long' },
  unsigned: { k: 'int', size: 4, signed: false, name: 'unsigned int' }, 'unsigned int': { k: 'int', size: 4, signed: false, name: 'unsigned int' },
  'unsigned char': { k: 'int', size: 1, signed: false, name: 'unsigned char' }, 'unsigned long': { k: 'int', size: 8, signed: false, name: 'unsigned long' },
  'unsigned long long': { k: 'int', size: 8, signed: false, name: 'unsigned long long' }, bool: { k: 'int', size: 1, signed: false, name: 'bool' },
  _Bool: { k: 'int', size: 1, signed: false, name: '_Bool' }, void: { k: 'void' },
};

class Evaluator {
  private consts: Map<string, bigint> | undefined;

  constructor(private readonly env: EvalEnv) {}

  eval(e: Expr): Value {
    switch (e.k) {
      case 'num':
        return { v: BigInt.asUintN(64, e.v), t: e.v > 0x7fff_ffffn ? U64 : INT };
      case 'id':
        return this.ident(e.name);
      case 'member':
        return this.member(e.obj, e.name, e.arrow);
      case 'index':
        return this.index(e.obj, e.index);
      case 'cast':
        return this.cast(this.eval(e.e), this.resolveType(e.type));
      case 'unary':
        return this.unary(e.op, e.e);
      case 'binary':
        return this.binary(e.op, e.l, e.r);
    }
  }

  private ident(name: string): Value {
    const v = this.env.lookup(name);
    if (v) return v.addr !== undefined && v.t.k !== 'agg' ? this.load(v.addr, v.t, name) : v;
    const c = this.constant(name);
    if (c !== undefined) return { v: BigInt.asUintN(64, c), t: S64 };
    throw new EvalError(`no variable, register or constant named '${name}'`);
  }

  private constant(name: string): bigint | undefined {
    if (this.consts === undefined) {
      this.consts = new Map();
      // later BTFs first so the most specific (program) BTF wins
      for (const btf of [...this.env.btfs].reverse()) {
        for (const t of btf.types) {
          if (t.kind === 'enum' || t.kind === 'enum64') for (const ev of t.values) this.consts.set(ev.name, ev.value);
        }
      }
    }
    return this.consts.get(name);
  }

  /** Read a scalar of type `t` at `addr`; aggregates are not read, their address is the value. */
  load(addr: bigint, t: VType, what: string): Value {
    if (t.k === 'agg' || t.k === 'void') return { v: addr, t, addr };
    const size = t.k === 'ptr' ? 8 : t.size;
    let bytes: Uint8Array;
    try {
      bytes = this.env.space.readBytes(addr, size);
    } catch (err) {
      throw new EvalError(`cannot read ${what}: ${err instanceof BpfFault ? err.message : String(err)}`);
    }
    let v = 0n;
    for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
    return { v, t, addr };
  }

  private member(objE: Expr, name: string, arrow: boolean): Value {
    const obj = this.eval(objE);
    let base: bigint;
    let agg: VType;
    if (arrow) {
      if (obj.t.k !== 'ptr') throw new EvalError(`'->${name}' needs a pointer, but ${describe(objE)} is ${typeName(obj.t)}`);
      base = obj.v;
      agg = obj.t.to;
      if (base === 0n) throw new EvalError(`${describe(objE)} is NULL; cannot read ->${name}`);
    } else {
      if (obj.t.k !== 'agg' || obj.addr === undefined) throw new EvalError(`'.${name}' needs a struct, but ${describe(objE)} is ${typeName(obj.t)}`);
      base = obj.addr;
      agg = obj.t;
    }
    if (agg.k !== 'agg' || agg.btf.composite(agg.id) === undefined) throw new EvalError(`${describe(objE)} does not point at a struct or union (it is ${typeName(obj.t)})`);
    const found = agg.btf.findMember(agg.id, name);
    if (found === undefined) {
      const names = agg.btf.members(agg.id).map((m) => m.name).filter((n) => n !== '');
      throw new EvalError(`${agg.name} has no field '${name}' (fields: ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', …' : ''})`);
    }
    const ft = fromBtf(agg.btf, found.member.type);
    const what = `${describe(objE)}${arrow ? '->' : '.'}${name}`;
    const addr = base + BigInt(found.bitOffset >> 3);
    if (found.member.bitfieldSize > 0) {
      const raw = this.load(addr, { k: 'int', size: 8, signed: false, name: 'u64' }, what).v;
      const bits = BigInt(found.member.bitfieldSize);
      const v = (raw >> BigInt(found.bitOffset & 7)) & ((1n << bits) - 1n);
      return { v, t: ft };
    }
    return this.load(addr, ft, what);
  }

  private index(objE: Expr, idxE: Expr): Value {
    const obj = this.eval(objE);
    const i = this.eval(idxE);
    const idx = i.t.k === 'int' && i.t.signed ? BigInt.asIntN(64, i.v) : i.v;
    let elem: VType;
    let base: bigint;
    if (obj.t.k === 'ptr') {
      elem = obj.t.to;
      base = obj.v;
    } else if (obj.t.k === 'agg') {
      const a = obj.t.btf.resolve(obj.t.id);
      if (a.kind !== 'array' || obj.addr === undefined) throw new EvalError(`${describe(objE)} is ${typeName(obj.t)}, not an array or pointer`);
      if (idx < 0n || idx >= BigInt(a.nelems)) throw new EvalError(`index ${idx} is outside ${describe(objE)}[${a.nelems}]`);
      elem = fromBtf(obj.t.btf, a.type);
      base = obj.addr;
    } else {
      throw new EvalError(`${describe(objE)} is ${typeName(obj.t)}, not an array or pointer`);
    }
    return this.load(BigInt.asUintN(64, base + idx * BigInt(sizeOf(elem))), elem, `${describe(objE)}[${idx}]`);
  }

  private resolveType(tn: TypeName): VType {
    let t: VType | undefined = BUILTIN[tn.base];
    if (t === undefined) {
      const m = /^(struct|union|enum) (\w+)$/.exec(tn.base);
      for (const btf of this.env.btfs) {
        const found = m ? btf.findByName(m[2]!, m[1] === 'enum' ? 'enum' : (m[1] as 'struct' | 'union')) : (btf.findByName(tn.base, 'typedef') ?? btf.findByName(tn.base, 'int'));
        if (found) {
          t = fromBtf(btf, found.id);
          break;
        }
      }
    }
    if (t === undefined) throw new EvalError(`no type named '${tn.base}' in the program's or the kernel's BTF`);
    for (let i = 0; i < tn.ptr; i++) t = { k: 'ptr', to: t };
    return t;
  }

  private cast(v: Value, t: VType): Value {
    if (t.k === 'agg') throw new EvalError(`cannot cast to ${typeName(t)} (cast to a pointer and use -> or *)`);
    if (t.k === 'int') return { v: BigInt.asUintN(64, normInt(v.v, t.size, t.signed)), t };
    return { v: v.t.k === 'agg' ? (v.addr ?? v.v) : v.v, t };
  }

  private unary(op: '-' | '!' | '~' | '*' | '&' | '+', e: Expr): Value {
    if (op === '&') {
      const v = this.eval(e);
      if (v.addr === undefined) throw new EvalError(`cannot take the address of ${describe(e)}`);
      return { v: v.addr, t: { k: 'ptr', to: v.t } };
    }
    const v = this.eval(e);
    if (op === '*') {
      if (v.t.k !== 'ptr') throw new EvalError(`cannot dereference ${describe(e)} of type ${typeName(v.t)}`);
      if (v.v === 0n) throw new EvalError(`${describe(e)} is NULL`);
      return this.load(v.v, v.t.to.k === 'void' ? U64 : v.t.to, `*${describe(e)}`);
    }
    const s = arith(v.t);
    if (op === '!') return { v: v.v === 0n ? 1n : 0n, t: INT };
    if (op === '+') return { v: v.v, t: s };
    if (op === '-') return { v: BigInt.asUintN(64, -v.v), t: s };
    return { v: BigInt.asUintN(64, ~v.v), t: s };
  }

  private binary(op: string, le: Expr, re: Expr): Value {
    if (op === '&&') return { v: truthy(this.eval(le)) && truthy(this.eval(re)) ? 1n : 0n, t: INT };
    if (op === '||') return { v: truthy(this.eval(le)) || truthy(this.eval(re)) ? 1n : 0n, t: INT };
    const l = this.eval(le);
    const r = this.eval(re);
    // pointer arithmetic scales by the pointee's size, as in C
    if ((op === '+' || op === '-') && l.t.k === 'ptr' && r.t.k === 'int') {
      const step = BigInt(sizeOf(l.t.to)) * signedOf(r);
      return { v: BigInt.asUintN(64, op === '+' ? l.v + step : l.v - step), t: l.t };
    }
    const signed = isSigned(l.t) && isSigned(r.t);
    const a = signed ? signedOf(l) : l.v;
    const b = signed ? signedOf(r) : r.v;
    const t = signed ? S64 : U64;
    const cmp = (x: boolean): Value => ({ v: x ? 1n : 0n, t: INT });
    switch (op) {
      case '==': return cmp(a === b);
      case '!=': return cmp(a !== b);
      case '<': return cmp(a < b);
      case '<=': return cmp(a <= b);
      case '>': return cmp(a > b);
      case '>=': return cmp(a >= b);
      case '+': return { v: BigInt.asUintN(64, a + b), t };
      case '-': return { v: BigInt.asUintN(64, a - b), t };
      case '*': return { v: BigInt.asUintN(64, a * b), t };
      case '/':
      case '%':
        if (b === 0n) throw new EvalError(`division by zero in ${describe(re)}`);
        return { v: BigInt.asUintN(64, op === '/' ? a / b : a % b), t };
      case '&': return { v: l.v & r.v, t };
      case '|': return { v: l.v | r.v, t };
      case '^': return { v: l.v ^ r.v, t };
      case '<<': return { v: BigInt.asUintN(64, l.v << (r.v & 63n)), t };
      case '>>': return { v: signed ? BigInt.asUintN(64, a >> (r.v & 63n)) : l.v >> (r.v & 63n), t };
    }
    throw new EvalError(`unknown operator ${op}`);
  }
}

/** The value as a signed number, by its type's width and signedness. */
function signedOf(v: Value): bigint {
  if (v.t.k === 'int') return normInt(v.v, v.t.size, v.t.signed);
  return BigInt.asIntN(64, v.v);
}

function isSigned(t: VType): boolean {
  // like C's usual conversions: anything narrower than 64 bits promotes to a signed type
  return t.k === 'int' && (t.signed || t.size < 8);
}

function arith(t: VType): VType {
  return isSigned(t) ? S64 : U64;
}

/** Short text of an expression for messages. */
export function describe(e: Expr): string {
  switch (e.k) {
    case 'num': return e.v.toString();
    case 'id': return e.name;
    case 'member': return `${describe(e.obj)}${e.arrow ? '->' : '.'}${e.name}`;
    case 'index': return `${describe(e.obj)}[${describe(e.index)}]`;
    case 'unary': return `${e.op}${describe(e.e)}`;
    case 'cast': return `(${e.type.base}${e.type.ptr ? ' ' + '*'.repeat(e.type.ptr) : ''})${describe(e.e)}`;
    case 'binary': return `${describe(e.l)} ${e.op} ${describe(e.r)}`;
  }
}
