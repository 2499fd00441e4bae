// Catching memory use through a reference the verifier would have
// invalidated. After bpf_spin_unlock, a node the program added to a tree or
// list is out of its reach (verifier: invalidate_non_owning_refs); the kernel
// refuses to load such a program, so nothing happens at run time there. Here
// the program runs, so we swap the object's entry in the region table for a
// stand-in that shares its bytes; the engines look every access up in that
// table, so the stand-in sees the next load or store through the stale
// pointer. Two ways to report it:
//   'fault'  — the stand-in is marked freed, so the access faults at its
//              instruction (exact source line) and the run stops, as if the
//              verifier had refused the program;
//   'report' — the stand-in's `freed` is a getter that records the use and
//              lets it through; the run goes on and the diagnostic names the
//              bpf_spin_unlock that ended the reference (the engines do not
//              say which instruction read `freed`).
// The real region is put back whenever the program legitimately reaches the
// object again (bpf_rbtree_first, remove, pop, ...), around `less`
// callbacks, and at the end of the run.

import type { AddressSpace, Region } from '../vm/memory';
import type { SourceSite } from '../../model/events';
import type { HeapObject } from './heap';

export type InvalidatedAccessMode = 'fault' | 'report';

export class InvalidatedRef {
  /** Set in 'report' mode when the program touched the object. */
  used = false;

  constructor(
    readonly obj: HeapObject,
    readonly why: string,
    /** Where the reference ended (the bpf_spin_unlock call). */
    readonly endedAt: SourceSite,
  ) {}
}

const NONE: InvalidatedRef[] = Object.freeze([]) as unknown as InvalidatedRef[];

export class InvalidationGuard {
  private readonly poisoned = new Map<HeapObject, InvalidatedRef>();
  /** Objects used through an invalidated reference during this run ('report' mode), in order. */
  private readonly used: InvalidatedRef[] = [];

  constructor(
    private readonly space: AddressSpace,
    readonly mode: InvalidatedAccessMode,
  ) {}

  poison(obj: HeapObject, why: string, endedAt: SourceSite): void {
    if (obj.region.freed || this.poisoned.has(obj)) return;
    this.install(new InvalidatedRef(obj, why, endedAt));
  }

  restore(obj: HeapObject): void {
    if (!this.poisoned.delete(obj)) return;
    this.space.regions[obj.region.id] = obj.region;
  }

  /** Run `fn` with every object reachable (the kernel's `less` callback sees all nodes of the tree). */
  suspended<T>(fn: () => T): T {
    if (this.poisoned.size === 0) return fn();
    const saved = [...this.poisoned.values()];
    for (const m of saved) this.restore(m.obj);
    try {
      return fn();
    } finally {
      for (const m of saved) if (!m.obj.region.freed) this.install(m);
    }
  }

  /** Nothing poisoned and no use recorded: finish() would do nothing. */
  get idle(): boolean {
    return this.poisoned.size === 0 && this.used.length === 0;
  }

  /** Is any object's region swapped for a stand-in right now? */
  get active(): boolean {
    return this.poisoned.size > 0;
  }

  /** End of run: put every region back and hand over the uses seen in 'report' mode. */
  finish(): InvalidatedRef[] {
    if (this.poisoned.size > 0) {
      const regions = this.space.regions;
      for (const obj of this.poisoned.keys()) regions[obj.region.id] = obj.region;
      this.poisoned.clear();
    }
    return this.used.length === 0 ? NONE : this.used.splice(0);
  }

  /** The stand-in a faulting pointer hit, if it is one. */
  static markerOf(region: Region | undefined): InvalidatedRef | undefined {
    return region?.payload instanceof InvalidatedRef ? region.payload : undefined;
  }

  private install(marker: InvalidatedRef): void {
    const real = marker.obj.region;
    let standIn: Region;
    if (this.mode === 'report') {
      standIn = new ReportingStandIn(real, marker, this.used);
    } else {
      standIn = { ...real, name: `${real.name} [${marker.why}]`, payload: marker };
      standIn.freed = true;
    }
    this.space.regions[real.id] = standIn;
    this.poisoned.set(marker.obj, marker);
  }
}

/**
 * The 'report' mode stand-in: the real region's fields, the marker as
 * payload, and `freed` as a getter that records the use. A class (one
 * hidden class for every stand-in, the getter on its prototype) rather than
 * an object with its own accessor, so the engines' region lookups stay
 * monomorphic-ish instead of meeting a new shape per stand-in.
 */
class ReportingStandIn implements Region {
  readonly id: number;
  readonly kind: Region['kind'];
  name: string;
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly size: number;
  readonly readonly: boolean;
  payload: unknown;
  readonly #real: Region;
  readonly #used: InvalidatedRef[];

  constructor(real: Region, marker: InvalidatedRef, used: InvalidatedRef[]) {
    this.id = real.id;
    this.kind = real.kind;
    this.name = `${real.name} [${marker.why}]`;
    this.bytes = real.bytes;
    this.view = real.view;
    this.size = real.size;
    this.readonly = real.readonly;
    this.payload = marker;
    this.#real = real;
    this.#used = used;
  }

  get freed(): boolean {
    const marker = this.payload as InvalidatedRef;
    if (!marker.used) {
      marker.used = true;
      this.#used.push(marker);
    }
    return this.#real.freed;
  }
}
