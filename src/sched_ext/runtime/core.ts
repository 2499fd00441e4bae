// The state every helper and kfunc shares: the address space, the object
// heap, graph contents, the current program run, and diagnostics. One run
// is one top-level program call (callbacks it makes included); what the
// verifier tracks per program path — owned references, held spin locks,
// references it would invalidate — we track per run, and report at runtime
// what the verifier would have rejected at load time.

import type { AddressSpace } from '../vm/memory';
import { BpfFault } from '../vm/fault';
import type { NativeEnv } from '../vm/abi';
import type { Btf } from '../btf/btf';
import type { SpecialField } from '../btf/special_fields';
import type { Diagnostic, OwnerRef, SimEvent, SourceSite } from '../../model/events';
import type { RuntimeHost } from './host';
import { HeapObject, ObjectHeap, type HeapContext } from './heap';
import { GraphStore } from './graph';
import { InvalidationGuard, type InvalidatedAccessMode } from './invalidation_guard';
import { fieldKey, isFieldHost, type FieldHost } from './layout';
import type { HeldResLock } from './res_spin_lock';

/** Diagnostic events per distinct site before the stream goes quiet about it. */
const MAX_EVENTS_PER_SITE = 100;

export interface RunState {
  program: string;
  cpu: number;
  /** Objects this run took a reference to, with where it took it (for the leak report). */
  owned: Map<HeapObject, SourceSite>;
  /** Held bpf_spin_locks: "regionId:offset" → the host the lock is in. */
  locks: Map<string, FieldHost>;
  /** Held bpf_res_spin_locks in acquisition order: "regionId:offset" → the lock (res_spin_lock.ts). */
  resLocks: Map<string, HeldResLock>;
  /** Objects the run reaches through a non-owning reference, valid until bpf_spin_unlock. */
  nonOwning: Set<HeapObject>;
  /** Objects the verifier would no longer let this run touch, and why. */
  invalidated: Map<HeapObject, string>;
  /** Acquired task_struct/cgroup references not yet released: pointer → count and site. */
  kernelRefs: Map<bigint, { what: string; count: number; site: SourceSite }>;
  rcuDepth: number;
}

/** Called when a host's special field of kind 'timer' is freed (cancel the timer). */
export type TimerDrain = (host: FieldHost, field: SpecialField) => void;
/** Called when a kptr slot holding something that is not a heap object is freed (task_struct, cgroup). */
export type KernelKptrDrain = (ptr: bigint, slot: string) => void;

export class RuntimeCore implements HeapContext {
  readonly heap: ObjectHeap;
  readonly graphs: GraphStore;
  readonly guard: InvalidationGuard;
  readonly diagnostics: Diagnostic[] = [];
  private readonly diagSites = new Map<string, number>();
  run: RunState | undefined;
  private spareRun: RunState | undefined;
  /** The object the last objectArg() call reported as invalidated, so its caller does not report it twice. */
  reportedArg: HeapObject | undefined;
  /** Faults a native already reported as a diagnostic, so the caller does not report them twice. */
  readonly reportedFaults = new WeakSet<BpfFault>();
  timerDrain: TimerDrain | undefined;
  kernelKptrDrain: KernelKptrDrain | undefined;
  /**
   * site(env) results by line_info entry and instruction: helpers ask for the
   * calling site on every call, and a site never changes once made (sites
   * are shared by the events and diagnostics that carry them; nobody
   * mutates one).
   */
  private readonly siteCache = new Map<object, SourceSite[]>();
  private readonly noLineSites = new Map<string, SourceSite[]>();
  /** The last programOwner() value, reused while the program and CPU stay the same. */
  private owner: OwnerRef & { kind: 'program' } = { kind: 'program', program: '<runtime>', cpu: -1 };

  constructor(
    readonly space: AddressSpace,
    readonly host: RuntimeHost,
    /** The program's BTF: bpf_obj_new type ids and map value layouts live here. */
    readonly btf: Btf,
    readonly kernelBtf: Btf,
    invalidatedAccess: InvalidatedAccessMode = 'report',
  ) {
    this.heap = new ObjectHeap(this);
    this.graphs = new GraphStore(space);
    this.guard = new InvalidationGuard(space, invalidatedAccess);
  }

  emit(ev: SimEvent): void {
    this.host.emit(ev);
  }

  /** False only when the host says nobody consumes events (then building them is wasted work). */
  listening(): boolean {
    const host = this.host;
    return host.listening === undefined || host.listening();
  }

  now(): number {
    return Number(this.host.now());
  }

  site(env: NativeEnv | undefined): SourceSite {
    if (env === undefined) return { program: this.run?.program ?? '<runtime>', insn: -1 };
    const li = env.sourceLine();
    const program = env.program;
    const insn = env.insn;
    let sites = li !== undefined ? this.siteCache.get(li) : this.noLineSites.get(program);
    const hit = sites?.[insn];
    if (hit !== undefined && hit.program === program) return hit;
    const s: SourceSite = { program, insn };
    if (li !== undefined) {
      s.file = li.file;
      s.line = li.line;
    }
    if (sites === undefined) {
      sites = [];
      if (li !== undefined) this.siteCache.set(li, sites);
      else this.noLineSites.set(program, sites);
    }
    if (insn >= 0 && insn < 1 << 20) sites[insn] = s;
    return s;
  }

  /**
   * Record a diagnostic. diagnostics() keeps one per (kind, program, line) —
   * a bug in enqueue fires on every enqueue — and the event stream gets the
   * first MAX_EVENTS_PER_SITE occurrences of each, so the timeline shows when
   * it happens without drowning in it.
   */
  diag(kind: Diagnostic['kind'], message: string, site: SourceSite | undefined): Diagnostic {
    const d: Diagnostic = { kind, message };
    if (site !== undefined) {
      d.program = site.program;
      if (site.file !== undefined) d.file = site.file;
      if (site.line !== undefined) d.line = site.line;
    }
    const key = `${kind}|${d.program ?? ''}|${d.file ?? ''}|${d.line ?? site?.insn ?? ''}`;
    const seen = this.diagSites.get(key) ?? 0;
    this.diagSites.set(key, seen + 1);
    if (seen === 0) this.diagnostics.push(d);
    if (seen < MAX_EVENTS_PER_SITE) this.emit({ t: this.now(), kind: 'diagnostic', diag: d });
    return d;
  }

  /** How many times each distinct diagnostic fired, keyed like diagnostics() entries. */
  diagnosticCount(d: Diagnostic): number {
    return this.diagSites.get(`${d.kind}|${d.program ?? ''}|${d.file ?? ''}|${d.line ?? ''}`) ?? 0;
  }

  /** The holder that stands for "the running program owns this". */
  programOwner(): OwnerRef {
    const run = this.run;
    const program = run !== undefined ? run.program : '<runtime>';
    const cpu = run !== undefined ? run.cpu : this.host.currentCpu();
    let o = this.owner;
    if (o.program !== program || o.cpu !== cpu) this.owner = o = { kind: 'program', program, cpu };
    return o;
  }

  beginRun(program: string): RunState {
    // One run per struct_ops call: reuse the previous run's (empty) collections.
    const run = this.spareRun ?? {
      program,
      cpu: 0,
      owned: new Map(),
      locks: new Map(),
      resLocks: new Map(),
      nonOwning: new Set(),
      invalidated: new Map(),
      kernelRefs: new Map(),
      rcuDepth: 0,
    };
    this.spareRun = undefined;
    run.program = program;
    run.cpu = this.host.currentCpu();
    run.rcuDepth = 0;
    this.run = run;
    return run;
  }

  /**
   * End the run: report objects and kernel references it still owns (the
   * verifier's "Unreleased reference") unless it faulted, and release locks.
   */
  endRun(completed = true): void {
    const run = this.run;
    if (run === undefined) return;
    this.run = undefined;
    this.spareRun = run;
    // Fast path: most runs touch no object, reference, lock or poisoned region.
    if (run.owned.size === 0 && run.kernelRefs.size === 0 && run.locks.size === 0 && run.resLocks.size === 0 && run.nonOwning.size === 0 && run.invalidated.size === 0 && this.guard.idle) return;
    if (!this.guard.idle) {
      for (const use of this.guard.finish()) {
        const o = use.obj;
        const ended = use.endedAt.line !== undefined ? `line ${use.endedAt.line}` : `insn ${use.endedAt.insn}`;
        // Named at the using instruction, as the verifier names it; a native's use counts at the unlock.
        this.diag('invalidated_ref', `${run.program} used obj ${o.id} (${o.typeName}) through a pointer whose non-owning reference ended at the bpf_spin_unlock on ${ended}; the kernel verifier rejects this`, use.usedAt ?? use.endedAt);
      }
    }
    if (completed) this.reportLeaks(run);
    if (run.resLocks.size > 0) this.releaseResLocks(run, completed);
    if (run.locks.size > 0) {
      for (const host of run.locks.values()) {
        const lock = spinLockField(host);
        if (lock !== undefined && !host.region.freed) host.region.view.setUint32(lock.offset, 0, true);
      }
      run.locks.clear();
    }
    if (run.owned.size > 0) run.owned.clear();
    if (run.nonOwning.size > 0) run.nonOwning.clear();
    if (run.invalidated.size > 0) run.invalidated.clear();
    if (run.kernelRefs.size > 0) run.kernelRefs.clear();
  }

  /** A program returned holding bpf_res_spin_locks: the verifier refuses that (BPF_EXIT inside a locked region); release them. */
  private releaseResLocks(run: RunState, completed: boolean): void {
    for (const lock of run.resLocks.values()) {
      if (completed) this.diag('refused', `${run.program} returned still holding the bpf_res_spin_lock at ${lock.label}; the kernel verifier rejects a BPF_EXIT inside a locked region (taken at ${where(lock.site)})`, lock.site);
      lock.view.setUint32(lock.offset, 0, true);
    }
    run.resLocks.clear();
  }

  private reportLeaks(run: RunState): void {
    for (const obj of run.owned.keys()) {
      if (obj.freed || obj.leaked) continue;
      if (!heldByProgram(obj, run.program)) continue;
      const site = run.owned.get(obj)!;
      obj.leaked = true;
      this.diag('leak', `${run.program} returned still owning obj ${obj.id} (${obj.typeName}); the kernel verifier rejects a program that leaks a reference (acquired at ${where(site)})`, site);
    }
    for (const [ptr, ref] of run.kernelRefs) {
      if (ref.count <= 0) continue;
      this.diag('task_ref_leak', `${run.program} returned without releasing ${ref.what} 0x${ptr.toString(16)} (${ref.count} reference${ref.count > 1 ? 's' : ''} acquired at ${where(ref.site)})`, ref.site);
    }
  }

  /** The running program took an owning reference to `obj`. */
  gainRef(obj: HeapObject, env: NativeEnv | undefined): void {
    if (this.run === undefined) return;
    this.run.owned.set(obj, this.site(env));
    this.run.invalidated.delete(obj);
    this.run.nonOwning.delete(obj);
    this.guard.restore(obj);
  }

  /** The running program reached `obj` again through a non-owning reference (bpf_rbtree_first, bpf_list_front...). */
  reachNonOwning(obj: HeapObject): void {
    if (this.run === undefined) return;
    this.run.nonOwning.add(obj);
    this.run.invalidated.delete(obj);
    this.guard.restore(obj);
  }

  /** The running program handed its reference to `obj` away; using it again is what the verifier forbids. */
  loseRef(obj: HeapObject, why: string, nonOwningUntilUnlock: boolean): void {
    const run = this.run;
    if (run === undefined || obj.freed) return;
    if (nonOwningUntilUnlock) run.nonOwning.add(obj);
    else run.invalidated.set(obj, why);
  }

  /**
   * A kfunc that may not run under a bpf_spin_lock (the verifier allows only
   * the rbtree/list kfuncs and bpf_spin_unlock there: "function calls are not
   * allowed while holding a lock"). The call goes on; the diagnostic says so.
   */
  callUnderLock(env: NativeEnv, what: string): void {
    const run = this.run;
    if (run === undefined || run.locks.size === 0) return;
    const held = [...run.locks.values()].map((h) => h.label()).join(', ');
    this.diag('call_under_lock', `${what} called while holding the bpf_spin_lock in ${held}; only the rbtree/list kfuncs and bpf_spin_unlock may be called under a lock; the kernel verifier rejects this`, this.site(env));
  }

  /** bpf_spin_unlock: every non-owning reference of this run dies (verifier: invalidate_non_owning_refs). */
  invalidateNonOwning(env: NativeEnv): void {
    const run = this.run;
    if (run === undefined || run.nonOwning.size === 0) return;
    const site = this.site(env);
    const why = 'its non-owning reference ended at bpf_spin_unlock';
    const me = this.programOwner();
    for (const obj of run.nonOwning) {
      run.invalidated.set(obj, why);
      // Memory use is caught too, unless another path legitimately reaches it (an owning or stashed reference).
      if (!this.heap.hasHolder(obj, me) && !heldByKptr(obj)) this.guard.poison(obj, why, site, env.image);
    }
    run.nonOwning.clear();
  }

  /**
   * The heap object a kfunc argument points into. A freed object is a
   * use-after-free (diagnostic, then a fault as the kernel would oops); one
   * the verifier would have invalidated gets a diagnostic.
   */
  objectArg(env: NativeEnv, ptr: bigint, what: string): { obj: HeapObject; offset: number } {
    const hi = Number((ptr >> 32n) & 0xffff_ffffn);
    const stale = InvalidationGuard.markerOf(this.space.regionOfHi(hi));
    // A native may still touch an invalidated object: report it here (below) rather than fault.
    if (stale !== undefined) this.guard.restore(stale.obj);
    const region = this.space.regionOfHi(hi);
    if (region !== undefined && region.freed && region.payload instanceof HeapObject) {
      const o = region.payload;
      const site = this.site(env);
      this.diag('use_after_free', `${what}: obj ${o.id} (${o.typeName}) was already freed`, site);
      const fault = new BpfFault('freed', `${what}: obj ${o.id} (${o.typeName}) was already freed`, { address: ptr, region: region.name });
      this.reportedFaults.add(fault);
      throw fault;
    }
    const found = this.heap.objectAt(ptr);
    if (found === undefined) {
      throw new BpfFault('native', `${what}: 0x${ptr.toString(16)} is not a pointer to an object from bpf_obj_new`, { address: ptr });
    }
    // Not reported: a refcounted object reached through another, still owning
    // reference (bpf_refcount_acquire), and an object in a kptr slot, which a
    // program may load directly from the slot (an RCU-protected read).
    const o = found.obj;
    const why = this.run?.invalidated.get(o);
    this.reportedArg = undefined;
    if (why !== undefined && !this.heap.hasHolder(o, this.programOwner()) && !heldByKptr(o)) {
      this.diag('invalidated_ref', `${what}: obj ${o.id} (${o.typeName}) is used after ${why}; the kernel verifier rejects this`, this.site(env));
      this.reportedArg = o;
    }
    return found;
  }

  /** The host (map value, global section, heap object) a pointer points into. */
  hostAt(ptr: bigint, size: number, what: string): { host: FieldHost; offset: number } {
    const { region, offset } = this.space.resolve(ptr, size, false);
    if (!isFieldHost(region.payload)) {
      throw new BpfFault('native', `${what}: 0x${ptr.toString(16)} points into ${region.name}, which is not a map value, global or object`, { address: ptr, region: region.name });
    }
    return { host: region.payload, offset };
  }

  /** Is the bpf_spin_lock that guards `host`'s graph roots held by this run? (verifier: check_reg_allocation_locked) */
  lockHeldFor(host: FieldHost): boolean {
    const lock = spinLockField(host);
    if (lock === undefined || this.run === undefined) return false;
    return this.run.locks.has(`${host.region.id}:${lock.offset}`);
  }

  /**
   * Free what a host's special fields hold, like bpf_obj_free_fields(): kptrs
   * are exchanged with NULL and dropped, lists and trees are drained (tree
   * nodes post-order), timers cancelled.
   */
  drainFields(host: FieldHost, site: SourceSite | undefined): void {
    for (const f of host.fields) {
      if (f.kind === 'kptr') this.drainKptr(host, f, site);
      else if (f.kind === 'timer') this.timerDrain?.(host, f);
    }
    for (const root of this.graphs.rootsIn(host)) {
      const nodes = root.kind === 'rb_root' ? root.tree.postorder().map((n) => n.value) : [...root.list];
      for (const node of nodes) {
        this.graphs.detach(node);
        this.heap.release(node.obj, root.owner, site);
      }
      this.graphs.forget(root);
    }
  }

  private drainKptr(host: FieldHost, f: SpecialField, site: SourceSite | undefined): void {
    if (host.region.freed) return;
    const v = host.region.view.getBigUint64(f.offset, true);
    if (v === 0n) return;
    host.region.view.setBigUint64(f.offset, 0n, true);
    const slot = fieldKey(host, f);
    // A stand-in for an invalidated reference drains as the object it stands for.
    const seen = this.space.regionOfHi(Number(v >> 32n));
    const region = InvalidationGuard.markerOf(seen)?.obj.region ?? seen;
    if (region !== undefined && region.payload instanceof HeapObject && !region.freed) {
      this.heap.release(region.payload, { kind: 'kptr', slot }, site);
    } else {
      this.kernelKptrDrain?.(v, slot);
    }
  }
}

function spinLockField(host: FieldHost): SpecialField | undefined {
  const fields = host.fields;
  for (let i = 0; i < fields.length; i++) if (fields[i]!.kind === 'spin_lock') return fields[i];
  return undefined;
}

function heldByKptr(obj: HeapObject): boolean {
  const holders = obj.holders;
  for (let i = 0; i < holders.length; i++) if (holders[i]!.kind === 'kptr') return true;
  return false;
}

function heldByProgram(obj: HeapObject, program: string): boolean {
  const holders = obj.holders;
  for (let i = 0; i < holders.length; i++) {
    const h = holders[i]!;
    if (h.kind === 'program' && h.program === program) return true;
  }
  return false;
}

function where(site: SourceSite): string {
  return site.line !== undefined ? `${site.file ?? ''}:${site.line}` : `insn ${site.insn}`;
}
