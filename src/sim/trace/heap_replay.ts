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
// Every rbtree root is also kept as a RedBlackTree (the runtime's own, in
// src/sched_ext/runtime/rbtree.ts) seeded from the keyframe's shape: an add
// event's `at` names the node's in-order position, which fixes the leaf it
// was linked at, and insert fix-ups and erase are deterministic, so the
// replayed tree has the runtime's exact shape and colours. A root whose
// keyframe has no shape (older traces) or an add without `at` loses it.
// Object `fields` are not in events: an object keeps its keyframe values,
// marked with fieldsAt; one allocated later has none ({}).

import { RedBlackTree, type RbNode } from '../../sched_ext/runtime/rbtree';
import type { GraphRootSnapshot, HeapObjectSnapshot, KptrSlotSnapshot, OwnerRef, SimEvent } from '../../model/events';

type ObjOwner = Extract<SimEvent, { kind: 'obj_owner' }>;

export class HeapReplay {
  readonly heap = new Map<number, HeapObjectSnapshot>();
  readonly roots = new Map<string, GraphRootSnapshot>();
  readonly slots = new Map<string, KptrSlotSnapshot>();
  private readonly holders = new Map<number, OwnerRef[]>();
  /** Shape of each rbtree root whose shape is known, and its node per object. */
  private readonly trees = new Map<string, ShapeTree>();
  /** Trees changed since their root's nodes/parents/red were last written. */
  private readonly dirty = new Set<string>();

  /** Takes ownership of the (already copied) snapshot parts; `t` is the snapshot's time. */
  constructor(heap: HeapObjectSnapshot[], roots: GraphRootSnapshot[], slots: KptrSlotSnapshot[], t: number) {
    for (const r of roots) {
      this.roots.set(r.key, r);
      if (r.kind === 'rb_root') {
        const tree = seedTree(r);
        if (tree) this.trees.set(r.key, tree);
        else dropShape(r);
      }
    }
    for (const s of slots) this.slots.set(s.key, s);
    for (const h of heap) {
      h.fieldsAt ??= t;
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
    this.heap.set(ev.obj, { id: ev.obj, type: ev.type, size: ev.size, owner, refcount: 1, fields: {}, fieldsAt: ev.t, site: ev.site });
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

  /** The roots as they are now, rbtree shapes written out. */
  rootList(): GraphRootSnapshot[] {
    for (const key of this.dirty) {
      const r = this.roots.get(key);
      const tree = this.trees.get(key);
      if (r && tree) writeShape(r, tree.tree);
    }
    this.dirty.clear();
    return [...this.roots.values()];
  }

  private detach(obj: number, from: OwnerRef): void {
    if (from.kind === 'rb_root' || from.kind === 'list_head') {
      const r = this.roots.get(from.root);
      if (!r) return;
      const i = r.nodes.indexOf(obj);
      if (i >= 0) r.nodes.splice(i, 1);
      const tree = this.trees.get(from.root);
      if (tree) {
        const node = tree.byObj.get(obj);
        if (node) {
          tree.tree.remove(node);
          tree.byObj.delete(obj);
          this.dirty.add(from.root);
        } else if (i >= 0) {
          this.loseShape(r); // in the order but not the tree: cannot happen with a consistent keyframe
        }
      }
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
      if (to.kind === 'rb_root') {
        if (r.nodes.length === 1 && !this.trees.has(to.root)) this.trees.set(to.root, { tree: new RedBlackTree(), byObj: new Map() });
        const tree = this.trees.get(to.root);
        if (tree && at === i && !tree.byObj.has(obj)) {
          tree.byObj.set(obj, tree.tree.insertRank(at, obj));
          this.dirty.add(to.root);
        } else {
          this.loseShape(r); // no position (or out of range): the leaf it went to is unknown
        }
      }
    } else if (to.kind === 'kptr') {
      let s = this.slots.get(to.slot);
      if (!s) {
        s = { key: to.slot, ...slotName(to.slot), obj: null };
        this.slots.set(to.slot, s);
      }
      s.obj = obj;
    }
  }

  private loseShape(r: GraphRootSnapshot): void {
    this.trees.delete(r.key);
    this.dirty.delete(r.key);
    dropShape(r);
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

interface ShapeTree {
  tree: RedBlackTree<number>;
  byObj: Map<number, RbNode<number>>;
}

/** The keyframe's tree for an rbtree root, or undefined when its shape is not given (or not a valid tree). */
function seedTree(r: GraphRootSnapshot): ShapeTree | undefined {
  const n = r.nodes.length;
  if (n > 0 && (r.parents?.length !== n || r.red?.length !== n)) return undefined;
  const index = new Map<number, number>();
  r.nodes.forEach((id, i) => index.set(id, i));
  if (index.size !== n) return undefined;
  const parents: number[] = [];
  for (const p of r.parents ?? []) {
    const i = p === 0 ? -1 : index.get(p);
    if (i === undefined) return undefined;
    parents.push(i);
  }
  let tree: RedBlackTree<number>;
  try {
    tree = RedBlackTree.fromShape(r.nodes, parents, r.red ?? []);
  } catch {
    return undefined;
  }
  const byObj = new Map<number, RbNode<number>>();
  for (const node of tree.inorder()) byObj.set(node.value, node);
  return { tree, byObj };
}

/** nodes/parents/red of `r` from its tree, like the runtime's rootSnapshot(). */
function writeShape(r: GraphRootSnapshot, tree: RedBlackTree<number>): void {
  const nodes = tree.inorder();
  r.nodes = nodes.map((n) => n.value);
  r.parents = nodes.map((n) => n.parent?.value ?? 0);
  r.red = nodes.map((n) => n.red);
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
