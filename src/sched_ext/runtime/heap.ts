// The object heap: every bpf_obj_new object (and every kfunc-owned kernel
// object such as a bpf_cpumask) with its id, type, allocation site and the
// holders of its references. A holder is one owning reference: a program run,
// a graph root the object's node sits in, or a kptr slot. Without a
// bpf_refcount there is exactly one; with one, the count is the number of
// holders (kernel/bpf/helpers.c: bpf_refcount_acquire increments, every drop
// decrements, the object is freed at zero). Each change is an event.

import type { AddressSpace, Region, RegionKind } from '../vm/memory';
import { BpfFault } from '../vm/fault';
import type { SpecialField } from '../btf/special_fields';
import type { OwnerRef, SimEvent, SourceSite } from '../../model/events';
import type { FieldHost } from './layout';

export type HeapObjectKind = 'local' | 'kernel';

export class HeapObject implements FieldHost {
  readonly holders: OwnerRef[] = [];
  /** Set once a leak was reported, so one leak is reported once. */
  leaked = false;

  constructor(
    readonly id: number,
    readonly kind: HeapObjectKind,
    readonly typeName: string,
    /** Type id in the BTF the object was laid out from (program BTF for local objects). */
    readonly typeId: number,
    readonly region: Region,
    readonly fields: readonly SpecialField[],
    readonly site: SourceSite,
    /** Byte offset of the bpf_refcount (or refcount_t) the count is mirrored into. */
    readonly refcountOffset: number | undefined,
  ) {}

  get size(): number {
    return this.region.size;
  }

  get freed(): boolean {
    return this.region.freed;
  }

  get refcounted(): boolean {
    return this.refcountOffset !== undefined;
  }

  label(): string {
    return `obj ${this.id}`;
  }

  /** One owner for snapshots: the single holder, or the shared count. */
  owner(): OwnerRef {
    if (this.region.freed) return { kind: 'freed' };
    if (this.holders.length === 1) return this.holders[0]!;
    return { kind: 'refcount', count: this.holders.length };
  }
}

export function ownerKey(o: OwnerRef): string {
  switch (o.kind) {
    case 'program':
      return `program ${o.program}`;
    case 'rb_root':
    case 'list_head':
      return `${o.kind} ${o.root}`;
    case 'kptr':
      return `kptr ${o.slot}`;
    case 'refcount':
      return `refcount ${o.count}`;
    case 'freed':
      return 'freed';
  }
}

/** ownerKey(a) === ownerKey(b), without building the strings (hot: every ownership check). */
export function sameOwner(a: OwnerRef, b: OwnerRef): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'program':
      return a.program === (b as typeof a).program;
    case 'rb_root':
    case 'list_head':
      return a.root === (b as typeof a).root;
    case 'kptr':
      return a.slot === (b as typeof a).slot;
    case 'refcount':
      return a.count === (b as typeof a).count;
    case 'freed':
      return true;
  }
}

export interface HeapContext {
  readonly space: AddressSpace;
  emit(ev: SimEvent): void;
  /** Whether emitted events go anywhere; events are not built when not. */
  listening(): boolean;
  now(): number;
  /** Free what the object's special fields hold (kptrs, graph nodes, timers). */
  drainFields(host: FieldHost, site: SourceSite | undefined): void;
}

export interface NewObject {
  kind: HeapObjectKind;
  typeName: string;
  typeId: number;
  size: number;
  fields: readonly SpecialField[];
  site: SourceSite;
  owner: OwnerRef;
  regionKind?: RegionKind;
  refcountOffset?: number;
}

export class ObjectHeap {
  private nextId = 1;
  private readonly objects = new Map<number, HeapObject>();
  private freedCount = 0;

  constructor(private readonly ctx: HeapContext) {}

  create(spec: NewObject): HeapObject {
    const id = this.nextId++;
    const region = this.ctx.space.alloc(spec.regionKind ?? 'heap', `obj ${id} (${spec.typeName})`, spec.size);
    const obj = new HeapObject(id, spec.kind, spec.typeName, spec.typeId, region, spec.fields, spec.site, spec.refcountOffset);
    region.payload = obj;
    this.objects.set(id, obj);
    obj.holders.push(spec.owner);
    this.syncRefcount(obj);
    if (this.ctx.listening()) {
      const t = this.ctx.now();
      this.ctx.emit({ t, kind: 'obj_new', obj: id, type: spec.typeName, size: spec.size, site: spec.site });
      this.ctx.emit({ t, kind: 'obj_owner', obj: id, from: { kind: 'freed' }, to: spec.owner, site: spec.site });
    }
    return obj;
  }

  /** Objects allocated and freed since load; heapObjects() lists only the live ones. */
  stats(): { allocated: number; freed: number; live: number } {
    return { allocated: this.nextId - 1, freed: this.freedCount, live: this.objects.size };
  }

  get(id: number): HeapObject | undefined {
    return this.objects.get(id);
  }

  live(): HeapObject[] {
    return [...this.objects.values()];
  }

  /** The heap object a pointer points into (at any offset), or undefined. Throws a 'freed' fault for a freed one. */
  objectAt(ptr: bigint): { obj: HeapObject; offset: number } | undefined {
    const hi = Number((ptr >> 32n) & 0xffff_ffffn);
    const region = this.ctx.space.regionOfHi(hi);
    if (region === undefined || !(region.payload instanceof HeapObject)) return undefined;
    const { offset } = this.ctx.space.resolve(ptr, 0, false);
    return { obj: region.payload, offset };
  }

  /**
   * Hand one reference from `from` to `to` (rbtree_add, pop, kptr_xchg...).
   * `at` is the node's position in its new root's order, for trace replay.
   */
  move(obj: HeapObject, from: OwnerRef, to: OwnerRef, site: SourceSite | undefined, at?: number): void {
    const i = this.holderIndex(obj, from);
    obj.holders[i] = to;
    if (!this.ctx.listening()) return;
    if (at === undefined) this.ctx.emit({ t: this.ctx.now(), kind: 'obj_owner', obj: obj.id, from, to, site });
    else this.ctx.emit({ t: this.ctx.now(), kind: 'obj_owner', obj: obj.id, from, to, site, at });
  }

  /** A new reference (bpf_refcount_acquire, bpf_cpumask_acquire). */
  acquire(obj: HeapObject, to: OwnerRef, site: SourceSite | undefined): void {
    const from: OwnerRef = { kind: 'refcount', count: obj.holders.length };
    obj.holders.push(to);
    this.syncRefcount(obj);
    if (this.ctx.listening()) this.ctx.emit({ t: this.ctx.now(), kind: 'obj_owner', obj: obj.id, from, to, site });
  }

  /** Drop the reference `from` holds; frees the object when it was the last (bpf_obj_drop, refcount to zero). */
  release(obj: HeapObject, from: OwnerRef, site: SourceSite | undefined): void {
    obj.holders.splice(this.holderIndex(obj, from), 1);
    if (obj.holders.length === 0) {
      this.free(obj, site);
      return;
    }
    this.syncRefcount(obj);
    if (this.ctx.listening()) this.ctx.emit({ t: this.ctx.now(), kind: 'obj_owner', obj: obj.id, from, to: { kind: 'refcount', count: obj.holders.length }, site });
  }

  hasHolder(obj: HeapObject, h: OwnerRef): boolean {
    const holders = obj.holders;
    for (let i = 0; i < holders.length; i++) if (sameOwner(holders[i]!, h)) return true;
    return false;
  }

  private free(obj: HeapObject, site: SourceSite | undefined): void {
    this.ctx.drainFields(obj, site);
    this.ctx.space.free(obj.region);
    this.objects.delete(obj.id);
    this.freedCount++;
    if (this.ctx.listening()) this.ctx.emit({ t: this.ctx.now(), kind: 'obj_free', obj: obj.id, site });
  }

  private holderIndex(obj: HeapObject, h: OwnerRef): number {
    const holders = obj.holders;
    for (let i = 0; i < holders.length; i++) if (sameOwner(holders[i]!, h)) return i;
    throw new BpfFault('native', `obj ${obj.id} (${obj.typeName}) is not held by ${ownerKey(h)} (holders: ${holders.map(ownerKey).join(', ') || 'none'})`);
  }

  private syncRefcount(obj: HeapObject): void {
    if (obj.refcountOffset !== undefined) obj.region.view.setUint32(obj.refcountOffset, obj.holders.length, true);
  }
}
