// Replays heap-object ownership: which objects exist, who holds each one, and
// the order of every rbtree/list root and the content of every kptr slot.
// Mirrors the runtime's holder list (src/sched_ext/runtime/heap.ts): an
// object has one holder, or several once bpf_refcount_acquire shares it;
// its owner is the single holder or { refcount, count }, and refcount is the
// number of holders. Events tell the kinds of transition apart:
//   from 'freed'     -> created: the first holder
//   from 'refcount'  -> acquire: one more holder
//   to 'refcount'    -> release: `from` lets go, others still hold it
//   otherwise        -> move: `from`'s reference passes to `to`

import type { GraphRootSnapshot, HeapObjectSnapshot, KptrSlotSnapshot, OwnerRef, SimEvent } from '../events';

type ObjOwner = Extract<SimEvent, { kind: 'obj_owner' }>;

export class HeapReplay {
  readonly heap = new Map<number, HeapObjectSnapshot>();
  readonly roots = new Map<string, GraphRootSnapshot>();
  readonly slots = new Map<string, KptrSlotSnapshot>();
  private readonly holders = new Map<number, OwnerRef[]>();

  /** Takes ownership of the (already copied) snapshot parts. */
  constructor(heap: HeapObjectSnapshot[], roots: GraphRootSnapshot[], slots: KptrSlotSnapshot[]) {
    for (const r of roots) this.roots.set(r.key, r);
    for (const s of slots) this.slots.set(s.key, s);
    for (const h of heap) {
      this.heap.set(h.id, h);
      this.holders.set(h.id, h.owner.kind === 'refcount' ? this.sharedHolders(h) : [h.owner]);
    }
  }

  /** A snapshot says only "shared by n": the containers holding it are known, the rest were programs. */
  private sharedHolders(h: HeapObjectSnapshot): OwnerRef[] {
    const out: OwnerRef[] = [];
    for (const r of this.roots.values()) if (r.nodes.includes(h.id)) out.push({ kind: r.kind, root: r.key });
    for (const s of this.slots.values()) if (s.obj === h.id) out.push({ kind: 'kptr', slot: s.key });
    while (out.length < h.refcount) out.push({ kind: 'program', program: '?', cpu: -1 });
    return out;
  }

  create(ev: Extract<SimEvent, { kind: 'obj_new' }>): void {
    const owner: OwnerRef = { kind: 'program', program: ev.site.program, cpu: -1 };
    this.heap.set(ev.obj, { id: ev.obj, type: ev.type, size: ev.size, owner, refcount: 1, fields: {}, site: ev.site });
    this.holders.set(ev.obj, [owner]);
  }

  transfer(ev: ObjOwner): void {
    const h = this.heap.get(ev.obj);
    const holders = this.holders.get(ev.obj);
    if (!h || !holders) {
      // not in the keyframe (should not happen): still keep containers right
      this.detach(ev.obj, ev.from);
      this.attach(ev.obj, ev.to, ev.at);
      return;
    }
    if (ev.from.kind === 'freed') {
      for (const x of holders) this.detach(ev.obj, x);
      holders.length = 0;
      holders.push(ev.to);
      this.attach(ev.obj, ev.to, ev.at);
    } else if (ev.from.kind === 'refcount') {
      holders.push(ev.to);
      this.attach(ev.obj, ev.to, ev.at);
    } else if (ev.to.kind === 'refcount') {
      holders.splice(holderIndex(holders, ev.from), 1);
      this.detach(ev.obj, ev.from);
    } else {
      holders[holderIndex(holders, ev.from)] = ev.to;
      this.detach(ev.obj, ev.from);
      this.attach(ev.obj, ev.to, ev.at);
    }
    h.owner = holders.length === 1 ? holders[0]! : { kind: 'refcount', count: holders.length };
    h.refcount = holders.length;
  }

  free(obj: number): void {
    for (const x of this.holders.get(obj) ?? []) this.detach(obj, x);
    this.heap.delete(obj);
    this.holders.delete(obj);
  }

  private detach(obj: number, from: OwnerRef): void {
    if (from.kind === 'rb_root' || from.kind === 'list_head') {
      const r = this.roots.get(from.root);
      if (!r) return;
      const i = r.nodes.indexOf(obj);
      if (i >= 0) r.nodes.splice(i, 1);
      dropShape(r); // the tree shape after a removal is not in the event
    } else if (from.kind === 'kptr') {
      const s = this.slots.get(from.slot);
      if (s && s.obj === obj) s.obj = null;
    }
  }

  private attach(obj: number, to: OwnerRef, at: number | undefined): void {
    if (to.kind === 'rb_root' || to.kind === 'list_head') {
      let r = this.roots.get(to.root);
      if (!r) {
        r = { key: to.root, kind: to.kind, nodes: [] };
        this.roots.set(to.root, r);
      }
      const i = at === undefined ? r.nodes.length : Math.max(0, Math.min(at, r.nodes.length));
      r.nodes.splice(i, 0, obj);
      dropShape(r);
    } else if (to.kind === 'kptr') {
      let s = this.slots.get(to.slot);
      if (!s) {
        s = { key: to.slot, ...slotName(to.slot), obj: null };
        this.slots.set(to.slot, s);
      }
      s.obj = obj;
    }
  }
}

function sameOwner(a: OwnerRef, b: OwnerRef): boolean {
  switch (a.kind) {
    case 'program':
      return b.kind === 'program' && a.program === b.program && a.cpu === b.cpu;
    case 'rb_root':
    case 'list_head':
      return b.kind === a.kind && a.root === b.root;
    case 'kptr':
      return b.kind === 'kptr' && a.slot === b.slot;
    default:
      return a.kind === b.kind;
  }
}

/** The holder `from` names; a program reference not known by name is one of the keyframe's anonymous ones. */
function holderIndex(holders: OwnerRef[], from: OwnerRef): number {
  let i = holders.findIndex((x) => sameOwner(x, from));
  if (i < 0 && from.kind === 'program') i = holders.findIndex((x) => x.kind === 'program' && x.program === '?');
  if (i < 0) i = holders.length === 1 ? 0 : holders.findIndex((x) => x.kind === 'program');
  return Math.max(0, i);
}

function dropShape(r: GraphRootSnapshot): void {
  delete r.parents;
  delete r.red;
}

/** "map task_ctx[pid 42].stash" -> { map: "task_ctx", field: "stash" }. */
function slotName(key: string): { map: string; field: string } {
  const m = /^(?:map\s+)?([^[.]+)(?:\[[^\]]*\])?\.?(.*)$/.exec(key);
  return m ? { map: m[1]!, field: m[2] ?? '' } : { map: key, field: '' };
}
