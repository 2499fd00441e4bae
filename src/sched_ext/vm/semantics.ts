// The meaning of every non-control-flow instruction, written once as
// JavaScript source templates. The interpreter instantiates them inside a
// switch over opcodes (operands read from register arrays); the JIT
// instantiates them per instruction with registers as local variables and
// immediates as literals. One definition means the two engines cannot drift
// apart on arithmetic, memory checks or atomics (RFC 9669 rules cited inline).
//
// Generated code may use these names, which both engines provide:
//   t, u, g, o, v, w, x, y   scratch locals
//   OUT, mul64, udiv64, ...   from int64.ts
//   regions                   the AddressSpace's region table
//   space, memSlow(space, insn, lo, hi, size, write), alignFault(space, insn, lo, hi, size)

import { ALU, ATOMIC, CAST_KERN_IMM, JMP, LO_BASE_LITERAL, MODE, SIZE } from './semantics_consts';

/** A register (or immediate) as two int32 expressions; for a destination, lvalues. */
export interface Operand {
  l: string;
  h: string;
}

function lit(s: string): number | undefined {
  return /^-?\d+$/.test(s) ? Number(s) : undefined;
}

/** ALU/ALU64 instruction body. `off` selects sdiv/smod and movsx; `imm` the byte-swap width. */
export function aluCode(code: number, is64: boolean, off: number, imm: number, toBe: boolean, D: Operand, S: Operand): string {
  return is64 ? alu64(code, off, imm, D, S) : alu32(code, off, imm, toBe, D, S);
}

function alu64(code: number, off: number, imm: number, D: Operand, S: Operand): string {
  const { l: dl, h: dh } = D;
  const { l: sl, h: sh } = S;
  switch (code) {
    case ALU.ADD: return `t = (${dl} + ${sl}) | 0; ${dh} = (${dh} + ${sh} + ((t >>> 0) < (${dl} >>> 0) ? 1 : 0)) | 0; ${dl} = t;`;
    case ALU.SUB: return `t = (${dl} - ${sl}) | 0; ${dh} = (${dh} - ${sh} - ((${dl} >>> 0) < (${sl} >>> 0) ? 1 : 0)) | 0; ${dl} = t;`;
    case ALU.MUL: return mul64Code(D, S);
    case ALU.DIV: return `t = ${off === 1 ? 'sdiv64' : 'udiv64'}(${dl}, ${dh}, ${sl}, ${sh}); ${dh} = OUT.hi; ${dl} = t;`;
    case ALU.MOD: return `t = ${off === 1 ? 'smod64' : 'umod64'}(${dl}, ${dh}, ${sl}, ${sh}); ${dh} = OUT.hi; ${dl} = t;`;
    case ALU.OR: return `${dl} = ${dl} | ${sl}; ${dh} = ${dh} | ${sh};`;
    case ALU.AND: return `${dl} = ${dl} & ${sl}; ${dh} = ${dh} & ${sh};`;
    case ALU.XOR: return `${dl} = ${dl} ^ ${sl}; ${dh} = ${dh} ^ ${sh};`;
    case ALU.LSH: return shift64('lsh', D, sl);
    case ALU.RSH: return shift64('rsh', D, sl);
    case ALU.ARSH: return shift64('arsh', D, sl);
    case ALU.NEG: return `t = (-${dl}) | 0; ${dh} = (~${dh} + (${dl} === 0 ? 1 : 0)) | 0; ${dl} = t;`;
    case ALU.MOV:
      // MOVSX (off 8/16/32) sign-extends the source's low bits to 64 bits.
      if (off === 8) return `t = (${sl} << 24) >> 24; ${dl} = t; ${dh} = t >> 31;`;
      if (off === 16) return `t = (${sl} << 16) >> 16; ${dl} = t; ${dh} = t >> 31;`;
      if (off === 32) return `t = ${sl}; ${dl} = t; ${dh} = t >> 31;`;
      // off 1 is addr_space_cast. An arena pointer here is the same value in
      // both address spaces (arena region id : LO_BASE + offset). The kernel
      // keeps only the low 32 bits of any other value (cast_kern is the
      // 32-bit move wD = wS; cast_user ORs in user_vm_start's upper half), so
      // such a value's low word is an arena offset: cast_kern (imm 1) puts it
      // into the arena, as the JIT adds kern_vm_start (a NULL __arena
      // dereference reads arena offset 0; a stray upper half is dropped, not
      // a fault); cast_user (imm 1 << 16) gives NULL for offset 0, else that
      // offset in the arena. space.arenaHi is the object's arena (0: none,
      // and then both casts copy).
      if (off === 1 && imm === CAST_KERN_IMM) return `t = ${sh}; ${dl} = ${sl}; ${dh} = t; if (t !== space.arenaHi && space.arenaHi !== 0) { ${dh} = space.arenaHi; ${dl} = (${dl} + ${LO_BASE_LITERAL}) | 0; }`;
      if (off === 1) return `t = ${sh}; ${dl} = ${sl}; ${dh} = t; if (space.arenaHi !== 0) { if (t === space.arenaHi ? ${dl} === ${LO_BASE_LITERAL} : ${dl} === 0) { ${dl} = 0; ${dh} = 0; } else if (t !== space.arenaHi) { ${dh} = space.arenaHi; ${dl} = (${dl} + ${LO_BASE_LITERAL}) | 0; } }`;
      return `t = ${sh}; ${dl} = ${sl}; ${dh} = t;`;
    case ALU.END:
      // BSWAP (ALU64 class) swaps unconditionally and zero-extends 16/32.
      if (imm === 16) return `${dl} = bswap16(${dl}); ${dh} = 0;`;
      if (imm === 32) return `${dl} = bswap32(${dl}); ${dh} = 0;`;
      return `t = bswap32(${dh}); ${dh} = bswap32(${dl}); ${dl} = t;`;
  }
  throw new Error(`alu64: no template for op 0x${code.toString(16)}`);
}

/**
 * 64-bit multiply, inlined (int64.ts mul64/umulhi written out): the high half
 * is umulhi(lo, lo) from 16-bit limbs plus the two cross products. Inlined
 * rather than called because whether TurboFan inlines a call to mul64 into a
 * big generated function depends on feedback timing under concurrent
 * compilation, which made JIT speed bimodal across processes (2x on calls).
 */
function mul64Code(D: Operand, S: Operand): string {
  const { l: dl, h: dh } = D;
  const { l: sl, h: sh } = S;
  return `x = ${dl} >>> 0; y = ${sl} >>> 0; t = (x & 65535) * (y & 65535); u = (x & 65535) * (y >>> 16); o = (x >>> 16) * (y & 65535);
  w = (t >>> 16) + (u & 65535) + (o & 65535);
  ${dh} = ((x >>> 16) * (y >>> 16) + (u >>> 16) + (o >>> 16) + (w >>> 16) + Math.imul(${dl}, ${sh}) + Math.imul(${dh}, ${sl})) | 0; ${dl} = Math.imul(x, y);`;
}

/** 64-bit shifts: inlined when the count is a literal (the common case), else a call. */
function shift64(kind: 'lsh' | 'rsh' | 'arsh', D: Operand, sl: string): string {
  const { l: dl, h: dh } = D;
  const k = lit(sl);
  if (k === undefined) return `t = ${kind}64(${dl}, ${dh}, ${sl}); ${dh} = OUT.hi; ${dl} = t;`;
  const n = k & 63;
  if (n === 0) return '';
  if (kind === 'lsh') {
    if (n < 32) return `${dh} = (${dh} << ${n}) | (${dl} >>> ${32 - n}); ${dl} = ${dl} << ${n};`;
    return `${dh} = ${dl} << ${n - 32}; ${dl} = 0;`;
  }
  if (kind === 'rsh') {
    if (n < 32) return `${dl} = (${dl} >>> ${n}) | (${dh} << ${32 - n}); ${dh} = (${dh} >>> ${n}) | 0;`;
    return `${dl} = (${dh} >>> ${n - 32}) | 0; ${dh} = 0;`;
  }
  if (n < 32) return `${dl} = (${dl} >>> ${n}) | (${dh} << ${32 - n}); ${dh} = ${dh} >> ${n};`;
  return `${dl} = ${dh} >> ${n - 32}; ${dh} = ${dh} >> 31;`;
}

// ALU32: operate on the low halves; every result zero-extends (RFC 9669 §4.1).
// JavaScript's 32-bit shifts already mask the count with & 31 as the RFC asks.
function alu32(code: number, off: number, imm: number, toBe: boolean, D: Operand, S: Operand): string {
  const { l: dl, h: dh } = D;
  const sl = S.l;
  const z = `${dh} = 0;`;
  switch (code) {
    case ALU.ADD: return `${dl} = (${dl} + ${sl}) | 0; ${z}`;
    case ALU.SUB: return `${dl} = (${dl} - ${sl}) | 0; ${z}`;
    case ALU.MUL: return `${dl} = Math.imul(${dl}, ${sl}); ${z}`;
    case ALU.DIV: return `${dl} = ${off === 1 ? 'sdiv32' : 'udiv32'}(${dl}, ${sl}); ${z}`;
    case ALU.MOD: return `${dl} = ${off === 1 ? 'smod32' : 'umod32'}(${dl}, ${sl}); ${z}`;
    case ALU.OR: return `${dl} = ${dl} | ${sl}; ${z}`;
    case ALU.AND: return `${dl} = ${dl} & ${sl}; ${z}`;
    case ALU.XOR: return `${dl} = ${dl} ^ ${sl}; ${z}`;
    case ALU.LSH: return `${dl} = ${dl} << ${sl}; ${z}`;
    case ALU.RSH: return `${dl} = (${dl} >>> ${sl}) | 0; ${z}`;
    case ALU.ARSH: return `${dl} = ${dl} >> ${sl}; ${z}`;
    case ALU.NEG: return `${dl} = (-${dl}) | 0; ${z}`;
    case ALU.MOV:
      if (off === 8) return `${dl} = (${sl} << 24) >> 24; ${z}`;
      if (off === 16) return `${dl} = (${sl} << 16) >> 16; ${z}`;
      return `${dl} = ${sl}; ${z}`;
    case ALU.END:
      // The host (like every BPF target we model) is little-endian: "to LE"
      // only truncates, "to BE" swaps.
      if (!toBe) {
        if (imm === 16) return `${dl} = ${dl} & 0xffff; ${z}`;
        if (imm === 32) return z;
        return '';
      }
      if (imm === 16) return `${dl} = bswap16(${dl}); ${z}`;
      if (imm === 32) return `${dl} = bswap32(${dl}); ${z}`;
      return `t = bswap32(${dh}); ${dh} = bswap32(${dl}); ${dl} = t;`;
  }
  throw new Error(`alu32: no template for op 0x${code.toString(16)}`);
}

/** Branch condition as a boolean expression. */
export function condition(code: number, is32: boolean, D: Operand, S: Operand): string {
  const { l: dl, h: dh } = D;
  const { l: sl, h: sh } = S;
  if (is32) {
    switch (code) {
      case JMP.JEQ: return `${dl} === ${sl}`;
      case JMP.JNE: return `${dl} !== ${sl}`;
      case JMP.JGT: return `(${dl} >>> 0) > (${sl} >>> 0)`;
      case JMP.JGE: return `(${dl} >>> 0) >= (${sl} >>> 0)`;
      case JMP.JLT: return `(${dl} >>> 0) < (${sl} >>> 0)`;
      case JMP.JLE: return `(${dl} >>> 0) <= (${sl} >>> 0)`;
      case JMP.JSGT: return `${dl} > ${sl}`;
      case JMP.JSGE: return `${dl} >= ${sl}`;
      case JMP.JSLT: return `${dl} < ${sl}`;
      case JMP.JSLE: return `${dl} <= ${sl}`;
      case JMP.JSET: return `(${dl} & ${sl}) !== 0`;
    }
  } else {
    const eqh = `${dh} === ${sh}`;
    const u = (op: string): string => `(${eqh} ? (${dl} >>> 0) ${op} (${sl} >>> 0) : (${dh} >>> 0) ${op} (${sh} >>> 0))`;
    const s = (op: string): string => `(${eqh} ? (${dl} >>> 0) ${op} (${sl} >>> 0) : ${dh} ${op} ${sh})`;
    switch (code) {
      case JMP.JEQ: return `(${dl} === ${sl} && ${eqh})`;
      case JMP.JNE: return `(${dl} !== ${sl} || ${dh} !== ${sh})`;
      case JMP.JGT: return u('>');
      case JMP.JGE: return u('>=');
      case JMP.JLT: return u('<');
      case JMP.JLE: return u('<=');
      case JMP.JSGT: return s('>');
      case JMP.JSGE: return s('>=');
      case JMP.JSLT: return s('<');
      case JMP.JSLE: return s('<=');
      case JMP.JSET: return `((${dl} & ${sl}) !== 0 || (${dh} & ${sh}) !== 0)`;
    }
  }
  throw new Error(`condition: no template for op 0x${code.toString(16)}`);
}

/**
 * Compute the effective address base + off into (t, u) and resolve it to a
 * region g and offset o. An access the inline check refuses goes to memSlow,
 * which either resolves it through a paged region (an arena: its region has
 * size 0 so every access comes here, and unmapped pages read 0 and drop
 * writes like the kernel's fault fix-up) or throws the same BpfFault
 * AddressSpace.resolveHalves would. The common path is unchanged.
 * `off` is a literal string for the JIT or an expression for the interpreter.
 */
export function addressCode(B: Operand, off: string, size: number, write: boolean, insn: string): string {
  const addr = effectiveAddress(B, off);
  const bad = `g === undefined || g.freed || o < 0 || o > g.size - ${size}${write ? ' || g.readonly' : ''}`;
  return `${addr} g = regions[u >>> 0]; o = (t >>> 0) - ${LO_BASE_LITERAL}; if (${bad}) { g = memSlow(space, ${insn}, t, u, ${size}, ${write}); o = space.slowOffset; }`;
}

/** base + off into the halves (t, u): the 64-bit add with the carry or borrow into the high half. */
function effectiveAddress(B: Operand, off: string): string {
  const k = lit(off);
  if (k === 0) return `t = ${B.l}; u = ${B.h};`;
  if (k !== undefined && k > 0) return `t = (${B.l} + ${k}) | 0; u = (t >>> 0) < (${B.l} >>> 0) ? (${B.h} + 1) | 0 : ${B.h};`;
  if (k !== undefined) return `t = (${B.l} + ${k}) | 0; u = (t >>> 0) > (${B.l} >>> 0) ? (${B.h} - 1) | 0 : ${B.h};`;
  return `t = (${B.l} + ${off}) | 0; u = ${off} < 0 ? ((t >>> 0) > (${B.l} >>> 0) ? (${B.h} - 1) | 0 : ${B.h}) : ((t >>> 0) < (${B.l} >>> 0) ? (${B.h} + 1) | 0 : ${B.h});`;
}

/**
 * The JIT's region cache for one base register: the region id it last
 * resolved (h), that region's view (v), and the largest offset + 1 a read
 * (r) and a write (w) may reach, -1 when every access must take the checked
 * path (no region, freed, a reporting stand-in, read-only for w). Only a
 * native call can free or replace a region while compiled code runs, so the
 * JIT resets every cache after one (cacheReset); a paged region (an arena)
 * has size 0, so its accesses always reach memSlow.
 */
export interface RegionCache {
  readonly h: string;
  readonly v: string;
  readonly r: string;
  readonly w: string;
}

/** Regions at least this large are never cached (their offsets would not stay int32). */
const CACHE_MAX_SIZE = 0x7fff_ffff;

/** Forget a cached region (h = 0 is NULL, so it never names a live one). */
export function cacheReset(C: RegionCache): string {
  return `${C.h} = 0; ${C.r} = -1; ${C.w} = -1;`;
}

/**
 * addressCode through a RegionCache: when the address's region id is the
 * cached one, the check is one unsigned compare of the offset against the
 * cached limit, and v is the cached view. Anything the cache cannot accept
 * (a miss on a bad region, out of bounds, read-only, freed, paged) takes
 * memSlow exactly as addressCode does, so faults and arena accesses are
 * unchanged. Sets t, u, o and v.
 */
export function cachedAddressCode(B: Operand, off: string, size: number, write: boolean, insn: string, C: RegionCache): string {
  const fill = `if (u !== ${C.h}) { g = regions[u >>> 0]; ${C.h} = u; `
    + `if (g === undefined || g.freed || g.size > ${CACHE_MAX_SIZE}) { ${C.r} = -1; ${C.w} = -1; } `
    + `else { ${C.v} = g.view; ${C.r} = g.size; ${C.w} = g.readonly ? -1 : g.size; } }`;
  const limit = write ? C.w : C.r;
  return `${effectiveAddress(B, off)} ${fill} o = (t - ${LO_BASE_LITERAL}) | 0; `
    + `if ((o >>> 0) > ${limit} - ${size}) { v = memSlow(space, ${insn}, t, u, ${size}, ${write}).view; o = space.slowOffset; } else v = ${C.v};`;
}

const accessBytes = (op: number): number => {
  const size = op & 0x18;
  return size === SIZE.DW ? 8 : size === SIZE.W ? 4 : size === SIZE.H ? 2 : 1;
};

/** loadCode through a RegionCache (the JIT's plain loads). */
export function cachedLoadCode(op: number, D: Operand, B: Operand, off: string, insn: string, C: RegionCache): string {
  const signed = (op & 0xe0) === 0x80;
  const bytes = accessBytes(op);
  const a = cachedAddressCode(B, off, bytes, false, insn, C);
  if (bytes === 8) return `${a} ${D.l} = v.getInt32(o, true); ${D.h} = v.getInt32(o + 4, true);`;
  const get = bytes === 4 ? 'getInt32' : bytes === 2 ? (signed ? 'getInt16' : 'getUint16') : signed ? 'getInt8' : 'getUint8';
  return `${a} ${D.l} = v.${get}(o, true); ${D.h} = ${signed ? `${D.l} >> 31` : '0'};`;
}

/** storeCode through a RegionCache (the JIT's plain stores). */
export function cachedStoreCode(op: number, B: Operand, S: Operand, off: string, insn: string, C: RegionCache): string {
  const bytes = accessBytes(op);
  const a = cachedAddressCode(B, off, bytes, true, insn, C);
  if (bytes === 8) return `${a} v.setInt32(o, ${S.l}, true); v.setInt32(o + 4, ${S.h}, true);`;
  const set = bytes === 4 ? 'setInt32' : bytes === 2 ? 'setInt16' : 'setInt8';
  return `${a} v.${set}(o, ${S.l}, true);`;
}

/** LDX (MEM or MEMSX): D = *(size *)(B + off). */
export function loadCode(op: number, D: Operand, B: Operand, off: string, insn: string): string {
  const signed = (op & 0xe0) === 0x80;
  const size = op & 0x18;
  const bytes = size === SIZE.DW ? 8 : size === SIZE.W ? 4 : size === SIZE.H ? 2 : 1;
  const a = addressCode(B, off, bytes, false, insn);
  const { l: dl, h: dh } = D;
  if (bytes === 8) return `${a} v = g.view; ${dl} = v.getInt32(o, true); ${dh} = v.getInt32(o + 4, true);`;
  const get = bytes === 4 ? 'getInt32' : bytes === 2 ? (signed ? 'getInt16' : 'getUint16') : signed ? 'getInt8' : 'getUint8';
  return `${a} ${dl} = g.view.${get}(o, true); ${dh} = ${signed ? `${dl} >> 31` : '0'};`;
}

/** ST/STX (MEM): *(size *)(B + off) = S. */
export function storeCode(op: number, B: Operand, S: Operand, off: string, insn: string): string {
  const size = op & 0x18;
  const bytes = size === SIZE.DW ? 8 : size === SIZE.W ? 4 : size === SIZE.H ? 2 : 1;
  const a = addressCode(B, off, bytes, true, insn);
  if (bytes === 8) return `${a} v = g.view; v.setInt32(o, ${S.l}, true); v.setInt32(o + 4, ${S.h}, true);`;
  const set = bytes === 4 ? 'setInt32' : bytes === 2 ? 'setInt16' : 'setInt8';
  return `${a} g.view.${set}(o, ${S.l}, true);`;
}

/**
 * STX ATOMIC: add/or/and/xor (optionally fetching the old value into S),
 * xchg, and cmpxchg (compares with and returns into r0). 32-bit forms
 * zero-extend whatever they write back to a register. Misaligned atomics
 * fault, as they would on the architectures the kernel JITs for.
 */
export function atomicCode(op: number, imm: number, B: Operand, S: Operand, R0: Operand, off: string, insn: string): string {
  // One simulated CPU runs at a time, so acquire/release order nothing: a
  // plain load into the destination (zero-extended) or a plain store.
  if (imm === ATOMIC.LOAD_ACQ) return loadCode(MODE.MEM | (op & 0x18), B, S, off, insn);
  if (imm === ATOMIC.STORE_REL) return storeCode(op & 0x18, B, S, off, insn);
  const is64 = (op & 0x18) === SIZE.DW;
  const n = is64 ? 8 : 4;
  const a = addressCode(B, off, n, true, insn) + ` if ((o & ${n - 1}) !== 0) alignFault(space, ${insn}, t, u, ${n});`;
  const code = imm & ~ATOMIC.FETCH;
  const fetch = (imm & ATOMIC.FETCH) !== 0;
  if (is64) {
    const read = `v = g.view; x = v.getInt32(o, true); y = v.getInt32(o + 4, true);`;
    const write = (lo: string, hi: string): string => `v.setInt32(o, ${lo}, true); v.setInt32(o + 4, ${hi}, true);`;
    if (imm === ATOMIC.XCHG) return `${a} ${read} ${write(S.l, S.h)} ${S.l} = x; ${S.h} = y;`;
    if (imm === ATOMIC.CMPXCHG) {
      return `${a} ${read} if (x === ${R0.l} && y === ${R0.h}) { ${write(S.l, S.h)} } ${R0.l} = x; ${R0.h} = y;`;
    }
    const opx = code === ATOMIC.ADD ? null : code === ATOMIC.OR ? '|' : code === ATOMIC.AND ? '&' : '^';
    const combine = opx === null
      ? `w = (x + ${S.l}) | 0; ${write('w', `(y + ${S.h} + ((w >>> 0) < (x >>> 0) ? 1 : 0)) | 0`)}`
      : write(`x ${opx} ${S.l}`, `y ${opx} ${S.h}`);
    return `${a} ${read} ${combine}${fetch ? ` ${S.l} = x; ${S.h} = y;` : ''}`;
  }
  const read = `v = g.view; x = v.getInt32(o, true);`;
  if (imm === ATOMIC.XCHG) return `${a} ${read} v.setInt32(o, ${S.l}, true); ${S.l} = x; ${S.h} = 0;`;
  if (imm === ATOMIC.CMPXCHG) {
    return `${a} ${read} if (x === ${R0.l}) v.setInt32(o, ${S.l}, true); ${R0.l} = x; ${R0.h} = 0;`;
  }
  const expr = code === ATOMIC.ADD ? `(x + ${S.l}) | 0` : code === ATOMIC.OR ? `x | ${S.l}` : code === ATOMIC.AND ? `x & ${S.l}` : `x ^ ${S.l}`;
  return `${a} ${read} v.setInt32(o, ${expr}, true);${fetch ? ` ${S.l} = x; ${S.h} = 0;` : ''}`;
}
