// The BPF address space: every pointer a program holds names a region and an
// offset. A 64-bit pointer value is split into two 32-bit halves so that the
// JIT never needs BigInt on the hot path:
//
//   high 32 bits = region id   (0 is reserved: NULL and every small scalar)
//   low  32 bits = LO_BASE + byte offset inside the region
//
// LO_BASE keeps small negative offsets (r10 - 8, p - 16) in the same region's
// high half instead of borrowing into the previous region's id, so a fault
// still names the region the program meant.

import { BpfFault } from './fault';
import { fromBig, OUT, toBig } from './int64';

export const LO_BASE = 0x1000_0000;
/** Largest region a program can address (offsets are below 2^32 - LO_BASE). */
export const MAX_REGION_SIZE = 0xe000_0000;

const SLAB_SIZE = 64 * 1024;
/** Regions up to this size come from a slab (heap objects, ctx[], map values, task_structs). */
const SLAB_MAX = 512;

export type RegionKind =
  | 'stack'
  | 'ctx'
  | 'map' // the map object itself (what ld_imm64 of a map fd yields)
  | 'map_value'
  | 'global' // .data/.rodata/.bss value
  | 'kernel' // task_struct, cpumask, scx_exit_info, ... laid out from kernel BTF
  | 'heap' // bpf_obj_new objects
  | 'ringbuf'
  | 'func' // a callback's address (ld_imm64 src=BPF_PSEUDO_FUNC)
  | 'arena' // a BPF_MAP_TYPE_ARENA's pages (paged: size 0, accesses go through `paged`)
  | 'scratch';

/**
 * Memory mapped page by page (an arena). Its region has size 0 so the
 * engines' inline check always sends accesses to memSlow, which asks here.
 */
export interface PagedMemory {
  /** Bytes the region may address (its pages' span). */
  readonly limit: number;
  /**
   * The page view holding [offset, offset + size), and the offset inside it;
   * an unmapped page gives a zeroed scratch view that drops writes (the
   * kernel's fix-up for arena faults). Undefined when the span is invalid.
   */
  access(offset: number, size: number, write: boolean): { view: Region; offset: number } | undefined;
}

export interface Region {
  readonly id: number;
  readonly kind: RegionKind;
  /** Human name used in faults and the UI: "map cpu_ctx[3]", "task_struct pid 42". */
  name: string;
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly size: number;
  readonly readonly: boolean;
  freed: boolean;
  /** Owner-side object (a map, a heap object record, a task) for natives. */
  payload: unknown;
  /** Set for paged regions (arenas): how an offset maps to page memory. */
  paged?: PagedMemory;
  /**
   * Set on a stand-in whose accesses are allowed but must be reported with
   * the instruction that made them (an invalidated reference in 'report'
   * mode): such a region says `freed`, so the engines' inline check sends
   * every access to memSlow, which calls this with the instruction index and
   * lets the access through. -1 when a native made the access.
   */
  reportUse?: (insn: number) => void;
}

export interface AllocOptions {
  readonly?: boolean;
  payload?: unknown;
  /** Share existing bytes (e.g. a map value inside a map's backing store). */
  bytes?: Uint8Array;
}

/** What a freed region's bytes and view become (zero-length: nothing can be read through them). */
const FREED_BYTES = new Uint8Array(0);
const FREED_VIEW = new DataView(FREED_BYTES.buffer);

export class AddressSpace {
  /** Indexed by region id; index 0 stays empty so NULL never resolves. */
  readonly regions: (Region | undefined)[] = [undefined];

  /** Offset inside the region memSlow/resolvePaged last returned (generated code reads it). */
  slowOffset = 0;
  /** Region id of the object's arena (0: none): addr_space_cast maps 32-bit offsets into it. */
  arenaHi = 0;

  /** Small regions are carved out of shared 64 KiB slabs: one ArrayBuffer per region is most of alloc's cost. */
  private slab: ArrayBuffer | undefined;
  private slabUsed = SLAB_SIZE;

  alloc(kind: RegionKind, name: string, size: number, opts?: AllocOptions): Region {
    if (size < 0 || size > MAX_REGION_SIZE) throw new RangeError(`region ${name}: size ${size} out of range`);
    let bytes: Uint8Array, view: DataView;
    const given = opts?.bytes;
    if (given === undefined && size <= SLAB_MAX && (size | 0) === size) {
      let slab = this.slab;
      let off = this.slabUsed;
      if (slab === undefined || off + size > SLAB_SIZE) {
        this.slab = slab = new ArrayBuffer(SLAB_SIZE);
        off = 0;
      }
      this.slabUsed = (off + size + 7) & ~7;
      bytes = new Uint8Array(slab, off, size);
      view = new DataView(slab, off, size);
    } else {
      bytes = given ?? new Uint8Array(size);
      if (bytes.length < size) throw new RangeError(`region ${name}: backing store smaller than ${size}`);
      view = new DataView(bytes.buffer, bytes.byteOffset, size);
    }
    const region: Region = {
      id: this.regions.length,
      kind,
      name,
      bytes,
      view,
      size,
      readonly: opts?.readonly ?? false,
      freed: false,
      payload: opts?.payload,
    };
    this.regions.push(region);
    return region;
  }

  /**
   * Mark a region freed. Its id is never reused, so a stale pointer faults as
   * use-after-free (every access checks `freed` before touching the bytes).
   * The bytes themselves are let go: a long run frees millions of objects,
   * and keeping each one's views kept their slabs and grew memory without
   * bound.
   */
  free(region: Region): void {
    region.freed = true;
    const gone = region as { bytes: Uint8Array; view: DataView };
    gone.bytes = FREED_BYTES;
    gone.view = FREED_VIEW;
  }

  /** The pointer value for `offset` bytes into `region`. */
  pointer(region: Region, offset = 0): bigint {
    return toBig((LO_BASE + offset) | 0, region.id);
  }

  /** Same as pointer() but as the two halves the VM registers hold. */
  pointerHalves(region: Region, offset = 0): { lo: number; hi: number } {
    return { lo: (LO_BASE + offset) | 0, hi: region.id | 0 };
  }

  /** The region a pointer's high half names, or undefined for scalars/NULL. */
  regionOfHi(hi: number): Region | undefined {
    return this.regions[hi >>> 0];
  }

  /**
   * Resolve a pointer for an access of `size` bytes; throws a BpfFault that
   * names the region when the access is not allowed. Natives use this; the
   * engines inline the same checks.
   */
  resolve(addr: bigint, size: number, write: boolean): { region: Region; offset: number } {
    const lo = fromBig(addr);
    return this.resolveHalves(lo, OUT.hi, size, write);
  }

  /** An access to a reporting stand-in (Region.reportUse) that is in bounds: report it and allow it. */
  reportedAccess(region: Region, offset: number, size: number, write: boolean, insn: number): boolean {
    if (offset < 0 || offset + size > region.size || (write && region.readonly)) return false;
    region.reportUse!(insn);
    this.slowOffset = offset;
    return true;
  }

  /**
   * An access into a paged region (an arena): the page view holding it, with
   * the offset inside that view in `slowOffset`; undefined when the pointer
   * is not into a live paged region.
   */
  resolvePaged(lo: number, hi: number, size: number, write: boolean): Region | undefined {
    const region = this.regions[hi >>> 0];
    const paged = region?.paged;
    if (paged === undefined || region!.freed) return undefined;
    const offset = (lo >>> 0) - LO_BASE;
    if (offset < 0 || offset + size > paged.limit) return undefined;
    const at = paged.access(offset, size, write);
    if (at === undefined) return undefined;
    this.slowOffset = at.offset;
    return at.view;
  }

  resolveHalves(lo: number, hi: number, size: number, write: boolean): { region: Region; offset: number } {
    const region = this.regions[hi >>> 0];
    const offset = ((lo >>> 0) - LO_BASE) | 0;
    if (region?.paged !== undefined) {
      const view = this.resolvePaged(lo, hi, size, write);
      if (view !== undefined) return { region: view, offset: this.slowOffset };
    }
    if (region?.reportUse !== undefined && this.reportedAccess(region, offset, size, write, -1)) return { region, offset };
    if (region === undefined || region.freed || offset < 0 || offset + size > region.size || (write && region.readonly)) {
      throw accessFault(region, lo, hi, offset, size, write);
    }
    return { region, offset };
  }

  /**
   * What a register value means, for debuggers: "stack frame 0-8",
   * "cpu_ctx[3]+16", or undefined for a plain scalar.
   */
  describe(addr: bigint): string | undefined {
    const hi = Number((BigInt.asUintN(64, addr) >> 32n) & 0xffff_ffffn);
    const region = this.regions[hi];
    if (hi === 0 || region === undefined) return undefined;
    const offset = Number(addr & 0xffff_ffffn) - LO_BASE;
    const at = region.kind === 'stack' ? offset - region.size : offset;
    return `${region.name}${at < 0 ? at : `+${at}`}${region.freed ? ' (freed)' : ''}`;
  }

  /** Copy `len` bytes out of the address space (for helpers such as bpf_probe_read_kernel). */
  readBytes(addr: bigint, len: number): Uint8Array {
    const { region, offset } = this.resolve(addr, len, false);
    return region.bytes.slice(offset, offset + len);
  }

  writeBytes(addr: bigint, data: Uint8Array): void {
    const { region, offset } = this.resolve(addr, data.length, true);
    region.bytes.set(data, offset);
  }

  readU64(addr: bigint): bigint {
    const { region, offset } = this.resolve(addr, 8, false);
    return region.view.getBigUint64(offset, true);
  }

  writeU64(addr: bigint, value: bigint): void {
    const { region, offset } = this.resolve(addr, 8, true);
    region.view.setBigUint64(offset, BigInt.asUintN(64, value), true);
  }

  readU32(addr: bigint): number {
    const { region, offset } = this.resolve(addr, 4, false);
    return region.view.getUint32(offset, true);
  }

  /** Read a NUL-terminated string of at most `max` bytes (bpf_printk formats, names). */
  readCString(addr: bigint, max = 4096): string {
    const { region, offset } = this.resolve(addr, 1, false);
    let end = offset;
    const limit = Math.min(region.size, offset + max);
    while (end < limit && region.bytes[end] !== 0) end++;
    return new TextDecoder().decode(region.bytes.subarray(offset, end));
  }
}

/** The fault resolveHalves throws (the address as a BigInt is only built here, off the hot path). */
function accessFault(region: Region | undefined, lo: number, hi: number, offset: number, size: number, write: boolean): BpfFault {
  const addr = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
  if (region === undefined) {
    return new BpfFault(addr === 0n || (hi === 0 && (lo >>> 0) < 4096) ? 'null' : 'bad_pointer',
      `${write ? 'write to' : 'read from'} ${formatAddress(addr)}, which is not a pointer into any object`, { address: addr });
  }
  if (region.freed) {
    return new BpfFault('freed', `${write ? 'write to' : 'read from'} ${region.name} after it was freed`, { address: addr, region: region.name });
  }
  if (region.paged !== undefined) {
    const span = region.paged.limit;
    const why = offset < 0 || offset + size > span ? `(its pages span ${span} bytes)` : '(it crosses a page boundary)';
    return new BpfFault('out_of_bounds', `${size}-byte ${write ? 'write' : 'read'} at offset ${offset} of ${region.name} ${why}`,
      { address: addr, region: region.name });
  }
  if (offset < 0 || offset + size > region.size) {
    return new BpfFault('out_of_bounds',
      `${size}-byte ${write ? 'write' : 'read'} at offset ${offset} of ${region.name} (size ${region.size})`,
      { address: addr, region: region.name });
  }
  return new BpfFault('readonly', `write to read-only ${region.name} at offset ${offset}`, { address: addr, region: region.name });
}

export function formatAddress(addr: bigint): string {
  return '0x' + BigInt.asUintN(64, addr).toString(16);
}
