// The names generated code (interpreter and JIT) may call, passed in as
// parameters of the factory built with new Function, so both engines see
// exactly the same helpers.

import { BpfFault } from './fault';
import * as I from './int64';
import { AddressSpace, LO_BASE, type Region } from './memory';

/**
 * Throws the fault AddressSpace.resolveHalves reports for this access (same
 * text as natives get). `_insn` is unused here: the JIT passes `ip = N` in
 * that position so the faulting instruction is recorded only on the fault path.
 */
function memFault(space: AddressSpace, _insn: number, lo: number, hi: number, size: number, write: boolean): never {
  space.resolveHalves(lo, hi, size, write);
  throw new BpfFault('bad_pointer', `${size}-byte access at 0x${(hi >>> 0).toString(16)}:${(lo >>> 0).toString(16)} was refused`);
}

/**
 * An access the inline check refused: a paged region (an arena) resolves it
 * to a page view and sets space.slowOffset; anything else goes through
 * AddressSpace.resolveHalves, which throws the fault memFault would.
 */
function memSlow(space: AddressSpace, insn: number, lo: number, hi: number, size: number, write: boolean): Region {
  const page = space.resolvePaged(lo, hi, size, write);
  if (page !== undefined) return page;
  const region = space.regions[hi >>> 0];
  if (region?.reportUse !== undefined && space.reportedAccess(region, (lo >>> 0) - LO_BASE, size, write, insn)) return region;
  // The JIT's region cache refuses regions of 2 GiB or more (their offsets
  // are not int32): resolveHalves allows such an access or throws its fault.
  const at = space.resolveHalves(lo, hi, size, write);
  space.slowOffset = at.offset;
  return at.region;
}

/** Atomics must be naturally aligned (the kernel's JITs emit LOCK-prefixed or LL/SC ops that require it). */
function alignFault(space: AddressSpace, _insn: number, lo: number, hi: number, size: number): never {
  const region = space.regions[hi >>> 0];
  const offset = (lo >>> 0) - LO_BASE;
  throw new BpfFault('misaligned', `${size}-byte atomic at offset ${offset} of ${region?.name ?? 'memory'} is not ${size}-byte aligned`, {
    address: (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0),
    region: region?.name,
  });
}

const scope = {
  OUT: I.OUT, mul64: I.mul64, udiv64: I.udiv64, sdiv64: I.sdiv64, umod64: I.umod64, smod64: I.smod64,
  udiv32: I.udiv32, sdiv32: I.sdiv32, umod32: I.umod32, smod32: I.smod32,
  lsh64: I.lsh64, rsh64: I.rsh64, arsh64: I.arsh64, bswap16: I.bswap16, bswap32: I.bswap32,
  BpfFault, memFault, memSlow, alignFault,
};

export const SCOPE_NAMES: string[] = Object.keys(scope);
export const SCOPE_VALUES: unknown[] = Object.values(scope);

/** Compile `body` (which must `return` a function) with the scope names bound. */
export function buildWithScope<T>(body: string): T {
  // new Function is the point of the JIT: V8 compiles the generated source like any other code.
  const factory = new Function(...SCOPE_NAMES, body) as (...args: unknown[]) => T;
  return factory(...SCOPE_VALUES);
}
