// Where graph contents live: one GraphRoot per bpf_rb_root / bpf_list_head,
// keyed by the memory it sits in (region id and offset), and for every node
// field currently in a collection, the root that owns it. The kernel keeps
// that owner pointer inside bpf_rb_node_kern / bpf_list_node_kern; we mirror
// it into the node's memory too, so a program dumping a node sees it set.

import type { AddressSpace } from '../vm/memory';
import type { SpecialField } from '../btf/special_fields';
import type { OwnerRef } from '../../model/events';
import type { HeapObject } from './heap';
import { fieldKey, type FieldHost } from './layout';
import { RedBlackTree, type RbNode } from './rbtree';

/** Offset of the owner pointer inside bpf_rb_node_kern (after struct rb_node) and bpf_list_node_kern (after list_head). */
const RB_OWNER_OFF = 24;
const LIST_OWNER_OFF = 16;

export interface GraphNode {
  obj: HeapObject;
  /** Offset of the bpf_rb_node / bpf_list_node field inside obj. */
  offset: number;
  root: GraphRoot;
  rb?: RbNode<GraphNode>;
}

export class GraphRoot {
  readonly tree = new RedBlackTree<GraphNode>();
  readonly list: GraphNode[] = [];
  /** The root as a holder; one shared (never mutated) value rather than a new one per ownership change. */
  readonly owner: OwnerRef;

  constructor(
    readonly key: string,
    readonly kind: 'rb_root' | 'list_head',
    readonly host: FieldHost,
    readonly field: SpecialField,
  ) {
    this.owner = kind === 'rb_root' ? { kind: 'rb_root', root: key } : { kind: 'list_head', root: key };
  }

  get size(): number {
    return this.kind === 'rb_root' ? this.tree.size : this.list.length;
  }

  /** Nodes in order: in-order for a tree, head to tail for a list. */
  nodes(): GraphNode[] {
    return this.kind === 'rb_root' ? this.tree.inorder().map((n) => n.value) : [...this.list];
  }
}

export class GraphStore {
  private readonly roots = new Map<string, GraphRoot>();
  private readonly members = new Map<string, GraphNode>();

  constructor(private readonly space: AddressSpace) {}

  /** The root for `field` of `host`, created empty on first use. */
  root(host: FieldHost, field: SpecialField): GraphRoot {
    const k = `${host.region.id}:${field.offset}`;
    let r = this.roots.get(k);
    if (r === undefined) {
      r = new GraphRoot(fieldKey(host, field), field.kind === 'rb_root' ? 'rb_root' : 'list_head', host, field);
      this.roots.set(k, r);
    }
    return r;
  }

  /** The root that owns node field `offset` of `obj`, if it is in a collection. */
  ownerOf(obj: HeapObject, offset: number): GraphNode | undefined {
    return this.members.get(`${obj.id}:${offset}`);
  }

  all(): GraphRoot[] {
    return [...this.roots.values()];
  }

  /** Roots inside one host, for freeing it. */
  rootsIn(host: FieldHost): GraphRoot[] {
    // Called for every freed object: most have no root field, and then build nothing.
    let out: GraphRoot[] | undefined;
    for (const f of host.fields) {
      if (f.kind !== 'rb_root' && f.kind !== 'list_head') continue;
      const r = this.roots.get(`${host.region.id}:${f.offset}`);
      if (r !== undefined) (out ??= []).push(r);
    }
    return out ?? [];
  }

  /** Forget a root whose memory is gone (its host was freed). */
  forget(root: GraphRoot): void {
    this.roots.delete(`${root.host.region.id}:${root.field.offset}`);
  }

  /** Record that `node` now belongs to its root (the caller has linked it into the tree or list). */
  attach(node: GraphNode): void {
    this.members.set(`${node.obj.id}:${node.offset}`, node);
    const ownerOff = node.offset + (node.root.kind === 'rb_root' ? RB_OWNER_OFF : LIST_OWNER_OFF);
    node.obj.region.view.setBigUint64(ownerOff, this.space.pointer(node.root.host.region, node.root.field.offset), true);
  }

  /** Unlink `node` from its root's tree or list and clear its owner. */
  detach(node: GraphNode): void {
    const root = node.root;
    if (root.kind === 'rb_root') {
      if (node.rb !== undefined) root.tree.remove(node.rb);
      node.rb = undefined;
    } else {
      const i = root.list.indexOf(node);
      if (i >= 0) root.list.splice(i, 1);
    }
    this.members.delete(`${node.obj.id}:${node.offset}`);
    if (!node.obj.region.freed) {
      const ownerOff = node.offset + (root.kind === 'rb_root' ? RB_OWNER_OFF : LIST_OWNER_OFF);
      node.obj.region.view.setBigUint64(ownerOff, 0n, true);
    }
  }
}
