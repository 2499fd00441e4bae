// Catching memory use through a reference the verifier would have
// invalidated. After bpf_spin_unlock, a node the program added to a tree or
// list is out of its reach (verifier: invalidate_non_owning_refs); the kernel
// refuses to load such a program, so nothing happens at run time there. Here
// the program runs, so to report the use with its source line we swap the
// object's entry in the region table for a stand-in marked freed: the engines
// check every access against the table, so the next load or store through
// the stale pointer faults at its instruction. The runtime turns that fault
// into an 'invalidated_ref' diagnostic. The real region is put back whenever
// the program legitimately reaches the object again (bpf_rbtree_first,
// remove, pop, ...), around `less` callbacks, and at the end of the run.

import type { AddressSpace, Region } from '../vm/memory';
import type { HeapObject } from './heap';

export class InvalidatedRef {
  constructor(
    readonly obj: HeapObject,
    readonly why: string,
  ) {}
}

export class InvalidationGuard {
  private readonly poisoned = new Map<HeapObject, InvalidatedRef>();

  constructor(private readonly space: AddressSpace) {}

  poison(obj: HeapObject, why: string): void {
    if (obj.region.freed || this.poisoned.has(obj)) return;
    const marker = new InvalidatedRef(obj, why);
    const standIn: Region = { ...obj.region, freed: true, name: `${obj.region.name} [${why}]`, payload: marker };
    this.space.regions[obj.region.id] = standIn;
    this.poisoned.set(obj, marker);
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
      for (const m of saved) this.poison(m.obj, m.why);
    }
  }

  restoreAll(): void {
    for (const obj of [...this.poisoned.keys()]) this.restore(obj);
  }

  /** The stand-in a faulting pointer hit, if it is one. */
  static markerOf(region: Region | undefined): InvalidatedRef | undefined {
    return region?.payload instanceof InvalidatedRef ? region.payload : undefined;
  }
}
