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
//   'report' — the stand-in says `freed` and carries `reportUse`, so every
//              access through the stale pointer leaves the engines' fast
//              path; memSlow records the instruction and lets it through.
//              The run goes on and the diagnostic names the line that used
//              the reference, as the kernel verifier's message does.
// The real region is put back whenever the program legitimately reaches the
// object again (bpf_rbtree_first, remove, pop, ...), around `less`
// callbacks, and at the end of the run.

import type { AddressSpace, Region } from '../vm/memory';
import type { ProgramImage } from '../vm/abi';
import { lineAt } from '../vm/machine';
import type { SourceSite } from '../../model/events';
import type { HeapObject } from './heap';

export type InvalidatedAccessMode = 'fault' | 'report';

export class InvalidatedRef {
  /** Set in 'report' mode when the program touched the object. */
  used = false;
  /** Where it first did (an instruction of the program, with its line when known); natives' uses count at `endedAt`. */
  usedAt: SourceSite | undefined;

  constructor(
    readonly obj: HeapObject,
    readonly why: string,
    /** Where the reference ended (the bpf_spin_unlock call). */
    readonly endedAt: SourceSite,
    /** The program the reference lived in, to name the line of the instruction that uses it. */
    readonly image?: ProgramImage,
  ) {}

  /** Record a use by instruction `insn` (-1: a native's). */
  recordUse(insn: number): boolean {
    if (this.used) return false;
    this.used = true;
    if (insn >= 0) {
      const li = this.image !== undefined ? lineAt(this.image, insn) : undefined;
      this.usedAt = { program: this.endedAt.program, insn, ...(li !== undefined ? { file: li.file, line: li.line } : {}) };
    }
    return true;
  }
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

  poison(obj: HeapObject, why: string, endedAt: SourceSite, image?: ProgramImage): void {
    if (obj.region.freed || this.poisoned.has(obj)) return;
    this.install(new InvalidatedRef(obj, why, endedAt, image));
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
 * payload, `freed` set so the engines take their slow path, and `reportUse`
 * recording the first use with its instruction. A class, so every stand-in
 * shares one hidden class and the engines' region lookups stay monomorphic.
 */
class ReportingStandIn implements Region {
  readonly id: number;
  readonly kind: Region['kind'];
  name: string;
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly size: number;
  readonly readonly: boolean;
  readonly freed = true;
  payload: unknown;
  readonly reportUse: (insn: number) => void;

  constructor(real: Region, marker: InvalidatedRef, used: InvalidatedRef[]) {
    this.id = real.id;
    this.kind = real.kind;
    this.name = `${real.name} [${marker.why}]`;
    this.bytes = real.bytes;
    this.view = real.view;
    this.size = real.size;
    this.readonly = real.readonly;
    this.payload = marker;
    this.reportUse = (insn) => {
      if (marker.recordUse(insn)) used.push(marker);
    };
  }
}
