// Lays out a BPF rbtree snapshot for the SVG view with d3.tree. The snapshot
// gives nodes in order plus a parent per node; a binary search tree needs
// left and right kept apart, so a node with one child gets an empty (NIL)
// sibling placeholder, as textbook red-black drawings do.
import { hierarchy, tree } from 'd3';
import type { GraphRootSnapshot, HeapObjectSnapshot } from '../../model/events';

export interface TreeNodeLayout {
  id: number;
  /**
   * Stable name across instants, for keyed joins and animation: the object id,
   * or for a NIL placeholder its place ("nil:<parent id>:L" / ":R").
   */
  ref: string;
  nil: boolean;
  /** null when the snapshot did not record colours. */
  red: boolean | null;
  x: number;
  y: number;
  label: string;
  /** Second line of the node: the key field, compact. */
  key: string;
}

export interface TreeLinkLayout {
  from: number;
  to: number;
  /** "<parent ref>><child ref>", stable across instants while the edge exists. */
  ref: string;
  fromRef: string;
  toRef: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface TreeLayout {
  /** False when the snapshot gave no parents: the shape is a balanced tree over the key order. */
  shapeKnown: boolean;
  nodes: TreeNodeLayout[];
  links: TreeLinkLayout[];
  width: number;
  height: number;
}

interface Datum {
  id: number;
  ref: string;
  nil: boolean;
  children?: Datum[];
}

/** Fields the schedulers in the wild key their trees on, most telling first. */
const KEY_FIELDS = ['vtime', 'deadline', 'key', 'dl', 'weight', 'pid'];

export function keyFieldOf(obj: HeapObjectSnapshot | undefined): string | undefined {
  if (!obj) return undefined;
  for (const f of KEY_FIELDS) if (f in obj.fields) return f;
  return Object.keys(obj.fields)[0];
}

export function nodeLabel(obj: HeapObjectSnapshot | undefined, id: number): string {
  const f = keyFieldOf(obj);
  return f ? `#${id} ${f}=${obj!.fields[f]}` : `#${id}`;
}

/** Large integers short enough for a tree node: 185146854 -> "185.1M". */
export function compactNumber(text: string): string {
  const n = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isFinite(n)) return text;
  const abs = Math.abs(n);
  for (const [scale, unit] of [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e4, 'k']] as const) {
    if (abs >= scale) return `${+(n / scale).toPrecision(4)}${unit}`;
  }
  return text;
}

/** The key line of a tree node: "vtime 185.1M", or '' when the object has no fields. */
export function nodeKey(obj: HeapObjectSnapshot | undefined): string {
  const f = keyFieldOf(obj);
  return f ? `${f} ${compactNumber(obj!.fields[f]!)}` : '';
}

/** Size of one drawn node: wide enough for its labels (12/11 px, never scaled down); two lines when a key field exists. */
export interface NodeBox {
  w: number;
  h: number;
  twoLines: boolean;
}

export function nodeBox(root: GraphRootSnapshot, heap: Map<number, HeapObjectSnapshot>): NodeBox {
  const longest = Math.max(0, ...root.nodes.map((id) => Math.max(`#${id}`.length, nodeKey(heap.get(id)).length)));
  const twoLines = root.nodes.some((id) => nodeKey(heap.get(id)) !== '');
  return { w: Math.max(52, Math.min(140, 14 + 7.4 * longest)), h: twoLines ? 34 : 24, twoLines };
}

/** The layout RbtreeView draws at rest: nodes of `box` size with 8 px between them and 24 px between levels. */
export function layoutRbtreeView(root: GraphRootSnapshot, heap: Map<number, HeapObjectSnapshot>, box = nodeBox(root, heap)): TreeLayout {
  return layoutRbtree(root, heap, box.w + 8, box.h + 24);
}

export function layoutRbtree(
  root: GraphRootSnapshot,
  heap: Map<number, HeapObjectSnapshot>,
  nodeWidth = 96,
  levelHeight = 56,
): TreeLayout {
  const n = root.nodes.length;
  if (n === 0) return { shapeKnown: true, nodes: [], links: [], width: 0, height: 0 };
  const shapeKnown = root.parents !== undefined && root.parents.length === n;
  const parents = shapeKnown ? root.parents! : balancedParents(root.nodes);
  const rank = new Map<number, number>();
  root.nodes.forEach((id, i) => rank.set(id, i));
  const kids = new Map<number, number[]>();
  let top = root.nodes[0]!;
  root.nodes.forEach((id, i) => {
    const p = parents[i]!;
    if (p === 0 || !rank.has(p)) {
      top = id;
      return;
    }
    const list = kids.get(p) ?? [];
    list.push(id);
    kids.set(p, list);
  });
  let nilId = -1;
  const nil = (parent: number, side: 'L' | 'R'): Datum => ({ id: nilId--, ref: `nil:${parent}:${side}`, nil: true });
  const build = (id: number): Datum => {
    const c = kids.get(id) ?? [];
    if (c.length === 0) return { id, ref: String(id), nil: false };
    const me = rank.get(id)!;
    const left = c.find((k) => rank.get(k)! < me);
    const right = c.find((k) => rank.get(k)! > me);
    return {
      id,
      ref: String(id),
      nil: false,
      children: [left ? build(left) : nil(id, 'L'), right ? build(right) : nil(id, 'R')],
    };
  };
  const h = hierarchy(build(top));
  const laid = tree<Datum>().nodeSize([nodeWidth, levelHeight])(h);
  let minX = Infinity;
  let maxX = -Infinity;
  let maxY = 0;
  laid.each((d) => {
    minX = Math.min(minX, d.x);
    maxX = Math.max(maxX, d.x);
    maxY = Math.max(maxY, d.y);
  });
  const pad = nodeWidth / 2;
  const redOf = new Map<number, boolean | null>();
  root.nodes.forEach((id, i) => redOf.set(id, root.red && root.red.length === n ? root.red[i]! : null));
  const nodes: TreeNodeLayout[] = [];
  const links: TreeLinkLayout[] = [];
  laid.each((d) => {
    const x = d.x - minX + pad;
    const y = d.y + 24;
    nodes.push({
      id: d.data.id,
      ref: d.data.ref,
      nil: d.data.nil,
      red: d.data.nil ? false : (redOf.get(d.data.id) ?? null),
      x,
      y,
      label: d.data.nil ? 'NIL' : nodeLabel(heap.get(d.data.id), d.data.id),
      key: d.data.nil ? '' : nodeKey(heap.get(d.data.id)),
    });
    if (d.parent) {
      const fromRef = d.parent.data.ref;
      links.push({ from: d.parent.data.id, to: d.data.id, ref: `${fromRef}>${d.data.ref}`, fromRef, toRef: d.data.ref, x1: d.parent.x - minX + pad, y1: d.parent.y + 24, x2: x, y2: y });
    }
  });
  return { shapeKnown, nodes, links, width: maxX - minX + 2 * pad, height: maxY + 48 };
}

/** Parent per node (0 for the root) of the minimal-height tree over the in-order list. */
export function balancedParents(inorder: number[]): number[] {
  const parentOf = new Map<number, number>();
  const build = (lo: number, hi: number, parent: number): void => {
    if (lo > hi) return;
    const mid = (lo + hi) >>> 1;
    parentOf.set(inorder[mid]!, parent);
    build(lo, mid - 1, inorder[mid]!);
    build(mid + 1, hi, inorder[mid]!);
  };
  build(0, inorder.length - 1, 0);
  return inorder.map((id) => parentOf.get(id)!);
}

/**
 * The tree now with nodes removed since the diff instant hung back in as
 * leaves where a BST insert by their old in-order place puts them (between
 * the neighbours they had then), so they are drawn where they belong without
 * covering a node of now. `inorder` is the merged order (now's nodes and the
 * removed ones, as rbtree_diff's chainWithGhosts gives it). The removed nodes
 * are black: their colour then says nothing now.
 */
export function withRemovedNodes(root: GraphRootSnapshot, inorder: { id: number; ghost: boolean }[]): GraphRootSnapshot {
  if (!inorder.some((n) => n.ghost)) return root;
  const shapeKnown = root.parents !== undefined && root.parents.length === root.nodes.length;
  const nodes = inorder.map((n) => n.id);
  const redNow = new Map(root.nodes.map((id, i) => [id, root.red?.[i] ?? false]));
  const red = root.red ? nodes.map((id) => redNow.get(id) ?? false) : undefined;
  if (!shapeKnown) return { ...root, nodes, red };
  const rank = new Map(nodes.map((id, i) => [id, i]));
  const parent = new Map(root.nodes.map((id, i) => [id, root.parents![i]!]));
  const child = new Map<string, number>(); // `${id}:L|R` -> child id
  let top: number | undefined;
  for (const [id, p] of parent) {
    if (p === 0 || !parent.has(p)) top = id;
    else child.set(`${p}:${rank.get(id)! < rank.get(p)! ? 'L' : 'R'}`, id);
  }
  for (const n of inorder) {
    if (!n.ghost) continue;
    if (top === undefined) {
      top = n.id;
      parent.set(n.id, 0);
      continue;
    }
    let at = top;
    for (;;) {
      const side = rank.get(n.id)! < rank.get(at)! ? 'L' : 'R';
      const next = child.get(`${at}:${side}`);
      if (next === undefined) {
        child.set(`${at}:${side}`, n.id);
        parent.set(n.id, at);
        break;
      }
      at = next;
    }
  }
  return { ...root, nodes, parents: nodes.map((id) => parent.get(id)!), red };
}
