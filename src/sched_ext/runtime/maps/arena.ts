// BPF_MAP_TYPE_ARENA (kernel/bpf/arena.c): up to 4 GiB of memory shared by
// programs and user space, mapped page by page. Programs reach it through
// __arena pointers (address space 1); here an arena is one paged region
// (vm/memory.ts) whose pointers are the same value in both address spaces,
// so addr_space_cast copies. Semantics kept from the kernel:
//   - creation needs key/value size 0, max_entries > 0 pages, BPF_F_MMAPABLE,
//     and at most 4 GiB;
//   - bpf_arena_alloc_pages(map, addr, cnt, node, flags) hands out zeroed
//     pages: at `addr` when given (NULL if any of them is taken), else the
//     lowest free run of `cnt` pages; flags must be 0;
//   - bpf_arena_free_pages(map, ptr, cnt) unmaps the allocated pages in the
//     range; bpf_arena_reserve_pages (v6.17) takes a free range out of use;
//   - an access to an unmapped page reads 0 and drops a write (the JIT's
//     exception table fix-up for arena loads/stores): counted, not faulted;
//   - the object's `.addr_space.1` variables (__arena globals) are placed at
//     the start of the arena, as libbpf does when the kernel cannot address
//     the arena's end from ld_imm64 (the placement the scx libraries assume
//     nothing about).
// The struct bpf_arena the map pointer stands for carries user_vm_start and
// user_vm_end (the `arena_base()` macro reads them): here the pointer to page 0
// and one past the span.

import type { PagedMemory, Region } from '../../vm/memory';
import { MAX_REGION_SIZE } from '../../vm/memory';
import { BpfFault } from '../../vm/fault';
import type { MapSpec } from '../../loader/object';
import type { RuntimeCore } from '../core';
import { BpfMap, type ValueCell } from './map';

export const ARENA_PAGE_SIZE = 4096;
const PAGE_SHIFT = 12;

export interface ArenaPageInfo {
  /** First page of a run of allocated pages, and how many. */
  page: number;
  count: number;
  /** Why the run is mapped: an allocation, the object's __arena globals, or userspace touching it through its mapping. */
  kind: 'alloc' | 'globals' | 'user';
}

export class ArenaMap extends BpfMap implements PagedMemory {
  /** The paged region arena pointers point into. */
  readonly arena: Region;
  readonly limit: number;
  readonly pageCount: number;
  /** Mapped pages by page number. */
  private readonly pages = new Map<number, Region>();
  /** Pages taken out of use by bpf_arena_reserve_pages. */
  private readonly reserved = new Set<number>();
  /** Allocation runs by first page, for the heap view. */
  private readonly runs = new Map<number, ArenaPageInfo>();
  /** A zeroed page standing in for unmapped ones (writes to it are dropped by re-zeroing). */
  private readonly scratch: Region;
  /** Bytes 0..15 for an access that straddles two mapped pages (reads only). */
  private readonly straddle: Region;
  /** Accesses that hit an unmapped page (the kernel reads 0 / drops the write silently). */
  unmappedReads = 0;
  unmappedWrites = 0;

  constructor(spec: MapSpec, core: RuntimeCore) {
    super(spec, core, []);
    const span = spec.maxEntries * ARENA_PAGE_SIZE;
    // Offsets are 32-bit in both the kernel and our pointer format; ours leave
    // room for LO_BASE, so the top 512 MiB of a 4 GiB arena is not addressable.
    this.limit = Math.min(span, MAX_REGION_SIZE);
    this.pageCount = this.limit >>> PAGE_SHIFT;
    this.arena = core.space.alloc('arena', `arena ${spec.name}`, 0, { payload: this });
    this.arena.paged = this;
    // libbpf allows one arena per object: addr_space_cast resolves offsets into it
    core.space.arenaHi = this.arena.id;
    this.scratch = core.space.alloc('scratch', `arena ${spec.name} (unmapped page)`, ARENA_PAGE_SIZE);
    this.straddle = core.space.alloc('scratch', `arena ${spec.name} (page-straddling read)`, 16);
    this.writeArenaStruct();
    const init = spec.initialValue;
    if (init !== undefined && init.length > 0) {
      const n = Math.ceil(init.length / ARENA_PAGE_SIZE);
      for (let p = 0; p < n; p++) this.map(p).bytes.set(init.subarray(p * ARENA_PAGE_SIZE, (p + 1) * ARENA_PAGE_SIZE));
      this.runs.set(0, { page: 0, count: n, kind: 'globals' });
    }
  }

  /** user_vm_start / user_vm_end of struct bpf_arena, at the kernel BTF's offsets. */
  private writeArenaStruct(): void {
    const kbtf = this.core.kernelBtf;
    const st = kbtf.findByName('bpf_arena', 'struct');
    if (st === undefined || st.kind !== 'struct') return;
    const start = this.core.space.pointer(this.arena, 0);
    for (const m of st.members) {
      const off = m.bitOffset / 8;
      if (off + 8 > this.region.size) continue;
      if (m.name === 'user_vm_start') this.region.view.setBigUint64(off, start, true);
      if (m.name === 'user_vm_end') this.region.view.setBigUint64(off, start + BigInt(this.limit), true);
    }
  }

  /** The user (and, here, kernel) address of byte `offset` of the arena. */
  pointerAt(offset: number): bigint {
    return this.core.space.pointer(this.arena, offset);
  }

  access(offset: number, size: number, write: boolean): { view: Region; offset: number } | undefined {
    const inPage = offset & (ARENA_PAGE_SIZE - 1);
    const page = this.pages.get(offset >>> PAGE_SHIFT);
    if (inPage + size <= ARENA_PAGE_SIZE) {
      if (page !== undefined) return { view: page, offset: inPage };
      if (write) this.unmappedWrites++;
      else this.unmappedReads++;
      this.scratch.bytes.fill(0, inPage, inPage + size);
      return { view: this.scratch, offset: inPage };
    }
    // Straddling two pages (unaligned): reads are assembled byte by byte; a
    // write cannot be split behind one view, so it faults (out_of_bounds).
    if (write) return undefined;
    for (let i = 0; i < size; i++) {
      const at = offset + i;
      const p = this.pages.get(at >>> PAGE_SHIFT);
      this.straddle.bytes[i] = p === undefined ? 0 : p.bytes[at & (ARENA_PAGE_SIZE - 1)]!;
    }
    return { view: this.straddle, offset: 0 };
  }

  private map(page: number): Region {
    let r = this.pages.get(page);
    if (r === undefined) {
      r = this.core.space.alloc('arena', `arena ${this.spec.name} page ${page}`, ARENA_PAGE_SIZE, { payload: this });
      this.pages.set(page, r);
    }
    return r;
  }

  private unmap(page: number): void {
    const r = this.pages.get(page);
    if (r === undefined) return;
    // Stale page views must not keep the data: the region id is never reused.
    this.core.space.free(r);
    this.pages.delete(page);
  }

  private isFree(page: number): boolean {
    return !this.pages.has(page) && !this.reserved.has(page);
  }

  /** Page number of an arena address, or undefined when it is not a page-aligned address of this arena. */
  private pageOf(addr: bigint): number | undefined {
    const hi = Number((addr >> 32n) & 0xffff_ffffn);
    if (hi !== this.arena.id) return undefined;
    const off = this.offsetOf(addr);
    if (off < 0 || off >= this.limit || (off & (ARENA_PAGE_SIZE - 1)) !== 0) return undefined;
    return off >>> PAGE_SHIFT;
  }

  private offsetOf(addr: bigint): number {
    const base = this.core.space.pointer(this.arena, 0);
    return Number(BigInt.asUintN(64, addr) - base);
  }

  /** bpf_arena_alloc_pages: the address of the first page, or 0 (NULL). */
  allocPages(addr: bigint, count: number, flags: bigint): bigint {
    if (flags !== 0n || count <= 0 || count > this.pageCount) return 0n;
    let first: number | undefined;
    if (addr !== 0n) {
      const p = this.pageOf(addr);
      if (p === undefined || p + count > this.pageCount) return 0n;
      for (let i = 0; i < count; i++) if (!this.isFree(p + i)) return 0n;
      first = p;
    } else {
      let run = 0;
      for (let p = 0; p < this.pageCount; p++) {
        run = this.isFree(p) ? run + 1 : 0;
        if (run === count) {
          first = p - count + 1;
          break;
        }
      }
      if (first === undefined) return 0n;
    }
    for (let i = 0; i < count; i++) this.map(first + i);
    this.runs.set(first, { page: first, count, kind: 'alloc' });
    return this.pointerAt(first * ARENA_PAGE_SIZE);
  }

  /** bpf_arena_free_pages: unmap the allocated pages of [ptr, ptr + count pages). */
  freePages(ptr: bigint, count: number): void {
    if (ptr === 0n || count <= 0) return;
    const hi = Number((ptr >> 32n) & 0xffff_ffffn);
    if (hi !== this.arena.id) return;
    const first = this.offsetOf(ptr) >>> PAGE_SHIFT;
    for (let p = first; p < Math.min(first + count, this.pageCount); p++) this.unmap(p);
    // Runs lose the freed pages: split or drop them.
    for (const run of [...this.runs.values()]) {
      const end = run.page + run.count;
      if (end <= first || run.page >= first + count) continue;
      this.runs.delete(run.page);
      if (run.page < first) this.runs.set(run.page, { ...run, count: first - run.page });
      if (end > first + count) this.runs.set(first + count, { ...run, page: first + count, count: end - first - count });
    }
  }

  /** bpf_arena_reserve_pages (v6.17): 0, -EINVAL for a bad range, -EBUSY when a page is in use. */
  reservePages(ptr: bigint, count: number): number {
    if (count === 0) return 0;
    const p = this.pageOf(ptr);
    if (p === undefined || p + count > this.pageCount) return -22;
    for (let i = 0; i < count; i++) if (this.pages.has(p + i)) return -16;
    for (let i = 0; i < count; i++) this.reserved.add(p + i);
    return 0;
  }

  /** Mapped page runs in page order (the heap view's arena section). */
  allocations(): ArenaPageInfo[] {
    return [...this.runs.values()].sort((a, b) => a.page - b.page);
  }

  mappedPages(): number {
    return this.pages.size;
  }

  /** Bytes of the arena at `offset` (mapped pages only; unmapped bytes read 0), for views and tests. */
  read(offset: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i++) {
      const at = offset + i;
      const p = this.pages.get(at >>> PAGE_SHIFT);
      out[i] = p === undefined ? 0 : p.bytes[at & (ARENA_PAGE_SIZE - 1)]!;
    }
    return out;
  }

  /**
   * The arena offset of an address userspace holds: one the BPF side handed
   * out (the same value in both address spaces here), or map_extra + offset
   * as userspace computes it from where libbpf mapped the arena. Undefined
   * when it is neither.
   */
  userOffset(addr: bigint): number | undefined {
    const a = BigInt.asUintN(64, addr);
    const base = this.pointerAt(0);
    const extra = this.spec.mapExtra ?? 0n;
    const off = a >> 32n === base >> 32n ? a - base : extra !== 0n && a >= extra ? a - extra : -1n;
    return off < 0n || off >= BigInt(this.limit) ? undefined : Number(off);
  }

  /**
   * Userspace reading or writing the arena through its mmap: a page it
   * touches that is not mapped yet is mapped zeroed, as the kernel's
   * arena_vm_fault does; a reserved page faults (SIGSEGV in the process).
   */
  userAccess(offset: number, len: number): Uint8Array[] {
    if (offset < 0 || len < 0 || offset + len > this.limit) throw new RangeError(`${len} bytes at offset ${offset} are outside arena ${this.spec.name} (${this.limit} bytes)`);
    const views: Uint8Array[] = [];
    for (let at = offset; at < offset + len; ) {
      const page = at >>> PAGE_SHIFT;
      if (this.reserved.has(page)) throw new RangeError(`page ${page} of arena ${this.spec.name} is reserved (bpf_arena_reserve_pages): userspace faults on it`);
      if (!this.pages.has(page)) {
        this.map(page);
        const prev = this.runs.get(this.runStartingBefore(page));
        if (prev !== undefined && prev.kind === 'user' && prev.page + prev.count === page) prev.count++;
        else this.runs.set(page, { page, count: 1, kind: 'user' });
      }
      const inPage = at & (ARENA_PAGE_SIZE - 1);
      const n = Math.min(ARENA_PAGE_SIZE - inPage, offset + len - at);
      views.push(this.pages.get(page)!.bytes.subarray(inPage, inPage + n));
      at += n;
    }
    return views;
  }

  private runStartingBefore(page: number): number {
    let best = -1;
    for (const r of this.runs.values()) if (r.page < page && r.page > best) best = r.page;
    return best;
  }

  override lookup(): bigint {
    // Arenas have no elements: the kernel's map_lookup_elem returns NULL (the verifier refuses the call).
    return 0n;
  }

  cells(): ValueCell[] {
    return [];
  }

  override free(): void {
    for (const p of [...this.pages.keys()]) this.unmap(p);
    this.runs.clear();
  }
}

/** The arena map a kfunc's `p__map` argument names, or a fault naming the kfunc. */
export function arenaOf(core: RuntimeCore, mapPtr: bigint, kfunc: string): ArenaMap {
  const hi = Number((mapPtr >> 32n) & 0xffff_ffffn);
  const region = core.space.regionOfHi(hi);
  const m = region?.kind === 'map' ? region.payload : undefined;
  if (!(m instanceof ArenaMap)) {
    throw new BpfFault('native', `${kfunc}: argument 1 is not an arena map (${region === undefined ? 'not a map pointer' : region.name})`);
  }
  return m;
}
