// BpfRuntime: one loaded scheduler object with its maps, natives and VM.
// It runs entry programs the way struct_ops calls them (u64 ctx[] args),
// brackets each call as a run for ownership tracking, and answers queries
// about the heap, graph roots and kptr slots.

import { readGlobals, readMaps } from './global_values';
import { AddressSpace, LO_BASE } from '../vm/memory';
import { BpfFault } from '../vm/fault';
import type { BpfVm, EngineKind, LoadedProgram, ProgramImage } from '../vm/abi';
import { createVm, type DebuggableVm } from '../vm/index';
import type { Btf } from '../btf/btf';
import type { LoadedObject } from '../loader/object';
import type { Diagnostic, GraphRootSnapshot, HeapObjectSnapshot, KptrSlotSnapshot, GlobalValueSnapshot, MapContentSnapshot, ArenaSnapshot } from '../../model/events';
import type { RuntimeHost } from './host';
import { RuntimeCore } from './core';
import { HeapObject, type ObjectHeap } from './heap';
import { KfuncRegistry } from './kfunc_registry';
import type { HelperTable, KfuncTable } from './natives';
import { createMap, linkInnerMaps } from './maps/create';
import { ArrayMap } from './maps/array';
import { ValueCell, type BpfMap } from './maps/map';
import { registerMiscHelpers } from './helpers';
import { registerMapHelpers } from './helpers_map';
import { registerSpinLock } from './spin_lock';
import { registerKptrXchg } from './kptr';
import { KernelRefs } from './kernel_refs';
import { LocalKptrs } from './local_kptr';
import { GraphArgs } from './graph_args';
import { registerRbtree } from './graph_rbtree';
import { registerList } from './graph_list';
import { registerIterNum } from './iter_num';
import { registerIterBits } from './iter_bits';
import { registerCpumask } from './cpumask';
import { registerArenaKfuncs } from './arena_kfuncs';
import { registerNewerKfuncs } from './newer_kfuncs';
import { registerResSpinLock } from './res_spin_lock';
import { KernelSymbols } from './ksyms';
import { registerUserRingbuf } from './maps/user_ringbuf';
import { ARENA_PAGE_SIZE, ArenaMap } from './maps/arena';
import { Timers } from './timer';
import { heapSnapshot, rootSnapshot, slotSnapshot } from './snapshot';
import { trampoline } from './trampoline';
import { InvalidationGuard, type InvalidatedAccessMode } from './invalidation_guard';

/** What the runtime needs of the simulated kernel (structurally a subset of the loader's KernelEnv). */
export interface RuntimeKernel {
  readonly btf: Btf;
}

export interface BpfRuntimeOptions {
  object: LoadedObject;
  kernel: RuntimeKernel;
  host: RuntimeHost;
  engine?: EngineKind;
  registry?: KfuncRegistry;
  /** Instructions per top-level call (callbacks included). */
  budget?: number;
  /**
   * Memory use through a reference the verifier would have invalidated (after
   * bpf_spin_unlock): 'report' (default) records a diagnostic naming the unlock
   * and lets the run go on; 'fault' stops the run at the using instruction.
   */
  invalidatedAccess?: InvalidatedAccessMode;
}

export class BpfRuntime {
  readonly space: AddressSpace;
  readonly vm: BpfVm & DebuggableVm;
  readonly maps: BpfMap[];
  readonly core: RuntimeCore;
  readonly registry: KfuncRegistry;
  readonly helpers: HelperTable = new Map();
  readonly timers: Timers;
  readonly kernelRefs: KernelRefs;
  private readonly object: LoadedObject;
  private readonly loaded = new Map<string, LoadedProgram>();
  private readonly trampolines = new Map<string, { prog: LoadedProgram; name: string }>();
  private lastFault: BpfFault | undefined;
  /**
   * Set only while a debugger is attached (src/sched_ext/debug): it may run an
   * entry program call itself (stepping) and returns r0, or undefined to let
   * the call run normally. Unset, calls cost nothing extra.
   */
  interceptor: ((name: string, prog: LoadedProgram, args: readonly bigint[]) => bigint | undefined) | undefined;

  constructor(opts: BpfRuntimeOptions) {
    this.object = opts.object;
    this.space = new AddressSpace();
    this.core = new RuntimeCore(this.space, opts.host, opts.object.btf, opts.kernel.btf, opts.invalidatedAccess);
    this.maps = opts.object.maps.map((spec) => createMap(spec, this.core, opts.object.globals));
    linkInnerMaps(this.maps);

    this.kernelRefs = new KernelRefs(this.core);
    this.timers = new Timers(this.core, (fn, args, why) => this.invokeCallback(fn, args, why));
    registerMiscHelpers(this.helpers, this.core);
    registerMapHelpers(this.helpers, this.core);
    registerSpinLock(this.helpers, this.core);
    registerKptrXchg(this.helpers, this.core, this.kernelRefs);
    this.timers.register(this.helpers);
    const ksyms = new KernelSymbols(this.core, opts.object.ksyms ?? []);
    ksyms.register(this.helpers);
    registerUserRingbuf(this.helpers, this.core);

    const kfuncs: KfuncTable = new Map();
    const local = new LocalKptrs(this.core);
    local.register(kfuncs);
    const graphArgs = new GraphArgs(this.core, local);
    registerRbtree(kfuncs, this.core, graphArgs);
    registerList(kfuncs, this.core, graphArgs);
    registerIterNum(kfuncs, this.core);
    registerIterBits(kfuncs, this.core);
    registerCpumask(kfuncs, this.core, local);
    registerArenaKfuncs(kfuncs, this.core);
    registerNewerKfuncs(kfuncs, this.core);
    registerResSpinLock(kfuncs, this.core);
    this.kernelRefs.register(kfuncs);
    this.registry = opts.registry ?? new KfuncRegistry(opts.kernel.btf);
    for (const [name, fn] of kfuncs) this.registry.provide(name, fn);

    this.vm = createVm({
      engine: opts.engine,
      budget: opts.budget,
      space: this.space,
      natives: this.registry.natives(this.helpers),
      resolver: {
        ksymPointer: (i) => ksyms.pointer(i),
        mapPointer: (i) => this.mapAt(i).pointer,
        mapValuePointer: (i, off) => {
          const m = this.mapAt(i);
          // __arena globals (.addr_space.1) sit at the start of the arena
          if (m instanceof ArenaMap) return m.pointerAt(off);
          const cell = m instanceof ArrayMap ? m.cell(0, 0) : undefined;
          if (cell === undefined) throw new BpfFault('native', `ld_imm64 map value reference into map ${m.name}, which is not an array`);
          return this.space.pointer(cell.region, off);
        },
      },
    });
  }

  get heap(): ObjectHeap {
    return this.core.heap;
  }

  mapByName(name: string): BpfMap | undefined {
    return this.maps.find((m) => m.name === name);
  }

  /**
   * Run entry program `name` with u64 ctx[] `args` (struct_ops style). At
   * return, references the run still owns are reported as leaks. A fault is
   * rethrown as the BpfFault (site filled), after a use-after-free
   * diagnostic when it touched freed memory.
   */
  callProgram(name: string, args: readonly bigint[]): { ret: bigint; insns: number } {
    const prog = this.program(name);
    this.core.beginRun(name);
    let ok = false;
    try {
      const ret = (this.interceptor === undefined ? undefined : this.interceptor(name, prog, args)) ?? this.vm.callWithCtx(prog, args);
      ok = true;
      return { ret, insns: this.vm.lastInsnCount };
    } catch (e) {
      if (e instanceof BpfFault) this.noteFault(e);
      throw e;
    } finally {
      this.core.endRun(ok);
    }
  }

  diagnostics(): Diagnostic[] {
    return [...this.core.diagnostics];
  }

  heapObjects(): HeapObjectSnapshot[] {
    return heapSnapshot(this.core);
  }

  roots(): GraphRootSnapshot[] {
    return rootSnapshot(this.core);
  }

  slots(): KptrSlotSnapshot[] {
    return slotSnapshot(this.core, this.maps);
  }

  /** The object's global variables as the programs left them (not the ELF's initial values). */
  globalValues(): GlobalValueSnapshot[] {
    return readGlobals(this.object.globals, this.maps);
  }

  /** The object's arenas now: mapped page runs, pages in use, unmapped accesses. */
  arenaContents(): ArenaSnapshot[] {
    return this.maps.filter((m): m is ArenaMap => m instanceof ArenaMap).map((m) => ({
      name: m.spec.name,
      maxPages: m.spec.maxEntries,
      pageSize: ARENA_PAGE_SIZE,
      userVmStart: `0x${m.pointerAt(0).toString(16)}`,
      runs: m.allocations().map((r) => ({ ...r })),
      pagesInUse: m.mappedPages(),
      unmappedReads: m.unmappedReads,
      unmappedWrites: m.unmappedWrites,
    }));
  }

  /** The first entries of each BTF-defined map (hash, array, storage, ...) as they are now. */
  mapContents(): MapContentSnapshot[] {
    return readMaps(this.maps);
  }

  /** Map free at unload (struct_ops TOBEFREE): drops every stashed kptr and graph node, cancels timers. */
  unload(): void {
    for (const m of this.maps) m.free();
  }

  private mapAt(i: number): BpfMap {
    const m = this.maps[i];
    if (m === undefined) throw new BpfFault('native', `map index ${i} out of range (the object has ${this.maps.length} maps)`);
    return m;
  }

  private program(name: string): LoadedProgram {
    let p = this.loaded.get(name);
    if (p !== undefined) return p;
    const info = this.object.programs.find((x) => x.name === name);
    if (info === undefined) {
      throw new BpfFault('native', `no program ${name} in ${this.object.file} (programs: ${this.object.programs.map((x) => x.name).join(', ')})`);
    }
    p = this.vm.load(info.image);
    this.loaded.set(name, p);
    return p;
  }

  /**
   * Run the BPF function `fn` points at as its own top-level run (timer
   * callbacks): a two-instruction trampoline image calls into a copy of the
   * function's program, so only the public VM API is needed.
   */
  invokeCallback(fn: bigint, args: readonly bigint[], why: string): bigint {
    const hi = Number(fn >> 32n);
    const region = this.space.regionOfHi(hi);
    const owner = region?.payload as LoadedProgram | undefined;
    if (region === undefined || region.kind !== 'func' || owner?.image === undefined) {
      throw new BpfFault('bad_call', `${why}: 0x${fn.toString(16)} is not a BPF function pointer`);
    }
    const target = Number(fn & 0xffff_ffffn) - LO_BASE;
    const key = `${region.id}:${target}`;
    let t = this.trampolines.get(key);
    if (t === undefined) {
      const image: ProgramImage = trampoline(owner.image, target);
      t = { prog: this.vm.load(image), name: image.name };
      this.trampolines.set(key, t);
    }
    this.core.beginRun(t.name);
    let ok = false;
    try {
      const ret = this.vm.call(t.prog, args);
      ok = true;
      return ret;
    } catch (e) {
      if (e instanceof BpfFault) this.noteFault(e);
      throw e;
    } finally {
      this.core.endRun(ok);
    }
  }

  /** A fault on freed heap or map memory is a use-after-free worth a diagnostic with its source line. */
  private noteFault(e: BpfFault): void {
    if (e === this.lastFault || e.kind !== 'freed' || this.core.reportedFaults.has(e)) return;
    this.lastFault = e;
    const addr = e.site.address;
    const region = addr === undefined ? undefined : this.space.regionOfHi(Number(addr >> 32n));
    const site = {
      program: e.site.program ?? '<unknown>',
      insn: e.site.insn ?? -1,
      ...(e.site.file !== undefined ? { file: e.site.file } : {}),
      ...(e.site.line !== undefined ? { line: e.site.line } : {}),
    };
    const stale = InvalidationGuard.markerOf(region);
    if (stale !== undefined && !stale.obj.freed) {
      const o = stale.obj;
      this.core.diag('invalidated_ref', `memory access to obj ${o.id} (${o.typeName}) after ${stale.why}; the kernel verifier rejects this`, site);
      return;
    }
    if (stale === undefined && (region === undefined || !(region.payload instanceof HeapObject || region.payload instanceof ValueCell))) return;
    this.core.diag('use_after_free', `${e.detail}`, site);
  }
}
