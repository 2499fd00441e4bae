// 64-bit arithmetic on (lo, hi) int32 halves, the representation both engines
// keep in registers so that the hot path never touches BigInt. Each function
// returns the low half and leaves the high half in OUT.hi; both engines (and
// the JIT's generated code, which receives these functions as closure
// constants) use the same functions, so they cannot disagree.

export const OUT = { hi: 0 };

const TWO32 = 4294967296;

/** High 32 bits of the unsigned 64-bit product of two u32 values. */
export function umulhi(a: number, b: number): number {
  const al = a & 0xffff, ah = a >>> 16, bl = b & 0xffff, bh = b >>> 16;
  const lolo = al * bl, lohi = al * bh, hilo = ah * bl, hihi = ah * bh;
  const cross = (lolo >>> 16) + (lohi & 0xffff) + (hilo & 0xffff);
  return (hihi + (lohi >>> 16) + (hilo >>> 16) + (cross >>> 16)) | 0;
}

export function mul64(alo: number, ahi: number, blo: number, bhi: number): number {
  OUT.hi = (umulhi(alo >>> 0, blo >>> 0) + Math.imul(alo, bhi) + Math.imul(ahi, blo)) | 0;
  return Math.imul(alo, blo);
}

// BigInt <-> halves through one shared 8-byte buffer: storing into a
// BigUint64Array wraps modulo 2^64 and the int32 view reads the halves, which
// is several times faster than shifting and masking BigInts.
const U64 = new BigUint64Array(1);
const I32 = new Int32Array(U64.buffer);

export function toBig(lo: number, hi: number): bigint {
  I32[0] = lo;
  I32[1] = hi;
  return U64[0]!;
}

/** Split a bigint (taken modulo 2^64) into halves: returns lo, OUT.hi = hi. */
export function fromBig(v: bigint): number {
  U64[0] = v;
  OUT.hi = I32[1]!;
  return I32[0]!;
}

/** Split a JS number that holds a signed integer (a native's return value). */
export function fromNumber(n: number): number {
  if ((n | 0) === n) {
    OUT.hi = n < 0 ? -1 : 0;
    return n;
  }
  if (!Number.isFinite(n)) {
    OUT.hi = 0;
    return 0;
  }
  const t = Math.trunc(n);
  OUT.hi = Math.floor(t / TWO32) | 0;
  return (t >>> 0) | 0;
}

// RFC 9669: unsigned DIV by zero gives 0; MOD by zero leaves the dividend.
export function udiv64(alo: number, ahi: number, blo: number, bhi: number): number {
  if (blo === 0 && bhi === 0) {
    OUT.hi = 0;
    return 0;
  }
  if (ahi === 0 && bhi === 0) {
    OUT.hi = 0;
    return Math.floor((alo >>> 0) / (blo >>> 0)) | 0;
  }
  return fromBig(toBig(alo, ahi) / toBig(blo, bhi));
}

export function umod64(alo: number, ahi: number, blo: number, bhi: number): number {
  if (blo === 0 && bhi === 0) {
    OUT.hi = ahi;
    return alo;
  }
  if (ahi === 0 && bhi === 0) {
    OUT.hi = 0;
    return ((alo >>> 0) % (blo >>> 0)) | 0;
  }
  return fromBig(toBig(alo, ahi) % toBig(blo, bhi));
}

// SDIV/SMOD (off = 1): signed, truncating toward zero; LLONG_MIN / -1 wraps
// to LLONG_MIN and LLONG_MIN % -1 is 0, as the kernel's interpreter computes.
export function sdiv64(alo: number, ahi: number, blo: number, bhi: number): number {
  if (blo === 0 && bhi === 0) {
    OUT.hi = 0;
    return 0;
  }
  const a = BigInt.asIntN(64, toBig(alo, ahi));
  const b = BigInt.asIntN(64, toBig(blo, bhi));
  return fromBig(a / b);
}

export function smod64(alo: number, ahi: number, blo: number, bhi: number): number {
  if (blo === 0 && bhi === 0) {
    OUT.hi = ahi;
    return alo;
  }
  const a = BigInt.asIntN(64, toBig(alo, ahi));
  const b = BigInt.asIntN(64, toBig(blo, bhi));
  return fromBig(a % b);
}

export function udiv32(a: number, b: number): number {
  return b === 0 ? 0 : Math.floor((a >>> 0) / (b >>> 0)) | 0;
}

export function umod32(a: number, b: number): number {
  return b === 0 ? a : ((a >>> 0) % (b >>> 0)) | 0;
}

export function sdiv32(a: number, b: number): number {
  if (b === 0) return 0;
  if (a === -0x8000_0000 && b === -1) return a;
  return Math.trunc(a / b) | 0;
}

export function smod32(a: number, b: number): number {
  if (b === 0) return a;
  if (b === -1) return 0;
  return (a % b) | 0;
}

// Shifts mask the count (& 63) as RFC 9669 requires.
export function lsh64(lo: number, hi: number, n: number): number {
  n &= 63;
  if (n === 0) {
    OUT.hi = hi;
    return lo;
  }
  if (n < 32) {
    OUT.hi = (hi << n) | (lo >>> (32 - n));
    return lo << n;
  }
  OUT.hi = lo << (n - 32);
  return 0;
}

export function rsh64(lo: number, hi: number, n: number): number {
  n &= 63;
  if (n === 0) {
    OUT.hi = hi;
    return lo;
  }
  if (n < 32) {
    OUT.hi = hi >>> n;
    return ((lo >>> n) | (hi << (32 - n))) | 0;
  }
  OUT.hi = 0;
  return (hi >>> (n - 32)) | 0;
}

export function arsh64(lo: number, hi: number, n: number): number {
  n &= 63;
  if (n === 0) {
    OUT.hi = hi;
    return lo;
  }
  if (n < 32) {
    OUT.hi = hi >> n;
    return ((lo >>> n) | (hi << (32 - n))) | 0;
  }
  OUT.hi = hi >> 31;
  return hi >> (n - 32);
}

export function bswap32(x: number): number {
  return ((x >>> 24) | ((x >>> 8) & 0xff00) | ((x & 0xff00) << 8) | (x << 24)) | 0;
}

export function bswap16(x: number): number {
  return ((x >>> 8) & 0xff) | ((x & 0xff) << 8);
}

/** Unsigned a < b over 64 bits. */
export function ult64(alo: number, ahi: number, blo: number, bhi: number): boolean {
  return ahi === bhi ? alo >>> 0 < blo >>> 0 : ahi >>> 0 < bhi >>> 0;
}

/** Signed a < b over 64 bits. */
export function slt64(alo: number, ahi: number, blo: number, bhi: number): boolean {
  return ahi === bhi ? alo >>> 0 < blo >>> 0 : ahi < bhi;
}
